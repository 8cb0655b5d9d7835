package dataplane

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Real health checks of backed instances. (Instances without a backend have nothing
// listening: their checks all fail, which elb_health.go derives without probing.)
//
// Each load balancer with at least one backed instance registered has one checker goroutine.
// Every Interval x Options.HealthCheckScale it probes all its backed, running members
// concurrently, each with a timeout of Timeout x HealthCheckScale (at least minProbeTimeout), using the health check
// configured at that moment (ConfigureHealthCheck takes effect at the next check, and a new
// interval counts from the last check). The checker exits as soon as no backed member is left
// (it is poked on every deregistration), when the load balancer is deleted, and at Close.
//
// The probe follows the target's protocol and path but always goes to the backing address:
// the target's port is ignored, as is the listener's InstancePort, because a backend is one
// address. HTTP passes on 200 only (redirects are not followed); HTTPS is the same over TLS
// without certificate verification, so a plain-HTTP backend fails it; TCP passes when a
// connection opens; SSL when a TLS handshake completes.
//
// The results drive the reported state, like AWS's:
//   - a newly registered (or newly running again) instance is OutOfService/ELB "registration
//     still in progress" until HealthyThreshold consecutive passes; RegistrationDelay does not
//     apply to backed instances, their checks are their registration;
//   - it is InService until UnhealthyThreshold consecutive failures make it
//     OutOfService/Instance, and InService again after HealthyThreshold passes.
//
// Checks run whatever the instance's zone; the lifecycle and zone rules of the control plane (emulator.health) are
// applied first and win over the check results. Instances that are not running are not
// probed and start over ("in progress") when they run again.

// minProbeTimeout floors a probe's scaled timeout: at the suite's scale a 2 s timeout is 40 ms,
// which a busy machine can exceed for a healthy backend's answer, turning it OutOfService
// for no reason of its own. A probe that fails fails at once (a refused connection, a 5xx),
// so the floor only delays the verdict on a backend that hangs.
const minProbeTimeout = 500 * time.Millisecond

// healthCheckUserAgent is what ELB Classic's health checker sends.
const healthCheckUserAgent = "ELB-HealthChecker/1.0"

// CheckStatus is where a member's health checks stand.
type CheckStatus int

const (
	InProgress CheckStatus = iota // not yet HealthyThreshold passes since registration
	Healthy
	Failed
)

// checkState is one member's run of results. It is keyed by Member (one registration), so a re-registration
// (a new member) starts over. Guarded by Plane.mu.
type checkState struct {
	status        CheckStatus
	passes, fails int // consecutive
}

func (cs *checkState) observe(pass bool, hc HealthCheck) {
	if pass {
		cs.passes++
		cs.fails = 0
		if cs.passes >= hc.HealthyThreshold {
			cs.status = Healthy
		}
		return
	}
	cs.fails++
	cs.passes = 0
	if cs.fails >= hc.UnhealthyThreshold {
		cs.status = Failed
	}
}

// Status answers m's check status on lb (in progress until its first results). It takes the
// data plane's lock: call it with none held.
func (dp *Plane) Status(lb LB, m Member) CheckStatus {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if rt, ok := dp.lbs[lb]; ok {
		if cs, ok := rt.checks[m]; ok {
			return cs.status
		}
	}
	return InProgress
}

// Scaled converts health-check seconds to the emulator's clock (seconds x scale). A floor of
// 1 ms keeps an absurdly small scale from spinning.
func Scaled(seconds int, scale float64) time.Duration {
	return max(time.Duration(float64(seconds)*float64(time.Second)*scale), time.Millisecond)
}

func (dp *Plane) scaled(seconds int) time.Duration { return Scaled(seconds, dp.cfg.HealthCheckScale) }

// checker runs one load balancer's health checks.
type checker struct {
	dp     *Plane
	rt     *lbRuntime
	ctx    context.Context // cancelled by stop; bounds the probes in flight
	cancel context.CancelFunc
	wake   chan struct{}
}

// startChecker starts rt's checker. The caller holds dp.mu.
func (dp *Plane) startChecker(rt *lbRuntime) *checker {
	ctx, cancel := context.WithCancel(context.Background())
	c := &checker{dp: dp, rt: rt, ctx: ctx, cancel: cancel, wake: make(chan struct{}, 1)}
	dp.wg.Add(1)
	go func() {
		defer dp.wg.Done()
		defer cancel()
		c.run()
	}()
	return c
}

// stop ends the checker (it does not wait). The caller holds dp.mu.
func (c *checker) stop() { c.cancel() }

// poke makes the checker re-read membership and configuration now.
func (c *checker) poke() {
	select {
	case c.wake <- struct{}{}:
	default: // a poke is already pending
	}
}

// probeTarget is one member to probe in a round.
type probeTarget struct {
	mem  Member
	addr string
}

func (c *checker) run() {
	hc, _, ok := c.snapshot(false)
	if !ok {
		return
	}
	// The first check comes one interval after the checker starts, as a new instance on AWS
	// waits for the next check; members joining later wait for the next round.
	last := time.Now()
	timer := time.NewTimer(c.dp.scaled(hc.Interval))
	defer timer.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-c.wake:
			if hc, _, ok = c.snapshot(false); !ok {
				return
			}
			timer.Reset(time.Until(last.Add(c.dp.scaled(hc.Interval))))
			continue
		case <-timer.C:
		}
		last = time.Now()
		var targets []probeTarget
		if hc, targets, ok = c.snapshot(true); !ok {
			return
		}
		results := c.probeAll(targets, hc, max(c.dp.scaled(hc.Timeout), minProbeTimeout))
		if c.ctx.Err() != nil {
			return
		}
		c.record(targets, results, hc)
		timer.Reset(c.dp.scaled(hc.Interval))
	}
}

// snapshot reads the health check and, for a round, the members to probe, and brings the check
// states up to date with the membership: states of members that left are dropped and those of
// members that are not running start over. It reports false, and unregisters the checker, when
// the load balancer is gone or has no backed member left; deciding that under the control plane's lock (View)
// means a concurrent registration (which holds the write lock) always sees either this checker
// running or none, and starts a new one in the latter case.
func (c *checker) snapshot(round bool) (hc HealthCheck, targets []probeTarget, ok bool) {
	dp, rt := c.dp, c.rt
	dp.cp.View(func() {
		dp.mu.Lock()
		defer dp.mu.Unlock()
		if rt.removed || rt.checker != c || c.ctx.Err() != nil {
			return
		}
		now := time.Now()
		live := make(map[Member]bool, len(rt.checks))
		for _, m := range dp.cp.Members(rt.lb, now) {
			if m.Addr == "" || live[m.Key] { // simulated, or a fault's second copy of the same member
				continue
			}
			live[m.Key] = true
			if !m.Running {
				delete(rt.checks, m.Key)
				continue
			}
			if round {
				if _, ok := rt.checks[m.Key]; !ok {
					rt.checks[m.Key] = &checkState{}
				}
				targets = append(targets, probeTarget{m.Key, m.Addr})
			}
		}
		for mem := range rt.checks {
			if !live[mem] {
				delete(rt.checks, mem)
			}
		}
		if len(live) == 0 {
			rt.checker = nil
			return
		}
		hc, ok = dp.cp.HealthCheck(rt.lb), true
		rt.configure(dp.cp.Settings(rt.lb))
	})
	if !ok {
		return HealthCheck{}, nil, false
	}
	return hc, targets, true
}

// probeAll probes every target concurrently, so one slow backend does not delay the others'
// results; the round takes at most timeout (which the API keeps below the interval).
func (c *checker) probeAll(targets []probeTarget, hc HealthCheck, timeout time.Duration) []bool {
	proto, path := splitHealthTarget(hc.Target)
	results := make([]bool, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() {
			results[i] = c.dp.probe(c.ctx, proto, path, t.addr, timeout)
		})
	}
	wg.Wait()
	return results
}

// record applies a round's results to the members still registered.
func (c *checker) record(targets []probeTarget, results []bool, hc HealthCheck) {
	c.dp.mu.Lock()
	defer c.dp.mu.Unlock()
	if c.rt.removed {
		return
	}
	for i, t := range targets {
		if cs, ok := c.rt.checks[t.mem]; ok { // absent: deregistered or stopped meanwhile
			was := cs.status
			cs.observe(results[i], hc)
			if cs.status == Failed && was != Failed {
				c.dp.failed(c.rt, t.mem, c.rt.settings.Draining)
			}
		}
	}
}

// splitHealthTarget splits "HTTP:80/path" into "HTTP" and "/path" (the port is not used).
func splitHealthTarget(target string) (proto, path string) {
	proto, rest, _ := strings.Cut(target, ":")
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		path = rest[i:]
	}
	return strings.ToUpper(proto), path
}

// probe performs one health check of addr and reports whether it passed.
func (dp *Plane) probe(ctx context.Context, proto, path, addr string, timeout time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	switch proto {
	case "HTTP", "HTTPS":
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.ToLower(proto)+"://"+addr+path, nil)
		if err != nil {
			return false
		}
		req.Header.Set("User-Agent", healthCheckUserAgent)
		// RoundTrip rather than a Client: redirects are not followed, a 3xx fails the check.
		res, err := dp.backendTransport.RoundTrip(req)
		if err != nil {
			return false
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
		_ = res.Body.Close()
		return res.StatusCode == http.StatusOK
	case "TCP":
		c, err := dp.backendDialer(0).DialContext(ctx, "tcp", addr) // allowed networks only (dial.go)
		if err != nil {
			return false
		}
		_ = c.Close()
		return true
	case "SSL":
		c, err := (&tls.Dialer{NetDialer: dp.backendDialer(0), Config: insecureTLS()}).DialContext(ctx, "tcp", addr)
		if err != nil {
			return false
		}
		_ = c.Close()
		return true
	}
	return false
}
