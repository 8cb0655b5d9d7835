package emulator

import (
	"crypto/tls"
	"math"
	"time"

	"github.com/elbconform/elbconform/emulator/internal/dataplane"
)

// The control plane's side of the data plane (internal/dataplane): load balancers that carry
// real traffic to instances backed by real addresses, and health checks that really probe
// them.
//
// An instance is backed when it carries the tag BackendTag ("elb-emulator:backend") with an
// IP:port value on an allowed network (backends.go); traffic routed to it and its health
// checks go to that address, whatever the listener's InstancePort or the health check
// target's port. Instances without the tag are simulated (health derived from timestamps, no
// traffic).
//
// A load balancer's runtime is created on first need: when its listeners are first asked for
// (the /_emulator/listeners extension binds them, lazily, so load balancers that never carry
// traffic cost no sockets) or when a backed instance is registered (which starts its health
// checker). DeleteLoadBalancer and Server.Close release it.
//
// The seam: the data plane knows load balancers and members only as identities (*loadBalancer,
// *member) and reads what it needs through dataPlaneView, under the store's read lock: the
// members with their backend address and whether each instance is running, the health check
// in force, whether a member is InService now (health(), deviations applied), and the server
// certificate a secure listener presents (elb_certificates.go). The control
// plane tells it of registrations (OnRegister), membership or health-check changes (OnChange)
// and deletions (Remove), with the store's write lock held, and asks it for check results
// (Status) from health(). Lock order: store.mu before the data plane's lock, never the other
// way round (internal/dataplane/doc.go).

// BackendTag is the EC2 instance tag whose value (IP:port, on an allowed network:
// backends.go) backs an instance with a real address.
const BackendTag = "elb-emulator:backend"

// checkStatus is where a member's health checks stand (internal/dataplane).
type checkStatus = dataplane.CheckStatus

const (
	checkInProgress = dataplane.InProgress // not yet HealthyThreshold passes since registration
	checkHealthy    = dataplane.Healthy
	checkFailed     = dataplane.Failed
)

// dataPlaneView is what the data plane reads of the store (dataplane.ControlPlane).
type dataPlaneView struct{ h *handler }

func newDataplane(h *handler) *dataplane.Plane {
	return dataplane.New(dataPlaneView{h}, dataplane.Config{
		Allowed:          h.opts.AllowedBackendNetworks,
		HealthCheckScale: h.opts.HealthCheckScale,
		Log:              h.log,
	})
}

func (v dataPlaneView) View(fn func()) {
	v.h.st.mu.RLock()
	defer v.h.st.mu.RUnlock()
	fn()
}

func (v dataPlaneView) Members(key dataplane.LB, now time.Time) []dataplane.MemberState {
	lb := key.(*loadBalancer)
	st := v.h.st
	if st.elb.lbs[lb.name] != lb {
		return nil // deleted
	}
	var out []dataplane.MemberState
	lb.members.each(func(id string, mem *member) {
		in, ok := st.elb.ec2.Instance(id, now)
		if !ok {
			return
		}
		out = append(out, dataplane.MemberState{Key: mem, ID: id, Addr: in.backendAddr, Zone: in.zone, Running: in.state == stateRunning})
	})
	return out
}

func (v dataPlaneView) HealthCheck(key dataplane.LB) dataplane.HealthCheck {
	return dataplane.HealthCheck(key.(*loadBalancer).healthCheck)
}

func (v dataPlaneView) Routable(key dataplane.LB, m dataplane.MemberState, now time.Time) bool {
	h := v.h
	lb := key.(*loadBalancer)
	return h.dev.TrafficTo(h.health(lb, m.ID, m.Key.(*member), now).State == healthInService)
}

func (v dataPlaneView) Settings(key dataplane.LB) dataplane.Settings {
	return v.h.trafficSettings(key.(*loadBalancer))
}

func (v dataPlaneView) Stickiness(key dataplane.LB, port int) dataplane.Stickiness {
	kind, cookie, expiration, ok := key.(*loadBalancer).stickiness(port)
	var s dataplane.Stickiness
	switch {
	case !ok:
	case kind == "app":
		s = dataplane.Stickiness{Kind: dataplane.AppCookie, CookieName: cookie}
	default:
		s = dataplane.Stickiness{Kind: dataplane.LBCookie, Expiration: time.Duration(expiration) * time.Second}
	}
	return v.h.dev.Stickiness(s)
}

// Certificate is the key pair lb's secure listener on port presents (elb_certificates.go),
// asked on every handshake with the store's read lock held.
func (v dataPlaneView) Certificate(key dataplane.LB, port int) (*tls.Certificate, bool) {
	lb := key.(*loadBalancer)
	if v.h.st.elb.lbs[lb.name] != lb {
		return nil, false // deleted
	}
	return v.h.dev.ServedCertificate(v.h.listenerCertificate(lb, port))
}

// trafficAttributes are the attributes of lb that decide its traffic.
func (h *handler) trafficAttributes(lb *loadBalancer) attributes {
	return h.dev.TrafficAttributes(lb.attributes)
}

// trafficSettings are lb's attributes as the data plane applies them.
func (h *handler) trafficSettings(lb *loadBalancer) dataplane.Settings {
	a := h.trafficAttributes(lb)
	return dataplane.Settings{
		CrossZone:       a.CrossZone,
		Draining:        a.Draining,
		DrainingTimeout: time.Duration(a.DrainingTimeout) * time.Second,
		IdleTimeout:     time.Duration(a.IdleTimeout) * time.Second,
	}
}

// onRegister runs when in joins lb, or when in gains a backend after launch (store write
// lock held, elbSide.InstanceBackendTagged): a backed instance needs the load balancer's
// health checker running.
func (h *handler) onRegister(lb *loadBalancer, in instanceInfo) {
	if in.backendAddr != "" {
		h.dp.OnRegister(lb)
	}
}

// bindListeners binds lb's nodes (the first time: one per listener and enabled zone) and
// answers them. The caller holds the store lock.
func (h *handler) bindListeners(lb *loadBalancer) ([]*dataplane.Bound, error) {
	return h.dp.Bind(lb, h.servedListeners(lb), lb.zones(), h.trafficSettings(lb))
}

// servedListeners are the listeners lb's nodes serve.
func (h *handler) servedListeners(lb *loadBalancer) []dataplane.Listener {
	ls := make([]dataplane.Listener, len(lb.listeners))
	for i, l := range lb.listeners {
		ls[i] = dataplane.Listener{Protocol: l.Protocol, InstanceProtocol: l.InstanceProtocol,
			LoadBalancerPort: l.LoadBalancerPort, InstancePort: l.InstancePort}
	}
	return h.dev.ServedListeners(lb, ls)
}

// syncDataplane brings lb's nodes up to date with its listeners, zones and attributes (store
// write lock held). A node that cannot be bound is logged; the next change retries it.
func (h *handler) syncDataplane(lb *loadBalancer) {
	if err := h.dp.Sync(lb, h.servedListeners(lb), lb.zones(), h.trafficSettings(lb)); err != nil {
		h.log.Warn("data plane: binding a listener", "loadBalancer", lb.name, "err", err)
	}
}

// scaled converts health-check seconds to the emulator's clock.
func (h *handler) scaled(seconds int) time.Duration {
	return dataplane.Scaled(seconds, h.opts.HealthCheckScale)
}

// validScale reports whether a HealthCheckScale is usable (0 means 1, AWS's timing).
func validScale(s float64) bool { return s >= 0 && !math.IsInf(s, 0) && !math.IsNaN(s) }

// Close releases the data plane of a handler made by NewHandler (listeners and health
// checkers); Server.Close does it for Start. The handler keeps answering the API.
func (h *handler) Close() error {
	h.dp.Close()
	return nil
}

// listenersChanged runs when lb's listeners were added or deleted (store write lock held): a
// new listener serves at once and a deleted one stops accepting.
func (h *handler) listenersChanged(lb *loadBalancer) { h.syncDataplane(lb) }

// zonesChanged runs when lb's enabled zones changed (store write lock held): each enabled zone
// has its node, and a disabled zone's node stops accepting.
func (h *handler) zonesChanged(lb *loadBalancer) { h.syncDataplane(lb) }

// attributesChanged runs when lb's attributes changed (store write lock held): cross-zone
// routing, connection draining and the idle timeout apply from now on.
func (h *handler) attributesChanged(lb *loadBalancer) { h.syncDataplane(lb) }
