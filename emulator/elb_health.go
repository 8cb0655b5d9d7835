package emulator

import "time"

// Instance health is derived, never stored: it is a function of the registration time, the
// instance's lifecycle, the load balancer's zones and health check at the moment of the
// request and, for a backed instance, the results of its real health checks (internal/dataplane/healthcheck.go).
// This keeps DescribeInstanceHealth a read-only O(members) walk.

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
	descFailedChecks   = "Instance has failed at least the UnhealthyThreshold number of health checks consecutively."
	descDeregistering  = "Instance deregistration currently in progress."
)

type instanceHealth struct {
	InstanceID  string
	State       string
	ReasonCode  string
	Description string
}

func notRegisteredHealth(id string) instanceHealth {
	return instanceHealth{id, healthOutOfService, reasonNA, descNotRegistered}
}

// health derives the state of registered instance id on lb at now (docs/sources.md 4b, 10):
//   - not running: OutOfService/Instance with the lifecycle state;
//   - its zone not enabled: OutOfService/ELB (zone description);
//   - otherwise the health check decides, counted from the latest of registration, zone
//     enablement and the instance reaching running ("ready"):
//   - a backed instance (BackendTag) is really probed: OutOfService/ELB "registration is
//     still in progress" until HealthyThreshold consecutive passes, then InService, and
//     OutOfService/Instance after UnhealthyThreshold consecutive failures (internal/dataplane/healthcheck.go).
//     The guide's health-check page asks HealthyThreshold passes; a troubleshooting page says
//     a new instance is InService once one check succeeds (docs/sources.md 10c). The
//     emulator takes the former, the slower; the suite asserts neither;
//   - an instance without a backend is a machine with nothing listening on the check's
//     port: every check fails, so it is "in progress" until UnhealthyThreshold checks have
//     been made, one per Interval from ready, and OutOfService/Instance from then on, as on
//     AWS. Options.UnbackedHealthy instead makes it InService RegistrationDelay after ready.
func (h *handler) health(lb *loadBalancer, id string, mem *member, now time.Time) instanceHealth {
	in, ok := h.st.elb.ec2.Instance(id, now)
	if !ok {
		// Only reachable when a deviation registered an unknown id (deviations.go).
		return instanceHealth{id, healthUnknown, reasonELB, descTransient}
	}
	state, since := in.state, in.since
	switch state {
	case statePending:
		return h.dev.NotRunningHealth(id, state, instanceHealth{id, healthOutOfService, reasonInstance, descPending})
	case stateStopping, stateStopped:
		return h.dev.NotRunningHealth(id, state, instanceHealth{id, healthOutOfService, reasonInstance, descStopped})
	case stateShuttingDown, stateTerminated:
		return h.dev.NotRunningHealth(id, state, instanceHealth{id, healthOutOfService, reasonInstance, descTerminated})
	}

	zoneAt, enabled := lb.zoneEnabledAt(in.zone)
	zoneAt, enabled = h.dev.ZoneEnabled(lb, in.zone, mem, zoneAt, enabled)
	if !enabled {
		return instanceHealth{id, healthOutOfService, reasonELB, descZoneNotEnabled}
	}
	ready := h.dev.HealthReady(latest(latest(mem.registeredAt, since), zoneAt))

	var status checkStatus
	switch {
	case in.backendAddr != "":
		status = h.dp.Status(lb, mem)
		if now.Before(ready) { // checks made before ready do not count yet
			status = checkInProgress
		}
	case h.dev.UnbackedHealthy(h.opts.UnbackedHealthy):
		status = checkInProgress
		if !now.Before(ready.Add(h.opts.RegistrationDelay)) {
			status = checkHealthy
		}
	default:
		status = h.unansweredStatus(lb.healthCheck, ready, now)
	}
	return h.reportStatus(id, status)
}

// unansweredStatus is the check status of an instance with nothing listening: checks are made
// every Interval from ready and each fails at once (a refused connection does not wait for
// Timeout), so the verdict comes with the UnhealthyThreshold-th check.
func (h *handler) unansweredStatus(hc healthCheck, ready, now time.Time) checkStatus {
	failed := int(now.Sub(ready) / h.scaled(hc.Interval))
	if failed >= hc.UnhealthyThreshold {
		return checkFailed
	}
	return checkInProgress
}

// reportStatus turns a check status into what DescribeInstanceHealth reports (API reference,
// InstanceState).
func (h *handler) reportStatus(id string, status checkStatus) instanceHealth {
	var hs instanceHealth
	switch status {
	case checkFailed:
		hs = instanceHealth{id, healthOutOfService, reasonInstance, descFailedChecks}
	case checkInProgress:
		hs = instanceHealth{id, healthOutOfService, reasonELB, descInProgress}
	default:
		hs = instanceHealth{id, healthInService, reasonNA, descNA}
	}
	return h.dev.ReportedHealth(status, hs)
}

// drainingHealth is the state of a deregistered instance while connection draining lets its
// in-flight requests finish: InService "Instance deregistration currently in progress." until
// they have or the draining timeout has passed (Guide/config-conn-drain, docs/sources.md 19);
// ok is false once draining is over (it is then a former member). "If a de-registering
// instance has no in-flight requests and no active connections, Elastic Load Balancing
// immediately completes the deregistration process."
func (h *handler) drainingHealth(lb *loadBalancer, id string, now time.Time) (instanceHealth, bool) {
	d, ok := lb.draining[id]
	if !ok || !now.Before(d.until) || h.dp.InFlight(lb, d.mem) == 0 {
		return instanceHealth{}, false
	}
	if in, exists := h.st.elb.ec2.Instance(id, now); !exists || isGone(in) {
		return instanceHealth{}, false
	}
	return instanceHealth{id, healthInService, reasonNA, descDeregistering}, true
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
