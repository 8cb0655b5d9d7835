package emulator

import "github.com/elbconform/elbconform/emulator/internal/wire"

// Zone and subnet operations. A load balancer has one subnet per enabled zone: in the default
// VPC, Enable/DisableAvailabilityZones attach/detach the zone's default subnet; in any VPC,
// Attach/DetachLoadBalancerToSubnets do it explicitly. Disabling a zone leaves its instances
// registered (they go OutOfService).

// enableAvailabilityZones answers the full zone list after the change (API examples).
// Enabling zones is only for the default VPC; elsewhere it is a ValidationError (docs/sources.md 5d).
func (h *handler) enableAvailabilityZones(rc *wire.Request, x *wire.Writer) *wire.Error {
	lb, zones, e := h.zoneRequest(rc)
	if e != nil {
		return e
	}
	defer h.st.mu.Unlock()
	var toAttach []subnetInfo
	for _, z := range zones {
		sn, ok := h.st.elb.ec2.DefaultSubnet(z)
		if !ok {
			return errValidation("Invalid Availability Zone: %s", wire.Truncate(z, 40))
		}
		if _, enabled := lb.zoneEnabledAt(z); !enabled {
			toAttach = append(toAttach, sn)
		}
	}
	var added []string
	for _, sn := range toAttach {
		lb.attach(sn, rc.Now)
		added = append(added, sn.zone)
	}
	h.zonesChanged(lb)
	x.Strings("AvailabilityZones", h.dev.EnableZonesAnswer(added, lb.zones()))
	return nil
}

// disableAvailabilityZones answers the remaining zones. Removing the last zone is
// InvalidConfigurationRequest (409, believed); zones not enabled are ignored (idempotent).
func (h *handler) disableAvailabilityZones(rc *wire.Request, x *wire.Writer) *wire.Error {
	lb, zones, e := h.zoneRequest(rc)
	if e != nil {
		return e
	}
	defer h.st.mu.Unlock()
	removing := map[string]bool{}
	for _, z := range zones {
		if !h.st.elb.ec2.ValidZone(z) {
			return errValidation("Invalid Availability Zone: %s", wire.Truncate(z, 40))
		}
		removing[z] = true
	}
	var detach []string
	for _, a := range lb.attached {
		if removing[a.subnet.zone] {
			detach = append(detach, a.subnet.id)
		}
	}
	if len(detach) == len(lb.attached) {
		if e := h.dev.LastZoneRefusal(errInvalidConfiguration("Cannot disable all Availability Zones of load balancer %s: at least one must remain.", lb.name)); e != nil {
			return e
		}
	}
	for _, id := range detach {
		lb.detach(id)
	}
	h.zonesChanged(lb)
	x.Strings("AvailabilityZones", lb.zones())
	return nil
}

// zoneRequest validates an Enable/Disable request and returns the load balancer with the
// store's write lock HELD on success (the caller unlocks), so lookup and change are atomic.
func (h *handler) zoneRequest(rc *wire.Request) (*loadBalancer, []string, *wire.Error) {
	name := rc.Params["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return nil, nil, e
	}
	zones, e := listParam(rc.Params, "AvailabilityZones.member")
	if e != nil {
		return nil, nil, e
	}
	if len(zones) == 0 {
		return nil, nil, errMissingParam("AvailabilityZones")
	}
	h.st.mu.Lock()
	lb, e := h.lookupLB(name)
	if e == nil && !lb.vpc.isDefault {
		e = h.dev.NonDefaultVPCZones(errValidation("Load balancer %s is in non-default VPC %s: use AttachLoadBalancerToSubnets / DetachLoadBalancerFromSubnets.",
			lb.name, lb.vpc.id))
	}
	if e != nil {
		h.st.mu.Unlock()
		return nil, nil, e
	}
	return lb, dedupe(zones), nil
}
