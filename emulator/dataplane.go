package emulator

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// The data plane: load balancers that carry real traffic to instances backed by real
// addresses, and health checks that really probe them.
//
// An instance is backed when it carries the tag BackendTag ("elb-emulator:backend") with an
// IP:port value on an allowed network (backends.go); traffic routed to it and its health checks go to that address, whatever
// the listener's InstancePort or the health check target's port. Instances without the tag
// are simulated exactly as before (health derived from timestamps, no traffic).
//
// A load balancer's runtime (lbRuntime) is created on first need: when its listeners are first
// asked for (the /_emulator/listeners extension binds them, lazily, so load balancers that
// never carry traffic cost no sockets) or when a backed instance is registered (which starts
// its health checker). DeleteLoadBalancer and Server.Close release it.
//
// Locking: the store lock is always taken before dataplane.mu, never the other way round.
// health() runs under the store lock and reads check results under dataplane.mu; the checker
// snapshots the store under its read lock and probes with no lock held.

// BackendTag is the EC2 instance tag whose value (IP:port, on an allowed network:
// backends.go) backs an instance with a real address.
const BackendTag = "elb-emulator:backend"

// nothingListening is the address pick answers for an instance without a backend: a request
// routed there fails at once (HTTP 502; a TCP connection is closed).
const nothingListening = "nothing-listening"

// dataplane holds the runtime of every load balancer that has one.
type dataplane struct {
	h *handler

	mu     sync.Mutex
	lbs    map[*loadBalancer]*lbRuntime // keyed by identity: a re-created name is a new runtime
	closed bool

	// wg counts every goroutine the data plane starts (servers, connections, checkers), so
	// close can wait for all of them.
	wg sync.WaitGroup

	// backendTransport carries proxied requests and HTTP(S) health checks. Keep-alives are
	// off so that no pooled connection outlives a backend or the emulator, and TLS to a
	// backend is not verified, as ELB Classic does without a backend authentication policy.
	backendTransport *http.Transport
}

// lbRuntime is the live side of one load balancer. Its fields are guarded by dataplane.mu,
// except rr (atomic) and listeners' own state.
type lbRuntime struct {
	lb        *loadBalancer
	listeners []*liveListener // nil until bound
	checker   *checker        // nil while no backed instance is registered
	checks    map[*member]*checkState
	rr        atomic.Uint64 // round-robin position
	removed   bool
}

func newDataplane(h *handler) *dataplane {
	dp := &dataplane{h: h, lbs: map[*loadBalancer]*lbRuntime{}}
	dp.backendTransport = &http.Transport{
		Proxy: nil, // never route to a backend through an environment proxy
		// Only to backends on the allowed networks, checked on every dial (backends.go).
		DialContext:           dp.backendDialer(10 * time.Second).DialContext,
		DisableKeepAlives:     true,
		TLSClientConfig:       insecureTLS(),
		ResponseHeaderTimeout: 60 * time.Second, // ELB Classic's default idle timeout
	}
	return dp
}

// runtime returns lb's runtime, creating it; nil once the data plane is closed. The caller
// holds dp.mu.
func (dp *dataplane) runtime(lb *loadBalancer) *lbRuntime {
	if dp.closed {
		return nil
	}
	rt, ok := dp.lbs[lb]
	if !ok {
		rt = &lbRuntime{lb: lb, checks: map[*member]*checkState{}}
		dp.lbs[lb] = rt
	}
	return rt
}

// remove releases lb's runtime: its listeners stop accepting (open connections are closed)
// and its checker stops. It does not wait, because it runs under the store's write lock and
// the goroutines it stops may be waiting for that lock; close waits for them.
func (dp *dataplane) remove(lb *loadBalancer) {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	rt, ok := dp.lbs[lb]
	if !ok {
		return
	}
	delete(dp.lbs, lb)
	rt.shutdown()
}

// shutdown stops everything rt runs. The caller holds dp.mu.
func (rt *lbRuntime) shutdown() {
	rt.removed = true
	for _, l := range rt.listeners {
		l.close()
	}
	if rt.checker != nil {
		rt.checker.stop()
		rt.checker = nil
	}
	clear(rt.checks)
}

// close releases every runtime and waits for all data-plane goroutines to end. It must not be
// called with the store lock held.
func (dp *dataplane) close() {
	dp.mu.Lock()
	dp.closed = true
	for lb, rt := range dp.lbs {
		delete(dp.lbs, lb)
		rt.shutdown()
	}
	dp.mu.Unlock()
	dp.wg.Wait()
	dp.backendTransport.CloseIdleConnections()
}

// backendAddr returns the address backing in, or "" for a simulated instance. The tag was
// checked when it was set (checkBackendTags: an IP:port on an allowed network), and every
// dial to it is checked again (backendControl, backends.go).
func backendAddr(in *instance) string {
	if in == nil {
		return ""
	}
	addr, _ := in.tags.get(BackendTag)
	return addr
}

// pick chooses the backend for one request or connection on rt's load balancer: the next, in
// round-robin order, of the backed members that are InService at this moment (as
// deviations.TrafficTo lets through). It returns "" when there is none.
func (dp *dataplane) pick(rt *lbRuntime) string {
	h := dp.h
	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	dp.mu.Lock()
	removed := rt.removed
	dp.mu.Unlock()
	if removed {
		return ""
	}
	lb := rt.lb
	now := time.Now()
	var candidates []string
	lb.members.each(func(id string, mem *member) {
		in := st.instances[id]
		if in == nil {
			return
		}
		addr := backendAddr(in)
		if addr == "" {
			// Nothing listens on an instance without a backend: it is a candidate only
			// when reported InService anyway (UnbackedHealthy, or a fault), and then a
			// request routed to it fails as it would on AWS.
			addr = nothingListening
		}
		if h.dev.TrafficTo(h.health(lb, id, mem, now).State == healthInService) {
			candidates = append(candidates, addr)
		}
	})
	if len(candidates) == 0 {
		return ""
	}
	return candidates[(rt.rr.Add(1)-1)%uint64(len(candidates))]
}

// onRegister runs when id joins lb (store write lock held): a backed instance needs the load
// balancer's health checker running.
func (dp *dataplane) onRegister(lb *loadBalancer, in *instance) {
	if backendAddr(in) == "" {
		return
	}
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if rt := dp.runtime(lb); rt != nil && rt.checker == nil {
		rt.checker = dp.startChecker(rt)
	}
}

// onChange runs when lb's membership or health check changed (store write lock held): the
// checker re-reads them now rather than at its next check, so it stops promptly when its last
// backed member leaves and a new interval applies from the last check.
func (dp *dataplane) onChange(lb *loadBalancer) {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if rt, ok := dp.lbs[lb]; ok && rt.checker != nil {
		rt.checker.poke()
	}
}

// onBackendTagged runs when CreateTags may have backed instances after launch (store write
// lock held): their load balancers need checkers.
func (dp *dataplane) onBackendTagged(in *instance) {
	for name := range in.lbs {
		if lb := dp.h.st.lbs[name]; lb != nil {
			dp.onRegister(lb, in)
		}
	}
}

// Close releases the data plane of a handler made by NewHandler (listeners and health
// checkers); Server.Close does it for Start. The handler keeps answering the API.
func (h *handler) Close() error {
	h.dp.close()
	return nil
}
