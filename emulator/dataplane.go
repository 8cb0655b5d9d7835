package emulator

import (
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
// in force, and whether a member is InService now (health(), deviations applied). The control
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
		out = append(out, dataplane.MemberState{Key: mem, ID: id, Addr: in.backendAddr, Running: in.state == stateRunning})
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

// onRegister runs when in joins lb, or when in gains a backend after launch (store write
// lock held, elbSide.InstanceBackendTagged): a backed instance needs the load balancer's
// health checker running.
func (h *handler) onRegister(lb *loadBalancer, in instanceInfo) {
	if in.backendAddr != "" {
		h.dp.OnRegister(lb)
	}
}

// bindListeners binds lb's listeners (the first time) and answers them. The caller holds the
// store lock.
func (h *handler) bindListeners(lb *loadBalancer) ([]*dataplane.Bound, error) {
	ls := make([]dataplane.Listener, len(lb.listeners))
	for i, l := range lb.listeners {
		ls[i] = dataplane.Listener{Protocol: l.Protocol, InstanceProtocol: l.InstanceProtocol,
			LoadBalancerPort: l.LoadBalancerPort, InstancePort: l.InstancePort}
	}
	return h.dp.Bind(lb, ls)
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
func (h *handler) listenersChanged(lb *loadBalancer) {}

// attributesChanged runs when lb's attributes changed (store write lock held): cross-zone
// routing, connection draining and the idle timeout apply from now on.
func (h *handler) attributesChanged(lb *loadBalancer) {}

// policiesChanged runs when the policies in force on lb's listeners changed (store write lock
// held): stickiness applies from the next request.
func (h *handler) policiesChanged(lb *loadBalancer) {}
