package emulator

import (
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
func (h *handler) registerInstances(rc *request, x *xmlWriter) *apiError {
	return h.membershipCall(rc, x, func(lb *loadBalancer, ids []string) *apiError {
		if e := h.refusesDuplicateIDs(ids); e != nil { // dup-in-request-refused variant only
			return e
		}
		unique := dedupe(ids)
		var bad, good []string
		var unknown []string
		for _, id := range unique {
			problem, isUnknown := h.registrationProblem(lb, id, rc.now)
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
			h.applyFailedRegister(lb, good, unknown, rc.now) // faults and variants only; normally a no-op
			return errInvalidInstance("%s", truncate(strings.Join(bad, " "), 2000))
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
				return newError(http.StatusBadRequest, "LimitExceeded",
					"Exceeded quota of %d registered instances per load balancer (%s has %d, the call adds %d).",
					quota, lb.name, lb.members.len(), added)
			}
		}

		seen := make(map[string]bool, len(ids))
		for _, id := range ids {
			if seen[id] {
				h.onDuplicateInRequest(lb, id) // register-dup-in-request fault only
				continue
			}
			seen[id] = true
			h.register(lb, id, rc.now)
		}
		if h.modes.fault(faultRegisterReturnsSentOnly) {
			writeInstanceList(x, unique)
			return nil
		}
		writeInstanceList(x, lb.members.ids())
		return nil
	})
}

// registrationProblem returns why id cannot be registered with lb ("" if it can) and whether
// the reason is that the instance does not exist. The register-*-accepted faults waive the
// matching check here. The caller holds the store lock.
func (h *handler) registrationProblem(lb *loadBalancer, id string, now time.Time) (problem string, unknown bool) {
	in := h.st.instances[id]
	if in == nil {
		if h.modes.fault(faultRegisterUnknownAccepted) {
			return "", false
		}
		return "The instance " + truncate(id, 64) + " does not exist.", true
	}
	if h.lagsBehindEC2(in, now) { // ec2-lag variant only
		return "Could not find EC2 instance " + id + ".", false
	}
	state, _ := in.effectiveState(now, h.st.instanceDelay)
	switch state {
	case stateTerminated, stateShuttingDown:
		if !h.modes.fault(faultRegisterTerminatedAccepted) {
			return "EC2 instance " + id + " is not in running state (" + state + ").", false
		}
	case stateStopped, stateStopping:
		if !h.modes.fault(faultRegisterStoppedAccepted) {
			return "EC2 instance " + id + " is not in running state (" + state + ").", false
		}
	}
	if in.vpcID() != lb.vpc.id && !h.modes.fault(faultRegisterOtherVPCAccepted) ||
		!lb.vpc.isDefault && h.modes.fault(faultRegisterOwnVPCRefused) {
		return "EC2 instance " + id + " is not in the same VPC as load balancer " + lb.name + ".", false
	}
	return "", false
}

// register adds one instance to lb and to the instance's reverse index.
func (h *handler) register(lb *loadBalancer, id string, now time.Time) {
	if mem, ok := lb.members.get(id); ok {
		if h.modes.fault(faultRegisterDuplicatesMember) {
			mem.copies++
		}
		return
	}
	lb.members.add(id, now)
	delete(lb.former, id)
	if in := h.st.instances[id]; in != nil {
		in.lbs[lb.name] = struct{}{}
		h.dp.onRegister(lb, in) // a backed instance needs the health checker (dataplane.go)
	}
	h.recordChange(lb, id, true, now)
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
	h.recordChange(lb, id, false, now)
}

// deregisterInstances removes instances and answers the remaining membership. Any id that is
// not registered makes the whole call InvalidInstance and removes nothing (docs/sources.md 3: seen
// on AWS; never half-applied).
func (h *handler) deregisterInstances(rc *request, x *xmlWriter) *apiError {
	return h.membershipCall(rc, x, func(lb *loadBalancer, ids []string) *apiError {
		unique := dedupe(ids)
		var notRegistered []string
		for _, id := range unique {
			if _, ok := lb.members.get(id); !ok {
				notRegistered = append(notRegistered, truncate(id, 64))
			}
		}
		if len(notRegistered) > 0 {
			if h.modes.fault(faultDeregisterUnregisteredHalf) {
				for _, id := range unique {
					h.deregister(lb, id, rc.now)
				}
			}
			return errInvalidInstance("The following instances are not registered with load balancer %s: %s",
				lb.name, truncate(strings.Join(notRegistered, ", "), 2000))
		}

		switch {
		case h.modes.fault(faultDeregisterNoop):
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
			writeInstanceList(x, remaining)
		case h.modes.fault(faultDeregisterReturnsRemoved):
			for _, id := range unique {
				h.deregister(lb, id, rc.now)
			}
			writeInstanceList(x, unique)
		default:
			for _, id := range unique {
				h.deregister(lb, id, rc.now)
			}
			writeInstanceList(x, lb.members.ids())
		}
		return nil
	})
}

func writeInstanceList(x *xmlWriter, ids []string) {
	x.structs("Instances", len(ids), func(i int) { x.leaf("InstanceId", ids[i]) })
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
func (h *handler) describeInstanceHealth(rc *request, x *xmlWriter) *apiError {
	name := rc.p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	ids, e := instanceIDsParam(rc.p)
	if e != nil {
		return e
	}
	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	lb, ok := st.lbs[name]
	if !ok {
		if h.modes.fault(faultHealthUnknownLBEmpty) {
			x.structs("InstanceStates", 0, nil)
			return nil
		}
		return h.lbNotFound(name)
	}

	var states []instanceHealth
	if len(ids) == 0 || h.modes.fault(faultHealthFilterIgnored) {
		states = make([]instanceHealth, 0, lb.members.len())
		lb.members.each(func(id string, mem *member) {
			states = append(states, h.health(lb, id, mem, rc.now))
		})
		if h.modes.fault(faultHealthOmitsRegistered) && len(states) > 0 {
			states = states[:len(states)-1]
		}
	} else {
		var unknown []string
		for _, id := range dedupe(ids) {
			s, known := h.healthByID(lb, id, rc.now)
			switch {
			case !known:
				unknown = append(unknown, truncate(id, 64))
			case s != nil:
				states = append(states, *s)
			}
		}
		if len(unknown) > 0 {
			return errInvalidInstance("Could not find EC2 instance(s): %s", truncate(strings.Join(unknown, ", "), 2000))
		}
	}
	x.structs("InstanceStates", len(states), func(i int) {
		s := states[i]
		x.leaf("Description", s.Description)
		x.leaf("InstanceId", s.InstanceID)
		x.leaf("ReasonCode", s.ReasonCode)
		x.leaf("State", s.State)
	})
	return nil
}

// healthByID is the answer for one instance named in DescribeInstanceHealth: its state, or
// known=false for InvalidInstance. A nil state with known=true leaves it out (faults only).
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
		return h.neverRegisteredHealth(id)
	case h.isGone(in, now):
		if h.modes.fault(faultHealthTerminatedOmitted) {
			return nil, true
		}
		return &instanceHealth{id, healthOutOfService, reasonInstance, descTerminated}, true
	case h.modes.fault(faultHealthDeregisteredInvalid):
		return nil, false
	}
	hs := notRegisteredHealth(id)
	return &hs, true
}

// isGone reports whether in is terminated or shutting down, i.e. no longer reported by
// DescribeInstanceHealth (the terminated-stays-inservice fault keeps reporting it).
func (h *handler) isGone(in *instance, now time.Time) bool {
	if h.modes.fault(faultTerminatedStaysInService) {
		return false
	}
	state, _ := in.effectiveState(now, h.st.instanceDelay)
	return state == stateTerminated || state == stateShuttingDown
}

// membershipCall checks what Register and Deregister share — a valid load balancer name
// and a non-empty Instances list, before the load balancer is looked up, as AWS validates
// the request shape first — and runs apply on the load balancer under the store's write
// lock, so a call's checks and changes are one step.
func (h *handler) membershipCall(rc *request, x *xmlWriter, apply func(lb *loadBalancer, ids []string) *apiError) *apiError {
	name := rc.p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	ids, e := instanceIDsParam(rc.p)
	if e != nil {
		return e
	}
	if len(ids) == 0 && !h.modes.fault(faultMissingParamAccepted) {
		return errMissingParam("Instances")
	}
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	lb, e := h.lookupLB(name)
	if e != nil {
		return e
	}
	if len(ids) == 0 { // missing-param-accepted fault
		writeInstanceList(x, lb.members.ids())
		return nil
	}
	return apply(lb, ids)
}
