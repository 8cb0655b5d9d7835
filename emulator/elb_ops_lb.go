package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Load balancer lifecycle operations: create, delete, describe, health check, limits.

const (
	maxLoadBalancers      = 20  // per region (Classic Load Balancer guide quota)
	maxListenersPerLB     = 100 // per load balancer (same guide)
	maxTagsPerLB          = 10  // TooManyTags beyond (model/API reference)
	maxDescribePageSize   = 400 // DescribeLoadBalancers PageSize range 1-400 (API reference)
	defaultScheme         = "internet-facing"
	defaultHealthInterval = 30
)

// canonicalZoneIDs are the Route 53 hosted zone ids of ELB Classic per region (informative;
// unknown regions fall back to us-east-1's).
var canonicalZoneIDs = map[string]string{
	"us-east-1": "Z35SXDOTRQ7X7K", "us-east-2": "Z3AADJGX6KTTL2",
	"us-west-1": "Z368ELLRRE2KJ0", "us-west-2": "Z1H1FL5HABSF5",
	"eu-west-1": "Z32O12XQLNTSW2", "eu-central-1": "Z215JYRZR1TBD5",
}

// lbNotFound is the answer for a well-formed name of a load balancer that does not exist.
func (h *handler) lbNotFound(name string) *wire.Error {
	return h.dev.LBNotFound(name, errLBNotFound(name))
}

// lookupLB validates name and returns its load balancer. The caller holds the store lock.
func (h *handler) lookupLB(name string) (*loadBalancer, *wire.Error) {
	if e := validateLBName(name); e != nil {
		return nil, e
	}
	lb, ok := h.st.lbs[name]
	if !ok {
		return nil, h.lbNotFound(name)
	}
	return lb, nil
}

func (h *handler) createLoadBalancer(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name := p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	listeners, e := parseListeners(p)
	if e != nil {
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
	tags, e := parseTagsParam(p, "Tags.member")
	if e != nil {
		return e
	}
	if len(tags) > maxTagsPerLB {
		return wire.NewError(http.StatusBadRequest, "TooManyTags", "A load balancer can have at most %d tags.", maxTagsPerLB)
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

	if existing, ok := st.lbs[name]; ok {
		// Idempotent: the same name with the same listeners answers the existing DNS name.
		if sameListeners(existing.listeners, listeners) {
			x.Leaf("DNSName", existing.dnsName)
			return nil
		}
		return wire.NewError(http.StatusBadRequest, "DuplicateLoadBalancerName",
			"Load Balancer named '%s' already exists and it is configured with different parameters.", name)
	}
	if len(st.lbs) >= maxLoadBalancers {
		return wire.NewError(http.StatusBadRequest, "TooManyLoadBalancers",
			"Exceeded quota of account %s: at most %d load balancers per region.", st.account, maxLoadBalancers)
	}
	subnets, e := h.resolveCreateSubnets(zones, subnetIDs)
	if e != nil {
		return e
	}
	lbVPC := subnets[0].vpc
	if len(groups) == 0 {
		groups = []string{lbVPC.securityGroup}
	}

	dns := name + "-" + randomDigits(10) + "." + st.region + ".elb.amazonaws.com"
	if scheme == "internal" {
		dns = "internal-" + dns
	}
	lb := &loadBalancer{
		name:           name,
		dnsName:        strings.ToLower(dns),
		createdAt:      rc.Now,
		scheme:         scheme,
		vpc:            lbVPC,
		listeners:      listeners,
		healthCheck:    defaultHealthCheck(listeners[0]),
		securityGroups: dedupe(groups),
		tags:           tags,
		everEnabled:    map[string]bool{},
		members:        newMembership(),
		former:         map[string]struct{}{},
	}
	for _, sn := range subnets {
		lb.attach(sn, rc.Now)
	}
	h.dev.OnCreate(lb)
	st.lbs[name] = lb
	x.Leaf("DNSName", lb.dnsName)
	return nil
}

// resolveCreateSubnets maps CreateLoadBalancer's AvailabilityZones (default VPC) or Subnets to
// the subnets to attach. The caller holds the store lock.
func (h *handler) resolveCreateSubnets(zones, subnetIDs []string) ([]*subnet, *wire.Error) {
	st := h.st
	var out []*subnet
	for _, z := range dedupe(zones) {
		sn := st.defaultSubnet(z)
		if sn == nil {
			return nil, errValidation("Invalid Availability Zone: %s", wire.Truncate(z, 40))
		}
		out = append(out, sn)
	}
	if len(out) > 0 {
		return out, nil
	}
	zonesSeen := map[string]bool{}
	for _, id := range dedupe(subnetIDs) {
		sn, ok := st.subnets[id]
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

// parseListeners reads Listeners.member.N: Protocol, LoadBalancerPort and InstancePort are
// required; a secure front end needs SSLCertificateId; ports must be unique (DuplicateListener).
func parseListeners(p wire.Params) ([]listener, *wire.Error) {
	members, err := p.Structs("Listeners.member")
	if err != nil {
		return nil, errValidation("%v", err)
	}
	if len(members) == 0 {
		return nil, errMissingParam("Listeners")
	}
	if len(members) > maxListenersPerLB {
		return nil, errValidation("A load balancer can have at most %d listeners.", maxListenersPerLB)
	}
	var out []listener
	ports := map[int]bool{}
	for _, m := range members {
		proto, e := parseProtocol(m["Protocol"], "Protocol")
		if e != nil {
			return nil, e
		}
		lbPort, e := parsePort(m, "LoadBalancerPort")
		if e != nil {
			return nil, e
		}
		instPort, e := parsePort(m, "InstancePort")
		if e != nil {
			return nil, e
		}
		// Default back-end protocol: the front end's, with TLS terminated at the load balancer
		// (HTTPS->HTTP, SSL->TCP). Believed from AWS examples; the reference leaves it open.
		instProto := map[string]string{"HTTP": "HTTP", "HTTPS": "HTTP", "TCP": "TCP", "SSL": "TCP"}[proto]
		if raw := m["InstanceProtocol"]; raw != "" {
			if instProto, e = parseProtocol(raw, "InstanceProtocol"); e != nil {
				return nil, e
			}
		}
		cert := m["SSLCertificateId"]
		if (proto == "HTTPS" || proto == "SSL") && cert == "" {
			return nil, errValidation("A listener with protocol %s requires an SSLCertificateId.", proto)
		}
		if ports[lbPort] {
			return nil, wire.NewError(http.StatusBadRequest, "DuplicateListener", "A listener already exists for port %d.", lbPort)
		}
		ports[lbPort] = true
		out = append(out, listener{Protocol: proto, LoadBalancerPort: lbPort, InstanceProtocol: instProto, InstancePort: instPort, SSLCertificateID: cert})
	}
	return out, nil
}

func parseProtocol(raw, field string) (string, *wire.Error) {
	if raw == "" {
		return "", errMissingParam("Listeners.member.N." + field)
	}
	proto := strings.ToUpper(raw)
	switch proto {
	case "HTTP", "HTTPS", "TCP", "SSL":
		return proto, nil
	}
	return "", wire.NewError(http.StatusBadRequest, "UnsupportedProtocol", "Unsupported protocol '%s': use HTTP, HTTPS, TCP or SSL.", wire.Truncate(raw, 20))
}

func parsePort(m wire.Params, field string) (int, *wire.Error) {
	raw, ok := m[field]
	if !ok || raw == "" {
		return 0, errMissingParam("Listeners.member.N." + field)
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 65535 {
		return 0, errValidation("%s must be an integer between 1 and 65535.", field)
	}
	return n, nil
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

// deleteLoadBalancer removes a load balancer and its registrations. Deleting a load balancer
// that does not exist succeeds (doc: the call is idempotent).
func (h *handler) deleteLoadBalancer(rc *wire.Request, x *wire.Writer) *wire.Error {
	name := rc.Params["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	lb, ok := st.lbs[name]
	if !ok {
		return h.dev.DeleteUnknown(name)
	}
	lb.members.each(func(id string, _ *member) {
		if in := st.instances[id]; in != nil {
			delete(in.lbs, name)
		}
	})
	h.dev.OnDelete(lb)
	delete(st.lbs, name)
	h.dp.remove(lb) // closes its listeners, stops its health checker
	return nil
}

// describeLoadBalancers answers the named load balancers (or all), sorted by name and paged
// by PageSize/Marker. The marker is the last name answered, base64-encoded to stay opaque.
func (h *handler) describeLoadBalancers(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	names, e := listParam(p, "LoadBalancerNames.member")
	if e != nil {
		return e
	}
	pageSize, hasPageSize, e := intParam(p, "PageSize", 1, maxDescribePageSize)
	if e != nil {
		return e
	}
	after := ""
	if m, ok := p["Marker"]; ok && m != "" {
		raw, err := base64.RawURLEncoding.DecodeString(m)
		if err != nil || validateLBName(string(raw)) != nil {
			return errValidation("Invalid Marker.")
		}
		after = string(raw)
	}
	for _, n := range names {
		if e := validateLBName(n); e != nil {
			return e
		}
	}

	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock()

	var lbs []*loadBalancer
	if len(names) > 0 {
		for _, n := range dedupe(names) {
			lb, ok := st.lbs[n]
			if !ok {
				if e := h.dev.DescribeUnknown(h.lbNotFound(n)); e != nil {
					return e
				}
				continue
			}
			lbs = append(lbs, lb)
		}
	} else {
		for _, lb := range st.lbs {
			lbs = append(lbs, lb)
		}
		lbs = h.dev.DescribeAll(lbs)
	}
	slices.SortFunc(lbs, func(a, b *loadBalancer) int { return strings.Compare(a.name, b.name) })
	if after != "" {
		i, _ := slices.BinarySearchFunc(lbs, after, func(lb *loadBalancer, n string) int {
			if lb.name <= n {
				return -1
			}
			return 1
		})
		lbs = lbs[i:]
	}
	next := ""
	if hasPageSize && len(lbs) > pageSize {
		lbs = lbs[:pageSize]
		next = base64.RawURLEncoding.EncodeToString([]byte(lbs[pageSize-1].name))
	}
	next = h.dev.DescribeNextMarker(next)
	x.Structs("LoadBalancerDescriptions", len(lbs), func(i int) {
		h.writeLBDescription(x, lbs[i], rc.Now)
	})
	if next != "" {
		x.Leaf("NextMarker", next)
	}
	return nil
}

// writeLBDescription writes one LoadBalancerDescription, elements in the model's order.
func (h *handler) writeLBDescription(x *wire.Writer, lb *loadBalancer, now time.Time) {
	x.Strings("AvailabilityZones", lb.zones())
	x.Structs("BackendServerDescriptions", 0, nil)
	x.Leaf("CanonicalHostedZoneName", lb.dnsName)
	zoneID, ok := canonicalZoneIDs[h.st.region]
	if !ok {
		zoneID = canonicalZoneIDs["us-east-1"]
	}
	x.Leaf("CanonicalHostedZoneNameID", zoneID)
	x.LeafTime("CreatedTime", lb.createdAt)
	x.Leaf("DNSName", lb.dnsName)
	writeHealthCheck(x, lb.healthCheck)
	members := h.dev.VisibleMembers(lb, lb.members.ids(), now)
	x.Structs("Instances", len(members), func(i int) { x.Leaf("InstanceId", members[i]) })
	x.Structs("ListenerDescriptions", len(lb.listeners), func(i int) {
		l := lb.listeners[i]
		x.Open("Listener")
		x.LeafInt("InstancePort", l.InstancePort)
		x.Leaf("InstanceProtocol", l.InstanceProtocol)
		x.LeafInt("LoadBalancerPort", l.LoadBalancerPort)
		x.Leaf("Protocol", l.Protocol)
		if l.SSLCertificateID != "" {
			x.Leaf("SSLCertificateId", l.SSLCertificateID)
		}
		x.Close("Listener")
		x.Strings("PolicyNames", nil)
	})
	x.Leaf("LoadBalancerName", lb.name)
	x.Open("Policies")
	x.Structs("AppCookieStickinessPolicies", 0, nil)
	x.Structs("LBCookieStickinessPolicies", 0, nil)
	x.Strings("OtherPolicies", nil)
	x.Close("Policies")
	x.Leaf("Scheme", lb.scheme)
	x.Strings("SecurityGroups", lb.securityGroups)
	x.Open("SourceSecurityGroup")
	x.Leaf("GroupName", "default")
	x.Leaf("OwnerAlias", h.st.account)
	x.Close("SourceSecurityGroup")
	x.Strings("Subnets", lb.subnetIDs())
	x.Leaf("VPCId", lb.vpc.id)
}

func writeHealthCheck(x *wire.Writer, hc healthCheck) {
	x.Open("HealthCheck")
	x.LeafInt("HealthyThreshold", hc.HealthyThreshold)
	x.LeafInt("Interval", hc.Interval)
	x.Leaf("Target", hc.Target)
	x.LeafInt("Timeout", hc.Timeout)
	x.LeafInt("UnhealthyThreshold", hc.UnhealthyThreshold)
	x.Close("HealthCheck")
}

// configureHealthCheck replaces the health check. Instances backed by a real address are
// probed with it from the next check (healthcheck.go); simulated instances' derived health
// does not depend on it.
func (h *handler) configureHealthCheck(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name := p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	hc, e := parseHealthCheck(p)
	if e != nil {
		return e
	}
	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	lb, e := h.lookupLB(name)
	if e != nil {
		return e
	}
	lb.healthCheck = hc
	h.dp.onChange(lb) // the next check uses hc, and its interval counts from the last check
	writeHealthCheck(x, hc)
	return nil
}

// parseHealthCheck validates HealthCheck.*: every field is required; ranges and the target
// syntax follow the API reference (interval 5-300, timeout 2-60 and below the interval,
// thresholds 2-10, target PROTOCOL:PORT[/path] with a path only for HTTP(S)).
func parseHealthCheck(p wire.Params) (healthCheck, *wire.Error) {
	var hc healthCheck
	fields := []struct {
		key    string
		lo, hi int
		dst    *int
	}{
		{"HealthCheck.Interval", 5, 300, &hc.Interval},
		{"HealthCheck.Timeout", 2, 60, &hc.Timeout},
		{"HealthCheck.UnhealthyThreshold", 2, 10, &hc.UnhealthyThreshold},
		{"HealthCheck.HealthyThreshold", 2, 10, &hc.HealthyThreshold},
	}
	for _, f := range fields {
		v, ok, e := intParam(p, f.key, f.lo, f.hi)
		if e != nil {
			return hc, e
		}
		if !ok {
			return hc, errMissingParam(f.key)
		}
		*f.dst = v
	}
	if hc.Timeout >= hc.Interval {
		return hc, errValidation("HealthCheck.Timeout must be less than HealthCheck.Interval.")
	}
	hc.Target = p["HealthCheck.Target"]
	if hc.Target == "" {
		return hc, errMissingParam("HealthCheck.Target")
	}
	if !validHealthTarget(hc.Target) {
		return hc, errValidation("Invalid HealthCheck.Target '%s': expected PROTOCOL:PORT or HTTP(S):PORT/PATH.", wire.Truncate(hc.Target, 64))
	}
	return hc, nil
}

func validHealthTarget(t string) bool {
	proto, rest, ok := strings.Cut(t, ":")
	if !ok {
		return false
	}
	port, path, hasPath := strings.Cut(rest, "/")
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || len(t) > 1024 {
		return false
	}
	switch strings.ToUpper(proto) {
	case "HTTP", "HTTPS":
		return hasPath
	case "TCP", "SSL":
		return !hasPath && path == ""
	}
	return false
}

// describeAccountLimits answers the Classic quotas the emulator enforces, paged by
// PageSize (1-400, API reference) and Marker. The marker is the last limit name answered,
// base64-encoded to stay opaque, as DescribeLoadBalancers' is.
func (h *handler) describeAccountLimits(rc *wire.Request, x *wire.Writer) *wire.Error {
	pageSize, hasPageSize, e := intParam(rc.Params, "PageSize", 1, maxDescribePageSize)
	if e != nil {
		return e
	}
	instances := strconv.Itoa(h.opts.MaxInstancesPerLoadBalancer)
	if h.opts.MaxInstancesPerLoadBalancer < 0 {
		instances = "unlimited"
	}
	limits := [][2]string{
		{"classic-load-balancers", strconv.Itoa(maxLoadBalancers)},
		{"classic-listeners", strconv.Itoa(maxListenersPerLB)},
		{"classic-registered-instances", instances},
	}
	from := 0
	if m, ok := rc.Params["Marker"]; ok && m != "" {
		raw, err := base64.RawURLEncoding.DecodeString(m)
		i := slices.IndexFunc(limits, func(l [2]string) bool { return l[0] == string(raw) })
		if err != nil || i < 0 {
			return errValidation("Invalid Marker.")
		}
		from = i + 1
	}
	pageSize, hasPageSize, from = h.dev.AccountLimitsPaging(pageSize, hasPageSize, from)
	limits = limits[from:]
	next := ""
	if hasPageSize && len(limits) > pageSize {
		limits = limits[:pageSize]
		next = base64.RawURLEncoding.EncodeToString([]byte(limits[pageSize-1][0]))
	}
	x.Structs("Limits", len(limits), func(i int) {
		x.Leaf("Max", limits[i][1])
		x.Leaf("Name", limits[i][0])
	})
	if next != "" {
		x.Leaf("NextMarker", next)
	}
	return nil
}
