package dataplane

import (
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// The data plane: load balancers that carry real traffic to backed members, and health
// checks that really probe them. A member is backed when the control plane gives it an
// address (MemberState.Addr); traffic routed to it and its health checks go there, whatever
// the listener's InstancePort or the health check target's port.
//
// A load balancer's runtime (lbRuntime) is created on first need: when its listeners are
// first bound (Bind), or when a backed member is registered (OnRegister starts its health
// checker). Remove and Close release it.
//
// Locking (doc.go): the control plane's lock is always taken before Plane.mu, never the
// other way round. The control plane's health computation reads check results (Status) under
// Plane.mu; the checker and pick read the control plane inside View and probe or proxy with
// no lock held.

// nothingListening is the address pick answers for an instance without a backend: a request
// routed there fails at once (HTTP 502; a TCP connection is closed).
const nothingListening = "nothing-listening"

// Plane holds the runtime of every load balancer that has one.
type Plane struct {
	cp  ControlPlane
	cfg Config

	mu     sync.Mutex
	lbs    map[LB]*lbRuntime // keyed by identity: a re-created name is a new runtime
	closed bool

	// wg counts every goroutine the data plane starts (servers, connections, checkers), so
	// Close can wait for all of them.
	wg sync.WaitGroup

	// backendTransport carries proxied requests and HTTP(S) health checks. Keep-alives are
	// off so that no pooled connection outlives a backend or the emulator, and TLS to a
	// backend is not verified, as ELB Classic does without a backend authentication policy.
	backendTransport *http.Transport
}

// lbRuntime is the live side of one load balancer. Its fields are guarded by Plane.mu,
// except the listeners' own state.
type lbRuntime struct {
	lb LB
	// bound is set once the listeners were first asked for (Bind); from then on they follow
	// every change of listeners and zones (Sync).
	bound   bool
	nodes   []*Bound // one per listener and enabled zone
	checker *checker // nil while no backed instance is registered
	checks  map[Member]*checkState
	flights map[Member]*flights // requests and connections in flight, per member (drain.go)
	sticky  stickyTokens        // stickiness cookie values (sticky.go)
	// settings are the attributes last seen (Bind, Sync, the checker's rounds);
	// idleTimeout is settings.IdleTimeout for the nodes' idle watchers, read without dp.mu.
	settings    Settings
	idleTimeout atomic.Int64
	removed     bool
}

// New returns the data plane of cp. It starts nothing until a load balancer needs it.
func New(cp ControlPlane, cfg Config) *Plane {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	dp := &Plane{cp: cp, cfg: cfg, lbs: map[LB]*lbRuntime{}}
	dp.backendTransport = &http.Transport{
		Proxy: nil, // never route to a backend through an environment proxy
		// Only to backends on the allowed networks, checked on every dial (dial.go).
		DialContext:       dp.backendDialer(10 * time.Second).DialContext,
		DisableKeepAlives: true,
		TLSClientConfig:   insecureTLS(),
		// No ResponseHeaderTimeout here: how long a proxied request waits for the
		// back end's answer is the load balancer's own idle timeout (idleWait in
		// listen.go); health checks have their own timeout.
	}
	return dp
}

// defaultIdleTimeout is ELB Classic's idle timeout when none is configured.
const defaultIdleTimeout = 60 * time.Second

// configure records the attributes in force. The caller holds dp.mu.
func (rt *lbRuntime) configure(set Settings) {
	if set.IdleTimeout <= 0 {
		set.IdleTimeout = defaultIdleTimeout
	}
	rt.settings = set
	rt.idleTimeout.Store(int64(set.IdleTimeout))
}

// runtime returns lb's runtime, creating it; nil once the data plane is closed. The caller
// holds dp.mu.
func (dp *Plane) runtime(lb LB) *lbRuntime {
	if dp.closed {
		return nil
	}
	rt, ok := dp.lbs[lb]
	if !ok {
		rt = &lbRuntime{lb: lb, checks: map[Member]*checkState{}, flights: map[Member]*flights{}}
		rt.configure(Settings{IdleTimeout: defaultIdleTimeout})
		dp.lbs[lb] = rt
	}
	return rt
}

// Remove releases lb's runtime: its listeners stop accepting (open connections are closed)
// and its checker stops. It does not wait, because it runs under the control plane's write lock and
// the goroutines it stops may be waiting for that lock; Close waits for them.
func (dp *Plane) Remove(lb LB) {
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
	for _, n := range rt.nodes {
		n.close()
	}
	for _, fl := range rt.flights {
		fl.stopTimer()
	}
	if rt.checker != nil {
		rt.checker.stop()
		rt.checker = nil
	}
	clear(rt.checks)
}

// Close releases every runtime and waits for all data-plane goroutines to end. It must not be
// called with the control plane's lock held.
func (dp *Plane) Close() {
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

// OnRegister runs when a backed instance joins lb (control-plane write lock held): the load
// balancer's health checker must be running.
func (dp *Plane) OnRegister(lb LB) {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if rt := dp.runtime(lb); rt != nil && rt.checker == nil {
		rt.checker = dp.startChecker(rt)
	}
}

// OnChange runs when lb's membership or health check changed (control-plane write lock held): the
// checker re-reads them now rather than at its next check, so it stops promptly when its last
// backed member leaves and a new interval applies from the last check.
func (dp *Plane) OnChange(lb LB) {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if rt, ok := dp.lbs[lb]; ok && rt.checker != nil {
		rt.checker.poke()
	}
}

// CheckerRunning reports whether lb's health checker is running (for tests).
func (dp *Plane) CheckerRunning(lb LB) bool {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	rt, ok := dp.lbs[lb]
	return ok && rt.checker != nil
}
