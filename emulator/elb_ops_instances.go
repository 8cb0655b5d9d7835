package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"net/http"
	"strings"
	"time"
)

// Instance membership operations: Register, Deregister, DescribeInstanceHealth.
// Each call is all-or-nothing: every id is checked before anything changes.

// registerInstances adds instances and answers the whole membership after the call (doc:
// "the updated list"). Re-registering is a no-op success and duplicates within one request
// count once (set semantics). An instance that does not exist, is not running (terminated,
// shutting-down, stopped, stopping) or is in another VPC makes the whole call InvalidInstance.
// Pending instances are accepted: they go InService once running.
func (h *handler) registerInstances(rc *wire.Request, x *wire.Writer) *wire.Error {
	return h.membershipCall(rc, x, func(lb *loadBalancer, ids []string) *wire.Error {
		if e := h.dev.RegisterRequest(ids); e != nil {
			return e
		}
		unique := dedupe(ids)
		var bad, good []string
		var unknown []string
		for _, id := range unique {
			problem, isUnknown := h.registrationProblem(lb, id, rc.Now)
			switch {
			case problem == "":
				good = append(good, id)
			case isUnknown:
				unknown = append(unknown, id)
				bad = append(bad, problem)
			default:
				bad = append(bad, problem)
			}
		}
		if len(bad) > 0 {
			h.dev.OnRefusedRegister(good, unknown, func(id string) { h.register(lb, id, rc.Now) })
			return errInvalidInstance("%s", wire.Truncate(strings.Join(bad, " "), 2000))
		}

		if quota := h.opts.MaxInstancesPerLoadBalancer; quota >= 0 {
			added := 0
			for _, id := range unique {
				if _, ok := lb.members.get(id); !ok {
					added++
				}
			}
			if lb.members.len()+added > quota {
				// Not in the model: the quota error is undocumented. LimitExceeded is the code
				// AWS query services of the same family (Auto Scaling, IAM) use for quotas.
				return wire.NewError(http.StatusBadRequest, "LimitExceeded",
					"Exceeded quota of %d registered instances per load balancer (%s has %d, the call adds %d).",
					quota, lb.name, lb.members.len(), added)
			}
		}

		seen := make(map[string]bool, len(ids))
		for _, id := range ids {
			if seen[id] {
				h.dev.OnRepeatInRequest(lb, id)
				continue
			}
			seen[id] = true
			h.register(lb, id, rc.Now)
		}
		writeInstanceList(x, h.dev.RegisterAnswer(unique, lb.members.ids()))
		return nil
	})
}

// regProblems is the set of reasons an instance cannot be registered; the first in the
// order below is the one answered.
type regProblems uint8

const (
	problemUnknown    regProblems = 1 << iota // the instance does not exist
	problemNotVisible                         // ELB does not see it yet (its view of EC2 lags)
	problemTerminated                         // terminated or shutting-down
	problemStopped                            // stopped or stopping
	problemOtherVPC                           // not in the load balancer's VPC
)

// registrationProblem returns why id cannot be registered with lb ("" if it can) and whether
// the reason is that the instance does not exist. The caller holds the store lock.
func (h *handler) registrationProblem(lb *loadBalancer, id string, now time.Time) (problem string, unknown bool) {
	in := h.st.instances[id]
	var p regProblems
	var state string
	if in == nil {
		p |= problemUnknown
	} else {
		state, _ = in.effectiveState(now, h.st.instanceDelay)
		switch state {
		case stateTerminated, stateShuttingDown:
			p |= problemTerminated
		case stateStopped, stateStopping:
			p |= problemStopped
		}
		if in.vpcID() != lb.vpc.id {
			p |= problemOtherVPC
		}
	}
	p = h.dev.RegistrationProblems(lb, in, now, p)
	switch {
	case p&problemUnknown != 0:
		return "The instance " + wire.Truncate(id, 64) + " does not exist.", true
	case p&problemNotVisible != 0:
		return "Could not find EC2 instance " + id + ".", false
	case p&(problemTerminated|problemStopped) != 0:
		return "EC2 instance " + id + " is not in running state (" + state + ").", false
	case p&problemOtherVPC != 0:
		return "EC2 instance " + id + " is not in the same VPC as load balancer " + lb.name + ".", false
	}
	return "", false
}

// register adds one instance to lb and to the instance's reverse index.
func (h *handler) register(lb *loadBalancer, id string, now time.Time) {
	if mem, ok := lb.members.get(id); ok {
		h.dev.OnReregister(mem)
		return
	}
	lb.members.add(id, now)
	delete(lb.former, id)
	if in := h.st.instances[id]; in != nil {
		in.lbs[lb.name] = struct{}{}
		h.dp.onRegister(lb, in) // a backed instance needs the health checker (dataplane.go)
	}
	h.dev.OnMembershipChange(lb, id, true, now)
}

// deregister removes one instance from lb and from the instance's reverse index.
func (h *handler) deregister(lb *loadBalancer, id string, now time.Time) {
	if !lb.members.remove(id) {
		return
	}
	lb.former[id] = struct{}{}
	if in := h.st.instances[id]; in != nil {
		delete(in.lbs, lb.name)
		if backendAddr(in) != "" {
			h.dp.onChange(lb) // the checker stops at once if this was its last backed member
		}
	}
	h.dev.OnMembershipChange(lb, id, false, now)
}

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

func writeInstanceList(x *wire.Writer, ids []string) {
	x.Structs("Instances", len(ids), func(i int) { x.Leaf("InstanceId", ids[i]) })
}

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
	lb, ok := st.lbs[name]
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
	in := h.st.instances[id]
	_, wasRegistered := lb.former[id]
	switch {
	case in == nil:
		return nil, false
	case !wasRegistered:
		return h.dev.NeverRegisteredHealth(id)
	}
	hs := notRegisteredHealth(id)
	if h.isGone(in, now) {
		hs = instanceHealth{id, healthOutOfService, reasonInstance, descTerminated}
	}
	return h.dev.FormerHealth(&hs)
}

// isGone reports whether in is terminated or shutting down, i.e. no longer reported by
// DescribeInstanceHealth.
func (h *handler) isGone(in *instance, now time.Time) bool {
	state, _ := in.effectiveState(now, h.st.instanceDelay)
	return state == stateTerminated || state == stateShuttingDown
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
