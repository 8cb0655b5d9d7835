package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

func (h *handler) createLoadBalancer(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name := p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		if name == "" {
			return e
		}
		if e = h.dev.InvalidLBName(e); e != nil {
			return e
		}
	}
	listeners, e := parseListeners(p)
	if e != nil {
		return e
	}
	if e := h.checkListenerProtocols(listeners); e != nil {
		return e
	}
	zones, e := listParam(p, "AvailabilityZones.member")
	if e != nil {
		return e
	}
	subnetIDs, e := listParam(p, "Subnets.member")
	if e != nil {
		return e
	}
	groups, e := listParam(p, "SecurityGroups.member")
	if e != nil {
		return e
	}
	tags, e := h.tagsParam(p) // elb_tags_quotas.go: tags and quotas
	if e != nil {
		return e
	}
	if e := h.tooManyTags(name, len(tags)); e != nil {
		return e
	}
	if e := h.tooManyListeners(name, len(listeners)); e != nil {
		return e
	}
	scheme := p["Scheme"]
	if scheme == "" {
		scheme = defaultScheme
	}
	if scheme != "internet-facing" && scheme != "internal" {
		return wire.NewError(http.StatusBadRequest, "InvalidScheme", "Invalid scheme '%s': must be internet-facing or internal.", wire.Truncate(scheme, 40))
	}
	switch {
	case len(zones) == 0 && len(subnetIDs) == 0:
		return errValidation("Either AvailabilityZones or SubnetIds must be specified.")
	case len(zones) > 0 && len(subnetIDs) > 0:
		return errValidation("Only one of SubnetIds or AvailabilityZones may be specified.")
	}

	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()

	if e := h.checkListenerCertificates(listeners); e != nil { // elb_certificates.go
		return e
	}
	if existing, ok := st.elb.lbs[name]; ok {
		// Idempotent: the same name with the same settings answers the existing DNS name
		// (docs/sources.md 23f).
		if h.dev.CreateSettingsMatch(sameCreateSettings(existing, listeners, zones, subnetIDs, scheme, tags)) {
			x.Leaf("DNSName", existing.dnsName)
			return nil
		}
		return wire.NewError(http.StatusBadRequest, "DuplicateLoadBalancerName",
			"Load Balancer named '%s' already exists and it is configured with different parameters.", name)
	}
	if e := h.tooManyLoadBalancers(len(st.elb.lbs)); e != nil {
		return e
	}
	subnets, e := h.resolveCreateSubnets(zones, subnetIDs)
	if e != nil {
		return e
	}
	lbVPC := subnets[0].vpc
	if len(groups) > 0 { // elb_helpers_security_groups.go
		checked, e := h.checkSecurityGroups(groups, lbVPC.id)
		if e != nil {
			if e = h.dev.CreateGroupsRefusal(e); e != nil {
				return e
			}
			checked = dedupe(groups)
		}
		groups = checked
	} else {
		groups = h.dev.DefaultSecurityGroups(h.defaultSecurityGroups(lbVPC, listeners))
	}

	dns := name + "-" + randomDigits(10) + "." + st.elb.region + ".elb.amazonaws.com"
	if scheme == "internal" {
		dns = "internal-" + dns
	}
	lb := &loadBalancer{
		name:             name,
		dnsName:          strings.ToLower(dns),
		createdAt:        rc.Now,
		scheme:           scheme,
		vpc:              lbVPC,
		listeners:        listeners,
		healthCheck:      defaultHealthCheck(listeners[0]),
		securityGroups:   groups,
		tags:             tags,
		attributes:       newAttributes(),
		listenerPolicies: map[int][]string{},
		backendPolicies:  map[int][]string{},
		everEnabled:      map[string]bool{},
		members:          newMembership(),
		former:           map[string]struct{}{},
		draining:         map[string]drainingMember{},
	}
	for _, sn := range subnets {
		lb.attach(sn, rc.Now)
	}
	h.dev.OnCreate(lb)
	st.elb.lbs[name] = lb
	x.Leaf("DNSName", lb.dnsName)
	return nil
}

// resolveCreateSubnets maps CreateLoadBalancer's AvailabilityZones (default VPC) or Subnets to
// the subnets to attach. The caller holds the store lock.
func (h *handler) resolveCreateSubnets(zones, subnetIDs []string) ([]subnetInfo, *wire.Error) {
	ec2 := h.st.elb.ec2
	var out []subnetInfo
	for _, z := range dedupe(zones) {
		sn, ok := ec2.DefaultSubnet(z)
		if !ok {
			return nil, errValidation("Invalid Availability Zone: %s", wire.Truncate(z, 40))
		}
		out = append(out, sn)
	}
	if len(out) > 0 {
		return out, nil
	}
	zonesSeen := map[string]bool{}
	for _, id := range dedupe(subnetIDs) {
		sn, ok := ec2.Subnet(id)
		if !ok {
			return nil, wire.NewError(http.StatusBadRequest, "SubnetNotFound", "One or more subnets were not found: %s", wire.Truncate(id, 64))
		}
		if len(out) > 0 && sn.vpc != out[0].vpc {
			return nil, errInvalidConfiguration("All subnets must belong to the same VPC: %s is in %s, not %s.", sn.id, sn.vpc.id, out[0].vpc.id)
		}
		if zonesSeen[sn.zone] {
			return nil, errInvalidConfiguration("Only one subnet per Availability Zone may be attached: %s is a second subnet in %s.", sn.id, sn.zone)
		}
		zonesSeen[sn.zone] = true
		out = append(out, sn)
	}
	return out, nil
}

// sameCreateSettings reports whether a CreateLoadBalancer for the name of existing asks for
// what existing is now: the same listeners, placement (the same zones of the default VPC, or
// the same subnets), scheme and tags, each regardless of order. Tags count: AWS refused a
// repeated create whose tags differed with DuplicateLoadBalancerName "... already exists and
// it is configured with different tags" (docs/sources.md 23f); the other settings are
// believed to count as well. Security groups are not compared (no source either way).
func sameCreateSettings(existing *loadBalancer, listeners []listener, zones, subnetIDs []string, scheme string, tags tagSet) bool {
	var samePlacement bool
	if len(zones) > 0 {
		samePlacement = existing.vpc.isDefault && sameStrings(dedupe(zones), existing.zones())
	} else {
		samePlacement = sameStrings(dedupe(subnetIDs), existing.subnetIDs())
	}
	return samePlacement && existing.scheme == scheme && sameListeners(existing.listeners, listeners) &&
		len(tags) == len(existing.tags) && !slices.ContainsFunc(tags, func(t tag) bool { return !slices.Contains(existing.tags, t) })
}

// sameStrings compares two lists without repeats regardless of order.
func sameStrings(a, b []string) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(s string) bool { return !slices.Contains(b, s) })
}

// sameListeners compares listener sets regardless of order (CreateLoadBalancer idempotency).
func sameListeners(a, b []listener) bool {
	if len(a) != len(b) {
		return false
	}
	for _, l := range a {
		if !slices.Contains(b, l) {
			return false
		}
	}
	return true
}

// defaultHealthCheck is what AWS gives a new load balancer: TCP on the first listener's
// instance port, interval 30, timeout 5, unhealthy 2, healthy 10 (seen in real answers).
func defaultHealthCheck(l listener) healthCheck {
	return healthCheck{
		Target:             "TCP:" + strconv.Itoa(l.InstancePort),
		Interval:           defaultHealthInterval,
		Timeout:            5,
		UnhealthyThreshold: 2,
		HealthyThreshold:   10,
	}
}
