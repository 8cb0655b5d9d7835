package emulator

import (
	"maps"
	"slices"
	"sync/atomic"
	"time"
)

// What a run has used, counted as AWS bills it, so that a run against the emulator at AWS's
// timings (the aws-timings profile, make bench-aws-timings) tells what the same run costs on
// AWS (docs/sources.md 24):
//   - EC2 Linux instances are billed per second with a minimum of 60 seconds per instance;
//     an instance counts from its launch to its termination (or to now), so the pending time
//     and any stopped time are included: an upper bound;
//   - Classic load balancers are billed per "LoadBalancer-hour (or partial hour)": a load
//     balancer counts from CreateLoadBalancer to DeleteLoadBalancer (or to now), rounded up
//     to whole hours.
//
// Instances are never removed from the store, so they are read from it when asked; load
// balancers are, so DeleteLoadBalancer adds each one's time here (usageLog.loadBalancerGone).

// Usage is what the emulator has been asked for since it started (GET /_emulator/usage,
// Server.Usage).
type Usage struct {
	InstancesLaunched       int     `json:"instancesLaunched"`
	InstanceSeconds         float64 `json:"instanceSeconds"`
	BilledInstanceSeconds   float64 `json:"billedInstanceSeconds"` // each instance at least 60 s
	LoadBalancersCreated    int     `json:"loadBalancersCreated"`
	LoadBalancerSeconds     float64 `json:"loadBalancerSeconds"`
	BilledLoadBalancerHours int     `json:"billedLoadBalancerHours"` // each load balancer in whole hours
	// APICalls counts every AWS API request (ELB, EC2, IAM), answered or refused;
	// APICallsByAction those of each action the emulator implements ("other" for the rest).
	APICalls         int64            `json:"apiCalls"`
	APICallsByAction map[string]int64 `json:"apiCallsByAction"`
}

// Billing units (docs/sources.md 24).
const (
	minBilledInstanceTime = 60 * time.Second
	loadBalancerBillUnit  = time.Hour
	otherAction           = "other"
)

// usageLog is the handler's tally. calls is built once, for the implemented actions, and
// only read afterwards, so counting a request takes no lock and allocates nothing; an
// unknown action is counted as "other" (a client cannot grow the map).
type usageLog struct {
	calls map[string]*atomic.Int64

	// Load balancers already deleted; written by DeleteLoadBalancer under the store's write
	// lock, read under its read lock.
	goneLBs      int
	goneLBTime   time.Duration
	goneLBBilled int
}

func newUsageLog() *usageLog {
	u := &usageLog{calls: map[string]*atomic.Int64{otherAction: {}}}
	for _, ops := range []map[string]opFunc{elbOps, ec2Ops, iamOps} {
		for action := range ops {
			u.calls[action] = &atomic.Int64{}
		}
	}
	return u
}

// countCall counts one API request for action.
func (u *usageLog) countCall(action string) {
	c, ok := u.calls[action]
	if !ok {
		c = u.calls[otherAction]
	}
	c.Add(1)
}

// loadBalancerGone records a load balancer deleted at now. The caller holds the store's write lock.
func (u *usageLog) loadBalancerGone(lb *loadBalancer, now time.Time) {
	d := lifetime(lb.createdAt, now)
	u.goneLBs++
	u.goneLBTime += d
	u.goneLBBilled += billedHours(d)
}

// usage answers the tally at now.
func (h *handler) usage(now time.Time) Usage {
	var u Usage
	st := h.st
	st.mu.RLock()
	u.InstancesLaunched, u.InstanceSeconds, u.BilledInstanceSeconds = st.ec2.instanceUsage(now)
	lbs, lbTime, lbBilled := h.usageLog.goneLBs, h.usageLog.goneLBTime, h.usageLog.goneLBBilled
	for _, lb := range st.elb.lbs {
		d := lifetime(lb.createdAt, now)
		lbs, lbTime, lbBilled = lbs+1, lbTime+d, lbBilled+billedHours(d)
	}
	st.mu.RUnlock()
	u.LoadBalancersCreated, u.LoadBalancerSeconds, u.BilledLoadBalancerHours = lbs, lbTime.Seconds(), lbBilled

	u.APICallsByAction = map[string]int64{}
	for _, action := range slices.Sorted(maps.Keys(h.usageLog.calls)) {
		if n := h.usageLog.calls[action].Load(); n > 0 {
			u.APICallsByAction[action] = n
			u.APICalls += n
		}
	}
	return u
}

// instanceUsage is how many instances were launched and their time from launch to
// termination (or now), as is and as billed. The caller holds the store lock.
func (s *ec2State) instanceUsage(now time.Time) (launched int, seconds, billed float64) {
	for _, in := range s.instances {
		end := now
		if in.state == stateShuttingDown || in.state == stateTerminated {
			end = in.stateAt // TerminateInstances stops the billing clock
		}
		d := lifetime(in.launchedAt, end)
		launched++
		seconds += d.Seconds()
		billed += max(d, minBilledInstanceTime).Seconds()
	}
	return launched, seconds, billed
}

func lifetime(from, to time.Time) time.Duration { return max(to.Sub(from), 0) }

// billedHours is a lifetime in whole hours, at least one.
func billedHours(d time.Duration) int {
	return int(max((d+loadBalancerBillUnit-1)/loadBalancerBillUnit, 1))
}

// Usage is what the emulator has been asked for since it started (see Usage).
func (s *Server) Usage() Usage { return s.h.usage(time.Now()) }
