package emulator

import (
	"strings"
	"time"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// describeInstanceHealth answers the health of every registered instance (no Instances) or of
// the instances asked for (docs/sources.md 4). Asked by ID:
//   - a registered instance: its health;
//   - one that was registered and no longer is (deregistered, or terminated, which
//     deregisters it): OutOfService, "not currently registered" or its lifecycle state, so
//     the SDKs' InstanceDeregistered waiter succeeds;
//   - an id that does not exist, or an instance never registered with lb: InvalidInstance.
//
// Without Instances, terminated instances are not returned (they are no longer registered).
func (h *handler) describeInstanceHealth(rc *wire.Request, x *wire.Writer) *wire.Error {
	name := rc.Params["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	ids, e := instanceIDsParam(rc.Params)
	if e != nil {
		return e
	}
	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	lb, ok := st.elb.lbs[name]
	if !ok {
		if e := h.dev.HealthOfUnknownLB(h.lbNotFound(name)); e != nil {
			return e
		}
		x.Structs("InstanceStates", 0, nil)
		return nil
	}

	var states []instanceHealth
	if ids = h.dev.HealthFilter(ids); len(ids) == 0 {
		states = make([]instanceHealth, 0, lb.members.len())
		lb.members.each(func(id string, mem *member) {
			states = append(states, h.health(lb, id, mem, rc.Now))
		})
		for id := range lb.draining {
			if hs, ok := h.drainingHealth(lb, id, rc.Now); ok {
				states = append(states, hs)
			}
		}
		states = h.dev.AllHealth(states)
	} else {
		var unknown []string
		for _, id := range dedupe(ids) {
			s, known := h.healthByID(lb, id, rc.Now)
			switch {
			case !known:
				unknown = append(unknown, wire.Truncate(id, 64))
			case s != nil:
				states = append(states, *s)
			}
		}
		if len(unknown) > 0 {
			return errInvalidInstance("Could not find EC2 instance(s): %s", wire.Truncate(strings.Join(unknown, ", "), 2000))
		}
	}
	x.Structs("InstanceStates", len(states), func(i int) {
		s := states[i]
		x.Leaf("Description", s.Description)
		x.Leaf("InstanceId", s.InstanceID)
		x.Leaf("ReasonCode", s.ReasonCode)
		x.Leaf("State", s.State)
	})
	return nil
}

// healthByID is the answer for one instance named in DescribeInstanceHealth: its state, or
// known=false for InvalidInstance. A nil state with known=true leaves it out (deviations only).
func (h *handler) healthByID(lb *loadBalancer, id string, now time.Time) (s *instanceHealth, known bool) {
	if mem, registered := lb.members.get(id); registered {
		hs := h.health(lb, id, mem, now)
		return &hs, true
	}
	if hs, ok := h.drainingHealth(lb, id, now); ok {
		return &hs, true
	}
	in, exists := h.st.elb.ec2.Instance(id, now)
	_, wasRegistered := lb.former[id]
	switch {
	case !exists:
		return nil, false
	case !wasRegistered:
		return h.dev.NeverRegisteredHealth(id)
	}
	hs := notRegisteredHealth(id)
	if isGone(in) {
		hs = instanceHealth{id, healthOutOfService, reasonInstance, descTerminated}
	}
	return h.dev.FormerHealth(&hs)
}

// isGone reports whether in is terminated or shutting down, i.e. no longer reported by
// DescribeInstanceHealth.
func isGone(in instanceInfo) bool {
	return in.state == stateTerminated || in.state == stateShuttingDown
}
