package emulator

import "time"

// Fault hooks that need more than a one-line check at their call site. Each is a no-op unless
// its fault mode is on; see modes.go for what each fault breaks.

// applyFailedRegister runs when a Register call is rejected with InvalidInstance. Correct
// behaviour changes nothing; failed-call-keeps-unknown stores the unknown ids anyway and
// the partial-register variant (undocumented, so benign) stores the good ones.
func (h *handler) applyFailedRegister(lb *loadBalancer, good, unknown []string, now time.Time) {
	if h.modes.fault(faultFailedCallKeepsUnknown) {
		for _, id := range unknown {
			h.register(lb, id, now)
		}
	}
	if h.modes.variant(variantPartialRegister) {
		for _, id := range good {
			h.register(lb, id, now)
		}
	}
}

// onDuplicateInRequest runs for the second and later occurrences of an id in one Register
// request. Correct behaviour counts it once; register-dup-in-request stores another copy.
func (h *handler) onDuplicateInRequest(lb *loadBalancer, id string) {
	if !h.modes.fault(faultRegisterDupInRequest) {
		return
	}
	if mem, ok := lb.members.get(id); ok {
		mem.copies++
	}
}

// stashMembers runs when a load balancer is deleted: delete-keeps-registrations remembers its
// membership so a new load balancer with the same name gets it back.
func (h *handler) stashMembers(lb *loadBalancer) {
	if h.modes.fault(faultDeleteKeepsRegistrations) {
		stash := lb.members.clone()
		h.st.stashedMembers[lb.name] = &stash
	}
}

// restoreStashedMembers is the other half of delete-keeps-registrations.
func (h *handler) restoreStashedMembers(lb *loadBalancer) {
	stashed, ok := h.st.stashedMembers[lb.name]
	if !ok {
		return
	}
	delete(h.st.stashedMembers, lb.name)
	lb.members = *stashed
	lb.members.each(func(id string, _ *member) {
		if in := h.st.instances[id]; in != nil {
			in.lbs[lb.name] = struct{}{}
			h.dp.onRegister(lb, in)
		}
	})
}

// keepTerminatedRegistered reports whether terminating an instance should leave its
// registrations in place (terminated-stays-inservice); correctly it deregisters everywhere.
func (h *handler) keepTerminatedRegistered() bool {
	return h.modes.fault(faultTerminatedStaysInService)
}

// neverRegisteredHealth answers DescribeInstanceHealth for an existing instance that was
// never registered with the load balancer. Correctly (docs/sources.md 4d) it is refused with
// InvalidInstance (known=false); never-registered-described (benign) describes it as "not
// currently registered"; health-never-registered-inservice reports it InService.
func (h *handler) neverRegisteredHealth(id string) (s *instanceHealth, known bool) {
	switch {
	case h.modes.fault(faultNeverRegisteredInService):
		return &instanceHealth{id, healthInService, reasonNA, descNA}, true
	case h.modes.variant(variantNeverRegisteredDescribed):
		hs := notRegisteredHealth(id)
		return &hs, true
	}
	return nil, false
}
