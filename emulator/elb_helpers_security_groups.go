package emulator

import (
	"net/http"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Security groups of load balancers, shared by CreateLoadBalancer and
// ApplySecurityGroupsToLoadBalancer (docs/sources.md 20). Every load balancer lives in a VPC,
// so the EC2-Classic refusal ("Security groups can be applied to only ELBs in VPC") never
// applies.

// maxSecurityGroupsPerLB is the VPC quota of security groups per network interface (5 by
// default); beyond it AWS answered InvalidConfigurationRequest (docs/sources.md 20f).
const maxSecurityGroupsPerLB = 5

// checkSecurityGroups checks SecurityGroups for a load balancer in VPC vpcID and answers them
// without repeats: at most maxSecurityGroupsPerLB (InvalidConfigurationRequest), each a
// well-formed id of an existing group (InvalidSecurityGroup, 400: docs/sources.md 20d) of
// that VPC (InvalidConfigurationRequest, 409: 20e). The caller holds the store lock.
func (h *handler) checkSecurityGroups(ids []string, vpcID string) ([]string, *wire.Error) {
	ids = dedupe(ids)
	if len(ids) > maxSecurityGroupsPerLB {
		return nil, errInvalidConfiguration("The maximum number of security groups per load balancer has been reached.")
	}
	for _, id := range ids {
		if !sgIDPattern.MatchString(id) {
			return nil, wire.NewError(http.StatusBadRequest, "InvalidSecurityGroup", "Invalid id: \"%s\" (expecting \"sg-...\")", wire.Truncate(id, 64))
		}
	}
	for _, id := range ids {
		g, ok := h.st.elb.ec2.SecurityGroup(id)
		if !ok {
			return nil, wire.NewError(http.StatusBadRequest, "InvalidSecurityGroup", "The security group '%s' does not exist", id)
		}
		if g.vpcID != vpcID {
			return nil, errInvalidConfiguration(otherVPCGroupMessage, g.id, vpcID)
		}
	}
	return ids, nil
}

// otherVPCGroupMessage is AWS's wording for a group of another VPC (docs/sources.md 20e).
const otherVPCGroupMessage = "Security group \"%s\" does not belong to VPC \"%s\""

// otherVPCGroupRefusal reports whether e is checkSecurityGroups' refusal of another VPC's group.
func otherVPCGroupRefusal(e *wire.Error) bool {
	return e.Code == "InvalidConfigurationRequest" && strings.HasSuffix(e.Message, "\"") && strings.Contains(e.Message, "does not belong to VPC")
}

// defaultSecurityGroups are the groups of a load balancer created without any: in a
// nondefault VPC that VPC's default group, in the default VPC the default_elb_<uuid> group
// ELB creates there once (docs/sources.md 20c). The caller holds the store's write lock, once
// nothing can fail any more.
func (h *handler) defaultSecurityGroups(v vpcInfo, listeners []listener) []string {
	if !v.isDefault {
		return []string{v.securityGroup}
	}
	ports := make([]int, len(listeners))
	for i, l := range listeners {
		ports[i] = l.LoadBalancerPort
	}
	return []string{h.st.elb.ec2.ELBSecurityGroup(ports).id}
}

// sourceSecurityGroup is what DescribeLoadBalancers answers as SourceSecurityGroup: the name
// and owner of the load balancer's first security group (docs/sources.md 20g).
func (h *handler) sourceSecurityGroup(lb *loadBalancer) (name, owner string) {
	owner = h.st.elb.account
	if len(lb.securityGroups) > 0 {
		if g, ok := h.st.elb.ec2.SecurityGroup(lb.securityGroups[0]); ok {
			name, owner = g.name, g.ownerID
		}
	}
	return h.dev.SourceSecurityGroupName(name), owner
}
