package emulator

import "github.com/elbconform/elbconform/emulator/internal/wire"

// deleteLoadBalancer removes a load balancer and its registrations. Deleting a load balancer
// that does not exist succeeds (doc: the call is idempotent).
func (h *handler) deleteLoadBalancer(rc *wire.Request, x *wire.Writer) *wire.Error {
	name := rc.Params["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	lb, ok := st.elb.lbs[name]
	if !ok {
		return h.dev.DeleteUnknown(name)
	}
	lb.members.each(func(id string, _ *member) { st.elb.unlink(id, name) })
	h.dev.OnDelete(lb)
	delete(st.elb.lbs, name)
	h.dp.Remove(lb) // closes its listeners, stops its health checker

	// Its time goes on the bill (usage.go).
	h.usageLog.loadBalancerGone(lb, rc.Now)
	return nil
}
