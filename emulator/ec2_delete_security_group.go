package emulator

import (
	"net/http"
	"slices"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// deleteSecurityGroup deletes a group by GroupId (or GroupName in the default VPC). A VPC's
// default group cannot be deleted (CannotDelete; it goes with its VPC); a group a load
// balancer uses (its network interfaces carry it on AWS) or another group's rule references
// is DependencyViolation (docs/sources.md 20b). Instances in the emulator only ever use their
// VPC's default group.
func (h *handler) deleteSecurityGroup(rc *wire.Request, x *wire.Writer) *wire.Error {
	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	g, e := h.lookupGroup(rc.Params)
	if e != nil {
		return e
	}
	if g.isDefault {
		return wire.NewError(http.StatusBadRequest, "CannotDelete",
			"the specified group: \"%s\" name: \"%s\" cannot be deleted by a user", g.id, g.name)
	}
	if st.ec2.elb.SecurityGroupInUse(g.id) || st.ec2.groupReferenced(g) {
		return wire.NewError(http.StatusBadRequest, "DependencyViolation", "resource %s has a dependent object", g.id)
	}
	st.ec2.removeSecurityGroup(g)
	x.LeafBool("return", true)
	x.Leaf("groupId", g.id)
	return nil
}

// groupReferenced reports whether a rule of another group names g as its peer.
func (s *ec2State) groupReferenced(g *securityGroup) bool {
	for _, o := range s.sgOrder {
		if o == g {
			continue
		}
		for _, r := range append(slices.Clip(o.ingress), o.egress...) {
			if r.group == g.id {
				return true
			}
		}
	}
	return false
}

func (s *ec2State) removeSecurityGroup(g *securityGroup) {
	delete(s.securityGroups, g.id)
	s.sgOrder = slices.DeleteFunc(s.sgOrder, func(o *securityGroup) bool { return o == g })
}
