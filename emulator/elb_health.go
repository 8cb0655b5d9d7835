package emulator

import "time"

// Instance health is derived, never stored: it is a pure function of the registration time,
// the instance's lifecycle and the load balancer's zones at the moment of the request. This
// keeps DescribeInstanceHealth a read-only O(members) walk and needs no timers.

// Health states, reason codes and descriptions (API reference, InstanceState).
const (
	healthInService    = "InService"
	healthOutOfService = "OutOfService"
	healthUnknown      = "Unknown"

	reasonNA       = "N/A"
	reasonELB      = "ELB"
	reasonInstance = "Instance"

	descNA             = "N/A"
	descInProgress     = "Instance registration is still in progress."
	descZoneNotEnabled = "Instance is in the EC2 Availability Zone for which LoadBalancer is not configured to route traffic to."
	descNotRegistered  = "Instance is not currently registered with the LoadBalancer."
	descPending        = "Instance is in pending state."
	descStopped        = "Instance is in stopped state."
	descTerminated     = "Instance is in terminated state."
	descTransient      = "A transient error occurred. Please try again later."
)

// healthLag is the extra delay of the health-lag variant.
const healthLag = 3 * time.Second

type instanceHealth struct {
	InstanceID  string
	State       string
	ReasonCode  string
	Description string
}

func notRegisteredHealth(id string) instanceHealth {
	return instanceHealth{id, healthOutOfService, reasonNA, descNotRegistered}
}

// health derives the state of registered instance id on lb at now:
//   - not running: OutOfService/Instance with the lifecycle state;
//   - its zone not enabled: OutOfService/ELB (zone description);
//   - until RegistrationDelay after the latest of registration, zone enablement and the
//     instance reaching running: OutOfService/ELB "registration is still in progress";
//   - then InService/N/A/N/A;
//   - except that an instance backed by a real address (BackendTag) follows its health check
//     results instead of the registration delay, once the two rules above let it through.
//
// Health-related faults and the health-lag variant act here and only here.
func (h *handler) health(lb *loadBalancer, id string, mem *member, now time.Time) instanceHealth {
	in := h.st.instances[id]
	if in == nil {
		// Only reachable under register-unknown-accepted / failed-call-keeps-unknown.
		return instanceHealth{id, healthUnknown, reasonELB, descTransient}
	}
	state, since := in.effectiveState(now, h.st.instanceDelay)
	switch state {
	case statePending:
		return instanceHealth{id, healthOutOfService, reasonInstance, descPending}
	case stateStopping, stateStopped:
		if !h.modes.fault(faultStoppedStaysInService) {
			return instanceHealth{id, healthOutOfService, reasonInstance, descStopped}
		}
		since = in.launchedAt
	case stateShuttingDown, stateTerminated:
		if !h.modes.fault(faultTerminatedStaysInService) {
			return instanceHealth{id, healthOutOfService, reasonInstance, descTerminated}
		}
		since = in.launchedAt
	}

	ready := latest(mem.registeredAt, since)
	zoneAt, enabled := lb.zoneEnabledAt(in.zone())
	switch {
	case enabled && zoneAt.After(mem.registeredAt) && h.modes.fault(faultZoneEnableStaysOut):
		return instanceHealth{id, healthOutOfService, reasonELB, descZoneNotEnabled}
	case enabled:
		ready = latest(ready, zoneAt)
	case h.modes.fault(faultHealthIgnoresZones):
	case h.modes.fault(faultZoneDisableKeepsInService) && lb.everEnabled[in.zone()]:
	default:
		return instanceHealth{id, healthOutOfService, reasonELB, descZoneNotEnabled}
	}

	if backendAddr(in) != "" {
		// A backed instance's real health checks take the place of the registration delay
		// (healthcheck.go).
		return h.checkedHealth(lb, id, mem)
	}
	ready = ready.Add(h.opts.RegistrationDelay)
	if h.modes.variant(variantHealthLag) {
		ready = ready.Add(healthLag)
	}
	if now.Before(ready) || h.modes.fault(faultHealthNeverInService) {
		return instanceHealth{id, healthOutOfService, reasonELB, descInProgress}
	}
	if h.modes.fault(faultInServiceWrongReason) {
		return instanceHealth{id, healthInService, reasonELB, descNA}
	}
	return instanceHealth{id, healthInService, reasonNA, descNA}
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
