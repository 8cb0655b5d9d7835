package emulator

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// createLoadBalancerListeners adds listeners to a load balancer (docs/sources.md 16a-16d). A
// listener identical to one already on its port is accepted and changes nothing (the API
// reference: "the properties of the new listener must match the properties of the existing
// listener"); a port in use with other settings is DuplicateListener. The listeners are
// validated as CreateLoadBalancer's are (parseListeners: a secure front end needs an
// SSLCertificateId, which must name a server certificate: elb_certificates.go), and the call
// is all-or-nothing.
func (h *handler) createLoadBalancerListeners(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name := p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	requested, e := parseListeners(p)
	if e != nil {
		return e
	}
	if e := h.checkListenerProtocols(requested); e != nil {
		return e
	}
	return h.changeLB(name, func(lb *loadBalancer) *wire.Error {
		if e := h.checkListenerCertificates(requested); e != nil { // elb_certificates.go
			return e
		}
		// plan: what the listener list becomes, decided before anything changes.
		next := slices.Clone(lb.listeners)
		changed := false
		for _, l := range requested {
			i := slices.IndexFunc(next, func(x listener) bool { return x.LoadBalancerPort == l.LoadBalancerPort })
			switch {
			case i < 0:
				next = append(next, l)
				changed = true
			case next[i] == l:
				// Same port, same settings: idempotent.
			default:
				ref := wire.NewError(http.StatusBadRequest, "DuplicateListener",
					"A listener already exists for %s with LoadBalancerPort %d, but with a different InstancePort, Protocol, or SSLCertificateId",
					lb.name, l.LoadBalancerPort)
				if e := h.dev.ListenerConflict(ref); e != nil {
					return e
				}
				next[i] = l // only when a deviation accepted the conflict
				changed = true
			}
		}
		if e := h.tooManyListeners(lb.name, len(next)); e != nil {
			return e
		}
		if changed {
			lb.listeners = next
			h.listenersChanged(lb)
		}
		return nil
	})
}

// deleteLoadBalancerListeners removes the listeners on the given load balancer ports, and the
// policies set on them. A port without a listener is not an error (believed, docs/sources.md
// 16e), and the last listener may go (16f).
func (h *handler) deleteLoadBalancerListeners(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name := p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	ports, e := portsParam(p, "LoadBalancerPorts.member")
	if e != nil {
		return e
	}
	if len(ports) == 0 {
		return errMissingParam("LoadBalancerPorts")
	}
	return h.changeLB(name, func(lb *loadBalancer) *wire.Error {
		if !slices.ContainsFunc(lb.listeners, func(l listener) bool { return slices.Contains(ports, l.LoadBalancerPort) }) {
			return nil
		}
		h.dev.DeleteListeners(func() {
			lb.listeners = slices.DeleteFunc(lb.listeners, func(l listener) bool { return slices.Contains(ports, l.LoadBalancerPort) })
			for _, port := range ports {
				delete(lb.listenerPolicies, port)
			}
			h.listenersChanged(lb)
		})
		return nil
	})
}

// portsParam reads a list of load balancer ports (integers 1-65535).
func portsParam(p wire.Params, prefix string) ([]int, *wire.Error) {
	raw, e := listParam(p, prefix)
	if e != nil {
		return nil, e
	}
	out := make([]int, 0, len(raw))
	for _, s := range raw {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 65535 {
			return nil, errValidation("LoadBalancerPorts must be integers between 1 and 65535: '%s' is not.", wire.Truncate(s, 20))
		}
		out = append(out, n)
	}
	return out, nil
}
