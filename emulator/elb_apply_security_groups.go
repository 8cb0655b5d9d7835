package emulator

import "github.com/elbconform/elbconform/emulator/internal/wire"

// applySecurityGroupsToLoadBalancer replaces the load balancer's security groups with those
// given ("The specified security groups override the previously associated security groups")
// and answers them (docs/sources.md 20h). Each is checked as CreateLoadBalancer checks them:
// an unknown or malformed id is InvalidSecurityGroup, a group of another VPC
// InvalidConfigurationRequest, and a refused call changes nothing.
func (h *handler) applySecurityGroupsToLoadBalancer(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name := p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	ids, e := listParam(p, "SecurityGroups.member")
	if e != nil {
		return e
	}
	if len(ids) == 0 {
		return errMissingParam("SecurityGroups")
	}
	return h.changeLB(name, func(lb *loadBalancer) *wire.Error {
		groups, e := h.checkSecurityGroups(ids, lb.vpc.id)
		if e != nil {
			if e = h.dev.ApplyGroupsRefusal(e); e != nil {
				return e
			}
			groups = dedupe(ids)
		}
		h.dev.ApplySecurityGroups(func() { lb.securityGroups = groups })
		x.Strings("SecurityGroups", groups)
		return nil
	})
}
