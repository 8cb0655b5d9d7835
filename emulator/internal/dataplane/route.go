package dataplane

import (
	"net/http"
	"time"
)

// Routing: which member a request or connection accepted by one node goes to.
//
// A load balancer has a node in each enabled Availability Zone, as on AWS, where its DNS
// name answers one address per zone (docs/sources.md 19). Without cross-zone load balancing
// a node routes only to the InService members of its own zone; with it, to those of every
// enabled zone. Among the candidates a node goes round robin, except that a request holding
// a valid stickiness cookie goes back to the member the cookie names while that member is a
// candidate (sticky.go).

// route is where one request or connection goes.
type route struct {
	addr string // the backend address; nothingListening for a member without a backend
	key  Member
	id   string // the instance id
	// stick is set when the answer must carry a new stickiness cookie naming id (sticky.go).
	stick bool
}

// candidate is a member a node may route to now.
type candidate struct {
	addr string
	key  Member
	id   string
}

// pick chooses where one request (r, nil for a TCP connection) accepted by node goes.
// ok is false when no member may receive it.
func (dp *Plane) pick(rt *lbRuntime, node *Bound, r *http.Request) (rte route, sticky Stickiness, ok bool) {
	var candidates []candidate
	dp.cp.View(func() {
		dp.mu.Lock()
		removed := rt.removed
		dp.mu.Unlock()
		if removed {
			return
		}
		now := time.Now()
		set := dp.cp.Settings(rt.lb)
		if r != nil {
			sticky = dp.cp.Stickiness(rt.lb, node.Listener.LoadBalancerPort)
		}
		for _, m := range dp.cp.Members(rt.lb, now) {
			if !set.CrossZone && m.Zone != node.Zone {
				continue
			}
			addr := m.Addr
			if addr == "" {
				// Nothing listens on an instance without a backend: it is a candidate only
				// when reported InService anyway (UnbackedHealthy, or a fault), and then a
				// request routed to it fails as it would on AWS.
				addr = nothingListening
			}
			if dp.cp.Routable(rt.lb, m, now) {
				candidates = append(candidates, candidate{addr, m.Key, m.ID})
			}
		}
	})
	if len(candidates) == 0 {
		return route{}, sticky, false
	}
	id, held := dp.stuckTo(rt, sticky, r)
	if held {
		for _, c := range candidates {
			if c.id == id {
				return route{addr: c.addr, key: c.key, id: c.id}, sticky, true
			}
		}
	}
	// Routed anew: a duration-based policy always gives the new member its cookie; an
	// application-controlled one does when the session's member could not take it, so the
	// session is "stuck" to the new member even if the old one comes back.
	c := candidates[(node.rr.Add(1)-1)%uint64(len(candidates))]
	return route{addr: c.addr, key: c.key, id: c.id, stick: sticky.Kind == LBCookie || held}, sticky, true
}
