package emulator

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// describeSecurityGroups answers the groups named by GroupId.N (each must exist) and
// GroupName.N (groups of the default VPC), or all of them, kept where they match every
// filter. MaxResults and NextToken are accepted and every group is answered at once, without
// a nextToken (a paginator then stops after one page).
func (h *handler) describeSecurityGroups(rc *wire.Request, x *wire.Writer) *wire.Error {
	ids, err := rc.Params.List("GroupId")
	if err != nil {
		return errEC2InvalidParam("%v", err)
	}
	names, err := rc.Params.List("GroupName")
	if err != nil {
		return errEC2InvalidParam("%v", err)
	}
	for _, id := range ids {
		if !sgIDPattern.MatchString(id) {
			return errSGMalformed(id)
		}
	}
	filters, e := parseFilters(rc.Params)
	if e != nil {
		return e
	}
	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	s := st.ec2
	candidates := s.sgOrder
	if len(ids) > 0 || len(names) > 0 {
		candidates = nil
		var missing []string
		for _, id := range dedupe(ids) {
			if g := s.securityGroups[id]; g != nil {
				candidates = append(candidates, g)
			} else {
				missing = append(missing, id)
			}
		}
		for _, name := range dedupe(names) {
			if g := s.groupNamed(s.defaultVPC, name); g != nil {
				if !containsGroup(candidates, g) {
					candidates = append(candidates, g)
				}
			} else {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			return wire.NewError(http.StatusBadRequest, "InvalidGroup.NotFound", "The security group '%s' does not exist",
				wire.Truncate(strings.Join(missing, ","), 2000))
		}
	}
	var out []*securityGroup
	for _, g := range candidates {
		ok, e := matchFilters(filters, func(name string) ([]string, bool) {
			switch name {
			case "group-id":
				return []string{g.id}, true
			case "group-name":
				return []string{g.name}, true
			case "vpc-id":
				return []string{g.vpc.id}, true
			case "description":
				return []string{g.description}, true
			case "owner-id":
				return []string{s.account}, true
			}
			return tagAttrs(g.tags, name)
		})
		if e != nil {
			return e
		}
		if ok {
			out = append(out, g)
		}
	}
	x.Structs("securityGroupInfo", len(out), func(i int) { h.writeSecurityGroup(x, out[i]) })
	return nil
}

func containsGroup(list []*securityGroup, g *securityGroup) bool {
	for _, o := range list {
		if o == g {
			return true
		}
	}
	return false
}

// writeSecurityGroup writes one SecurityGroup. Rules of the same protocol and ports are one
// IpPermission, as EC2 answers them, in the order they were added.
func (h *handler) writeSecurityGroup(x *wire.Writer, g *securityGroup) {
	x.Leaf("ownerId", h.st.ec2.account)
	x.Leaf("groupId", g.id)
	x.Leaf("groupName", g.name)
	x.Leaf("groupDescription", g.description)
	h.writePermissions(x, "ipPermissions", g.ingress)
	h.writePermissions(x, "ipPermissionsEgress", g.egress)
	x.Leaf("vpcId", g.vpc.id)
	x.Leaf("securityGroupArn", h.sgARN(g))
	if len(g.tags) > 0 {
		writeEC2Tags(x, g.tags)
	}
}

// writePermissions writes rules as IpPermissions.
func (h *handler) writePermissions(x *wire.Writer, elem string, rules []sgRule) {
	type key struct {
		protocol string
		from, to int
	}
	var keys []key
	byKey := map[key][]sgRule{}
	for _, r := range rules {
		k := key{r.protocol, r.fromPort, r.toPort}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], r)
	}
	x.Structs(elem, len(keys), func(i int) {
		k := keys[i]
		x.Leaf("ipProtocol", k.protocol)
		if k.protocol != "-1" {
			x.Leaf("fromPort", strconv.Itoa(k.from))
			x.Leaf("toPort", strconv.Itoa(k.to))
		}
		var cidrs, groups []sgRule
		for _, r := range byKey[k] {
			if r.group != "" {
				groups = append(groups, r)
			} else {
				cidrs = append(cidrs, r)
			}
		}
		x.Structs("groups", len(groups), func(j int) {
			x.Leaf("userId", h.st.ec2.account)
			x.Leaf("groupId", groups[j].group)
			if groups[j].description != "" {
				x.Leaf("description", groups[j].description)
			}
		})
		x.Structs("ipRanges", len(cidrs), func(j int) {
			x.Leaf("cidrIp", cidrs[j].cidr)
			if cidrs[j].description != "" {
				x.Leaf("description", cidrs[j].description)
			}
		})
		x.Structs("ipv6Ranges", 0, func(int) {})
		x.Structs("prefixListIds", 0, func(int) {})
	})
}
