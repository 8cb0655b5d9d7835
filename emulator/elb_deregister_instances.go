package emulator

import (
	"strings"
	"time"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// deregisterInstances removes instances and answers the remaining membership. Any id that is
// not registered makes the whole call InvalidInstance and removes nothing (docs/sources.md 3: seen
// on AWS; never half-applied).
func (h *handler) deregisterInstances(rc *wire.Request, x *wire.Writer) *wire.Error {
	return h.membershipCall(rc, x, func(lb *loadBalancer, ids []string) *wire.Error {
		unique := dedupe(ids)
		var notRegistered []string
		for _, id := range unique {
			if _, ok := lb.members.get(id); !ok {
				notRegistered = append(notRegistered, wire.Truncate(id, 64))
			}
		}
		deregister := func(id string) { h.deregister(lb, id, rc.Now) }
		if len(notRegistered) > 0 {
			h.dev.OnRefusedDeregister(unique, deregister)
			return errInvalidInstance("The following instances are not registered with load balancer %s: %s",
				lb.name, wire.Truncate(strings.Join(notRegistered, ", "), 2000))
		}

		removing := make(map[string]bool, len(unique))
		for _, id := range unique {
			removing[id] = true
		}
		var remaining []string
		lb.members.each(func(id string, _ *member) {
			if !removing[id] {
				remaining = append(remaining, id)
			}
		})
		h.dev.Deregister(unique, deregister)
		writeInstanceList(x, h.dev.DeregisterAnswer(unique, remaining))
		return nil
	})
}

// deregister removes one instance from lb and from the reverse index (elbState.byInstance).
//
// With connection draining enabled, its in-flight requests may go on for the draining timeout
// (the data plane cuts them then), and while they do DescribeInstanceHealth reports it
// InService "Instance deregistration currently in progress." (elb_health.go, drainingHealth);
// without, the data plane cuts them now (docs/sources.md 19).
func (h *handler) deregister(lb *loadBalancer, id string, now time.Time) {
	mem, ok := lb.members.get(id)
	if !ok {
		return
	}
	lb.members.remove(id)
	lb.former[id] = struct{}{}
	h.st.elb.unlink(id, lb.name)
	var drain time.Duration
	if a := h.trafficAttributes(lb); a.Draining {
		drain = time.Duration(a.DrainingTimeout) * time.Second
		lb.draining[id] = drainingMember{mem: mem, until: now.Add(drain)}
	}
	h.dp.Deregistered(lb, mem, drain) // and the checker stops at once if this was its last backed member
	h.dev.OnMembershipChange(lb, id, false, now)
}
