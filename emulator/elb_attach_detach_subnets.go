package emulator

import (
	"net/http"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Subnet operations; see elb_availability_zones.go for how zones and subnets relate.

// attachToSubnets answers the full subnet list after the change. A subnet of another VPC, or
// a second subnet in an already enabled zone, is InvalidConfigurationRequest; an unknown
// subnet is SubnetNotFound (model); an already attached subnet is a no-op.
func (h *handler) attachToSubnets(rc *wire.Request, x *wire.Writer) *wire.Error {
	lb, ids, e := h.subnetRequest(rc)
	if e != nil {
		return e
	}
	defer h.st.mu.Unlock()
	var toAttach []subnetInfo
	zones := map[string]string{} // zone -> subnet attached or being attached
	for _, a := range lb.attached {
		zones[a.subnet.zone] = a.subnet.id
	}
	for _, id := range ids {
		sn, ok := h.st.elb.ec2.Subnet(id)
		if !ok {
			return wire.NewError(http.StatusBadRequest, "SubnetNotFound", "The subnet %s does not exist.", wire.Truncate(id, 64))
		}
		if sn.vpc != lb.vpc {
			return errInvalidConfiguration("Subnet %s is in VPC %s, but load balancer %s is in VPC %s.", sn.id, sn.vpc.id, lb.name, lb.vpc.id)
		}
		switch other, taken := zones[sn.zone]; {
		case taken && other == sn.id:
			continue // already attached: idempotent
		case taken:
			ref := errInvalidConfiguration("Load balancer %s already has subnet %s in %s; only one subnet per Availability Zone.", lb.name, other, sn.zone)
			if e := h.dev.SecondSubnetInZone(ref); e != nil {
				return e
			}
		}
		zones[sn.zone] = sn.id
		toAttach = append(toAttach, sn)
	}
	for _, sn := range toAttach {
		lb.attach(sn, rc.Now)
	}
	h.zonesChanged(lb)
	x.Strings("Subnets", h.dev.AttachSubnetsAnswer(ids, lb.subnetIDs()))
	return nil
}

// detachFromSubnets answers the remaining subnets. Detaching the last subnet is
// InvalidConfigurationRequest (409); subnets not attached are ignored (idempotent).
func (h *handler) detachFromSubnets(rc *wire.Request, x *wire.Writer) *wire.Error {
	lb, ids, e := h.subnetRequest(rc)
	if e != nil {
		return e
	}
	defer h.st.mu.Unlock()
	removing := map[string]bool{}
	for _, id := range ids {
		removing[id] = true
	}
	remaining := 0
	for _, a := range lb.attached {
		if !removing[a.subnet.id] {
			remaining++
		}
	}
	if remaining == 0 {
		return errInvalidConfiguration("Cannot detach all subnets of load balancer %s: at least one must remain.", lb.name)
	}
	var answer []string
	for _, id := range lb.subnetIDs() {
		if !removing[id] {
			answer = append(answer, id)
		}
	}
	h.dev.DetachSubnets(func() {
		for id := range removing {
			lb.detach(id)
		}
	})
	h.zonesChanged(lb)
	x.Strings("Subnets", answer)
	return nil
}

// subnetRequest validates an Attach/Detach request and returns the load balancer with the
// store's write lock HELD on success (the caller unlocks).
func (h *handler) subnetRequest(rc *wire.Request) (*loadBalancer, []string, *wire.Error) {
	name := rc.Params["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return nil, nil, e
	}
	ids, e := listParam(rc.Params, "Subnets.member")
	if e != nil {
		return nil, nil, e
	}
	if len(ids) == 0 {
		return nil, nil, errMissingParam("Subnets")
	}
	h.st.mu.Lock()
	lb, e := h.lookupLB(name)
	if e != nil {
		h.st.mu.Unlock()
		return nil, nil, e
	}
	return lb, dedupe(ids), nil
}
