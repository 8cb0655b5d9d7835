package emulator

import "github.com/elbconform/elbconform/emulator/internal/wire"

// Helpers shared by the ELB operations (one file per action: elb_<action>.go): quotas,
// load balancer lookup, the membership call shape, answer fragments. Each membership call
// is all-or-nothing: every id is checked before anything changes.

const (
	maxLoadBalancers      = 20  // per region: Options.MaxLoadBalancers' default (Classic guide quota)
	maxListenersPerLB     = 100 // per load balancer: Options.MaxListenersPerLoadBalancer's default (same)
	maxTagsPerLB          = 10  // TooManyTags beyond (model/API reference; docs/sources.md 22b)
	maxDescribePageSize   = 400 // DescribeLoadBalancers PageSize range 1-400 (API reference)
	defaultScheme         = "internet-facing"
	defaultHealthInterval = 30
)

// lbNotFound is the answer for a well-formed name of a load balancer that does not exist.
func (h *handler) lbNotFound(name string) *wire.Error {
	return h.dev.LBNotFound(name, errLBNotFound(name))
}

// lookupLB validates name and returns its load balancer. The caller holds the store lock.
func (h *handler) lookupLB(name string) (*loadBalancer, *wire.Error) {
	if e := validateLBName(name); e != nil {
		return nil, e
	}
	lb, ok := h.st.elb.lbs[name]
	if !ok {
		return nil, h.lbNotFound(name)
	}
	return lb, nil
}

// changeLB runs change on the load balancer named, with the store's write lock held: the
// shape of every operation that changes one load balancer once its parameters are validated,
// so that its checks and changes are one step. An unknown name is LoadBalancerNotFound.
func (h *handler) changeLB(name string, change func(lb *loadBalancer) *wire.Error) *wire.Error {
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	lb, e := h.lookupLB(name)
	if e != nil {
		return e
	}
	return change(lb)
}

// readLB is changeLB for an operation that only reads (the store's read lock).
func (h *handler) readLB(name string, read func(lb *loadBalancer) *wire.Error) *wire.Error {
	h.st.mu.RLock()
	defer h.st.mu.RUnlock()
	lb, e := h.lookupLB(name)
	if e != nil {
		return e
	}
	return read(lb)
}

// membershipCall checks what Register and Deregister share — a valid load balancer name
// and a non-empty Instances list, before the load balancer is looked up, as AWS validates
// the request shape first — and runs apply on the load balancer under the store's write
// lock, so a call's checks and changes are one step.
func (h *handler) membershipCall(rc *wire.Request, x *wire.Writer, apply func(lb *loadBalancer, ids []string) *wire.Error) *wire.Error {
	name := rc.Params["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	ids, e := instanceIDsParam(rc.Params)
	if e != nil {
		return e
	}
	if len(ids) == 0 {
		if e := h.dev.MissingInstances(errMissingParam("Instances")); e != nil {
			return e
		}
	}
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	lb, e := h.lookupLB(name)
	if e != nil {
		return e
	}
	if len(ids) == 0 { // only when a deviation accepted the missing list
		writeInstanceList(x, lb.members.ids())
		return nil
	}
	return apply(lb, ids)
}

func writeInstanceList(x *wire.Writer, ids []string) {
	x.Structs("Instances", len(ids), func(i int) { x.Leaf("InstanceId", ids[i]) })
}

func writeHealthCheck(x *wire.Writer, hc healthCheck) {
	x.Open("HealthCheck")
	x.LeafInt("HealthyThreshold", hc.HealthyThreshold)
	x.LeafInt("Interval", hc.Interval)
	x.Leaf("Target", hc.Target)
	x.LeafInt("Timeout", hc.Timeout)
	x.LeafInt("UnhealthyThreshold", hc.UnhealthyThreshold)
	x.Close("HealthCheck")
}
