package emulator

import (
	"encoding/base64"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// canonicalZoneIDs are the Route 53 hosted zone ids of ELB Classic per region (informative;
// unknown regions fall back to us-east-1's).
var canonicalZoneIDs = map[string]string{
	"us-east-1": "Z35SXDOTRQ7X7K", "us-east-2": "Z3AADJGX6KTTL2",
	"us-west-1": "Z368ELLRRE2KJ0", "us-west-2": "Z1H1FL5HABSF5",
	"eu-west-1": "Z32O12XQLNTSW2", "eu-central-1": "Z215JYRZR1TBD5",
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
			lb, ok := st.elb.lbs[n]
			if !ok {
				if e := h.dev.DescribeUnknown(h.lbNotFound(n)); e != nil {
					return e
				}
				continue
			}
			lbs = append(lbs, lb)
		}
	} else {
		for _, lb := range st.elb.lbs {
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
	backends := h.dev.VisibleBackendPolicies(lb.backendPolicies)
	ports := slices.Sorted(maps.Keys(backends))
	x.Structs("BackendServerDescriptions", len(ports), func(i int) {
		x.LeafInt("InstancePort", ports[i])
		x.Strings("PolicyNames", backends[ports[i]])
	})
	x.Leaf("CanonicalHostedZoneName", lb.dnsName)
	zoneID, ok := canonicalZoneIDs[h.st.elb.region]
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
		x.Strings("PolicyNames", lb.listenerPolicies[l.LoadBalancerPort])
	})
	x.Leaf("LoadBalancerName", lb.name)
	writePoliciesSummary(x, lb.policies)
	x.Leaf("Scheme", lb.scheme)
	x.Strings("SecurityGroups", lb.securityGroups)
	sgName, sgOwner := h.sourceSecurityGroup(lb) // elb_helpers_security_groups.go
	x.Open("SourceSecurityGroup")
	x.Leaf("GroupName", sgName)
	x.Leaf("OwnerAlias", sgOwner)
	x.Close("SourceSecurityGroup")
	x.Strings("Subnets", lb.subnetIDs())
	x.Leaf("VPCId", lb.vpc.id)
}

// writePoliciesSummary writes a LoadBalancerDescription's Policies: the stickiness policies
// by kind, with their cookie settings, and the names of every other policy in OtherPolicies
// (docs/sources.md 18i), each in creation order. An LB cookie policy without an expiration
// period (the browser session) is written without CookieExpirationPeriod.
func writePoliciesSummary(x *wire.Writer, policies []policy) {
	attr := func(p policy, name string) string {
		for _, a := range p.Attributes {
			if a.Name == name {
				return a.Value
			}
		}
		return ""
	}
	var app, lbc []policy
	var other []string
	for _, p := range policies {
		switch p.TypeName {
		case appCookiePolicyType:
			app = append(app, p)
		case lbCookiePolicyType:
			lbc = append(lbc, p)
		default:
			other = append(other, p.Name)
		}
	}
	x.Open("Policies")
	x.Structs("AppCookieStickinessPolicies", len(app), func(i int) {
		x.Leaf("CookieName", attr(app[i], "CookieName"))
		x.Leaf("PolicyName", app[i].Name)
	})
	x.Structs("LBCookieStickinessPolicies", len(lbc), func(i int) {
		if n, err := strconv.ParseInt(attr(lbc[i], "CookieExpirationPeriod"), 10, 64); err == nil && n > 0 {
			x.Leaf("CookieExpirationPeriod", strconv.FormatInt(n, 10))
		}
		x.Leaf("PolicyName", lbc[i].Name)
	})
	x.Strings("OtherPolicies", other)
	x.Close("Policies")
}
