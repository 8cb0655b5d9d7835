package dataplane

import (
	"context"
	"time"
)

// Connection draining (docs/sources.md 19). Every request and TCP connection proxied to a
// member is in flight from the moment it is routed until it ends. When a member leaves (it is
// deregistered) or fails its health checks:
//   - with connection draining, its in-flight requests complete; for a deregistered member
//     at most DrainingTimeout, after which they are cut; the guide: "When the maximum time
//     limit is reached, the load balancer forcibly closes connections to the de-registering
//     instance", and "The maximum timeout limit does not apply to connections to unhealthy
//     instances";
//   - without it they are cut at once: "When connection draining is disabled, any in-flight
//     requests made to instances that are de-registering or unhealthy are not completed."
// The control plane reports a draining member InService "Instance deregistration currently
// in progress." while InFlight answers more than zero and the timeout has not passed.

// flights are the requests and connections in flight to one member.
type flights struct {
	cancels map[*context.CancelFunc]struct{}
	timer   *time.Timer // the draining deadline, once deregistered with draining
}

func (fl *flights) stopTimer() {
	if fl.timer != nil {
		fl.timer.Stop()
		fl.timer = nil
	}
}

// cutAll cuts every flight of fl. The caller holds dp.mu.
func (fl *flights) cutAll() {
	for cancel := range fl.cancels {
		(*cancel)()
	}
	clear(fl.cancels)
}

// begin counts one flight to key on rt and answers its context (derived from parent, cut
// when the member's flights are) and the function that ends it.
func (dp *Plane) begin(rt *lbRuntime, key Member, parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	dp.mu.Lock()
	defer dp.mu.Unlock()
	fl, ok := rt.flights[key]
	if !ok {
		fl = &flights{cancels: map[*context.CancelFunc]struct{}{}}
		rt.flights[key] = fl
	}
	fl.cancels[&cancel] = struct{}{}
	return ctx, func() {
		cancel()
		dp.mu.Lock()
		defer dp.mu.Unlock()
		delete(fl.cancels, &cancel)
		if len(fl.cancels) == 0 && fl.timer == nil && rt.flights[key] == fl {
			delete(rt.flights, key)
		}
	}
}

// InFlight answers how many requests and connections to key on lb are in flight. It takes
// the data plane's lock: call it with none held.
func (dp *Plane) InFlight(lb LB, key Member) int {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if rt, ok := dp.lbs[lb]; ok {
		if fl, ok := rt.flights[key]; ok {
			return len(fl.cancels)
		}
	}
	return 0
}

// Deregistered runs when key left lb (control-plane write lock held). drain is how long its
// in-flight requests may go on (connection draining's timeout); zero cuts them now.
func (dp *Plane) Deregistered(lb LB, key Member, drain time.Duration) {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	rt, ok := dp.lbs[lb]
	if !ok {
		return
	}
	if rt.checker != nil {
		rt.checker.poke() // it stops at once if this was its last backed member
	}
	fl, ok := rt.flights[key]
	if !ok {
		return
	}
	if drain <= 0 {
		fl.cutAll()
		delete(rt.flights, key)
		return
	}
	fl.stopTimer()
	fl.timer = time.AfterFunc(drain, func() {
		dp.mu.Lock()
		defer dp.mu.Unlock()
		fl.cutAll()
		fl.timer = nil
		if rt.flights[key] == fl {
			delete(rt.flights, key)
		}
	})
}

// failed runs when key's health checks failed (dp.mu held): without connection draining its
// in-flight requests are cut; with it they complete, with no time limit.
func (dp *Plane) failed(rt *lbRuntime, key Member, draining bool) {
	if fl, ok := rt.flights[key]; ok && !draining {
		fl.cutAll()
	}
}
