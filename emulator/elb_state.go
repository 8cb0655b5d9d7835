package emulator

import (
	"slices"
	"time"
)

// elbState is the ELB part of the store: the load balancers, and which load balancers each
// instance is registered with. It reads EC2 only through ec2 (services.go). The caller holds
// the store lock.
type elbState struct {
	region  string
	account string

	lbs map[string]*loadBalancer // by name

	// byInstance is the reverse index of load balancers each instance is registered with, so
	// that terminating it deregisters it in O(its load balancers) rather than a scan of all.
	byInstance map[string]map[string]struct{}

	ec2 ec2Reader
}

func newELBState(o Options, ec2 ec2Reader) *elbState {
	return &elbState{
		region:     o.Region,
		account:    o.AccountID,
		lbs:        map[string]*loadBalancer{},
		byInstance: map[string]map[string]struct{}{},
		ec2:        ec2,
	}
}

// link records that instance id is registered with lb.
func (s *elbState) link(id string, lb *loadBalancer) {
	set := s.byInstance[id]
	if set == nil {
		set = map[string]struct{}{}
		s.byInstance[id] = set
	}
	set[lb.name] = struct{}{}
}

// unlink forgets that instance id is registered with the load balancer named name.
func (s *elbState) unlink(id, name string) {
	set := s.byInstance[id]
	delete(set, name)
	if len(set) == 0 {
		delete(s.byInstance, id)
	}
}

// lbsOf calls fn for every load balancer instance id is registered with; fn may unlink.
func (s *elbState) lbsOf(id string, fn func(lb *loadBalancer)) {
	for name := range s.byInstance[id] {
		if lb := s.lbs[name]; lb != nil {
			fn(lb)
		}
	}
}

// elbSide is ELB's answer to EC2 (elbHooks, services.go).
type elbSide struct{ h *handler }

func (e elbSide) InstanceTerminating(id string, now time.Time) {
	h := e.h
	h.dev.OnTermination(func() {
		h.st.elb.lbsOf(id, func(lb *loadBalancer) { h.deregister(lb, id, now) })
	})
}

func (e elbSide) InstanceBackendTagged(id string, now time.Time) {
	h := e.h
	in, ok := h.st.elb.ec2.Instance(id, now)
	if !ok {
		return
	}
	h.st.elb.lbsOf(id, func(lb *loadBalancer) { h.onRegister(lb, in) })
}

func (e elbSide) SubnetInUse(id string) bool {
	for _, lb := range e.h.st.elb.lbs {
		for _, a := range lb.attached {
			if a.subnet.id == id {
				return true
			}
		}
	}
	return false
}

func (e elbSide) SecurityGroupInUse(id string) bool {
	for _, lb := range e.h.st.elb.lbs {
		if slices.Contains(lb.securityGroups, id) {
			return e.h.dev.GroupInUse(true)
		}
	}
	return false
}
