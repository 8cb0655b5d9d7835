package emulator

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Putting policies in force (docs/sources.md 18g, 18h): each call replaces the whole set of
// policies of one listener (by LoadBalancerPort) or one instance port; an empty list removes
// them all. Every name must be a policy of the load balancer (PolicyNotFound; the predefined
// policies are not: a load balancer gets its own copy through CreateLoadBalancerPolicy), and
// of a type that may be in force there (InvalidConfigurationRequest "... cannot be enabled").

// setLoadBalancerPoliciesOfListener replaces the policies of the listener on LoadBalancerPort.
func (h *handler) setLoadBalancerPoliciesOfListener(rc *wire.Request, x *wire.Writer) *wire.Error {
	name, port, names, e := setPoliciesParams(rc.Params, "LoadBalancerPort")
	if e != nil {
		return e
	}

	return h.changeLB(name, func(lb *loadBalancer) *wire.Error {
		li := slices.IndexFunc(lb.listeners, func(l listener) bool { return l.LoadBalancerPort == port })
		if li < 0 {
			return wire.NewError(http.StatusBadRequest, "ListenerNotFound", "There is no listener on port %d of load balancer %s.", port, lb.name)
		}
		l := lb.listeners[li]
		sticky := ""
		for _, n := range names {
			i := lb.findPolicy(n)
			if i < 0 {
				if e := h.dev.UnknownListenerPolicy(errPolicyNotFound(n, lb.name)); e != nil {
					return e
				}
				continue // only when a deviation accepted the unknown name
			}
			t := lb.policies[i].TypeName
			if !h.dev.ListenerPolicyAllowed(t, l.Protocol, listenerAccepts(t, l.Protocol)) {
				return errInvalidConfiguration("%s cannot be enabled", n)
			}
			if isStickinessType(t) {
				// One stickiness policy per listener (believed; docs/sources.md 18g).
				if sticky != "" {
					return errInvalidConfiguration("%s cannot be enabled: stickiness policy %s is already in the list for port %d.", n, sticky, port)
				}
				sticky = n
			}
		}
		if len(names) == 0 {
			delete(lb.listenerPolicies, port)
		} else {
			lb.listenerPolicies[port] = names
		}
		// The data plane reads the stickiness in force for every request (dataplane.go), so it
		// applies from the next one.
		return nil
	})
}

// listenerAccepts reports whether a policy of type typeName may be in force on a listener with
// front-end protocol proto.
func listenerAccepts(typeName, proto string) bool {
	t, ok := lookupPolicyType(policyTypes, typeName)
	return ok && slices.Contains(t.listenerProtocols, proto)
}

// setLoadBalancerPoliciesForBackendServer replaces the policies of InstancePort. Any instance
// port is accepted, whether or not a listener forwards to it (the operation models no
// ListenerNotFound; believed).
func (h *handler) setLoadBalancerPoliciesForBackendServer(rc *wire.Request, x *wire.Writer) *wire.Error {
	name, port, names, e := setPoliciesParams(rc.Params, "InstancePort")
	if e != nil {
		return e
	}

	return h.changeLB(name, func(lb *loadBalancer) *wire.Error {
		for _, n := range names {
			i := lb.findPolicy(n)
			if i < 0 {
				return errPolicyNotFound(n, lb.name)
			}
			if t, ok := lookupPolicyType(policyTypes, lb.policies[i].TypeName); !ok || !t.backend {
				return errInvalidConfiguration("%s cannot be enabled", n)
			}
		}
		if len(names) == 0 {
			delete(lb.backendPolicies, port)
		} else {
			lb.backendPolicies[port] = names
		}
		return nil
	})
}

// setPoliciesParams reads what both Set calls take: LoadBalancerName, the port parameter
// portKey and PolicyNames, which is required but may be empty (the SDKs send "PolicyNames="
// for an empty list).
func setPoliciesParams(p wire.Params, portKey string) (name string, port int, names []string, e *wire.Error) {
	name = p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return "", 0, nil, e
	}
	port, ok, e := intParam(p, portKey, 1, 65535)
	if e != nil {
		return "", 0, nil, e
	}
	if !ok {
		return "", 0, nil, errMissingParam(portKey)
	}
	names, e = listParam(p, "PolicyNames.member")
	if e != nil {
		return "", 0, nil, e
	}
	if len(names) == 0 && !p.Has("PolicyNames") {
		return "", 0, nil, errMissingParam("PolicyNames")
	}
	for _, n := range names {
		if n == "" {
			return "", 0, nil, errValidation("PolicyNames.member.N must not be empty.")
		}
	}
	return name, port, dedupe(names), nil
}

// stickiness answers the stickiness policy in force on the listener on LoadBalancerPort port:
// kind "lb" with expiration the CookieExpirationPeriod in seconds (0: the browser session),
// or kind "app" with cookieName the application cookie's name. ok is false when the load
// balancer has no listener on port or none of its policies is a stickiness policy. The
// caller holds the store lock (read or write). For the data plane (dataplane.go).
func (lb *loadBalancer) stickiness(port int) (kind string, cookieName string, expiration int64, ok bool) {
	if !slices.ContainsFunc(lb.listeners, func(l listener) bool { return l.LoadBalancerPort == port }) {
		return "", "", 0, false
	}
	for _, n := range lb.listenerPolicies[port] {
		i := lb.findPolicy(n)
		if i < 0 {
			continue
		}
		pol := lb.policies[i]
		switch pol.TypeName {
		case lbCookiePolicyType:
			for _, a := range pol.Attributes {
				if a.Name == "CookieExpirationPeriod" {
					expiration, _ = strconv.ParseInt(a.Value, 10, 64)
				}
			}
			return "lb", "", expiration, true
		case appCookiePolicyType:
			for _, a := range pol.Attributes {
				if a.Name == "CookieName" {
					cookieName = a.Value
				}
			}
			return "app", cookieName, 0, true
		}
	}
	return "", "", 0, false
}
