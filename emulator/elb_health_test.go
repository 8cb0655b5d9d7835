package emulator

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// The default health model (elb_health.go): an instance without a backend has nothing
// listening, so every check fails and it goes from "registration in progress" to failed
// checks, never InService; Options.UnbackedHealthy simulates it healthy instead.

// unbackedScale runs the default health check (interval 30 s) every 150 ms.
const unbackedScale = 0.005

// healthAnswer is one InstanceState without the id.
type healthAnswer struct{ state, reason, desc string }

func answerOf(s elbtypes.InstanceState) healthAnswer {
	return healthAnswer{aws.ToString(s.State), aws.ToString(s.ReasonCode), aws.ToString(s.Description)}
}

var (
	inProgress   = healthAnswer{healthOutOfService, reasonELB, descInProgress}
	failedChecks = healthAnswer{healthOutOfService, reasonInstance, descFailedChecks}
	inService    = healthAnswer{healthInService, reasonNA, descNA}
)

// watchTransition polls id's health on lb until it has answered final for linger, and checks
// every answer against the clock: only inProgress or final; inProgress while less than after
// can have passed since the instance was ready, final once more than after surely has. The
// instance became ready at a moment within [readyFrom, readyTo] (the times just before and
// just after the call that made it ready), so an answer computed between before and after
// is for an age within [before-readyTo, after-readyFrom].
func (e *env) watchTransition(lb, id string, readyFrom, readyTo time.Time, after time.Duration, final healthAnswer, linger time.Duration) {
	e.t.Helper()
	deadline := readyTo.Add(after + linger + 5*time.Second)
	var finalSince time.Time
	for {
		t0 := time.Now()
		got := answerOf(stateOf(e, lb, id))
		t1 := time.Now()
		minAge, maxAge := t0.Sub(readyTo), t1.Sub(readyFrom)
		switch {
		case got != inProgress && got != final:
			e.t.Fatalf("%s aged %v-%v: %+v, want %+v then %+v", id, minAge, maxAge, got, inProgress, final)
		case got == final && maxAge < after:
			e.t.Fatalf("%s aged at most %v: %+v already, due at %v", id, maxAge, got, after)
		case got == inProgress && minAge >= after:
			e.t.Fatalf("%s aged at least %v: still %+v, want %+v at %v", id, minAge, got, final, after)
		}
		if got == final && finalSince.IsZero() {
			finalSince = t1
		}
		if !finalSince.IsZero() && t1.Sub(finalSince) >= linger {
			return
		}
		if t1.After(deadline) {
			e.t.Fatalf("%s did not answer %+v for %v by %v after ready", id, final, linger, t1.Sub(readyFrom))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// registerTimed registers ids on lb and answers the times just before and after the call.
func (e *env) registerTimed(lb string, ids ...string) (from, to time.Time) {
	e.t.Helper()
	from = time.Now()
	must[[]string](e.t)(e.register(lb, ids...))
	return from, time.Now()
}

func TestUnbackedInstanceFailsDefaultHealthCheck(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{HealthCheckScale: unbackedScale})
	e.createLB("lb", "us-east-1a")
	d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"lb"}}))
	hc := d.LoadBalancerDescriptions[0].HealthCheck
	if aws.ToString(hc.Target) != "TCP:8080" || aws.ToInt32(hc.Interval) != 30 || aws.ToInt32(hc.Timeout) != 5 ||
		aws.ToInt32(hc.UnhealthyThreshold) != 2 || aws.ToInt32(hc.HealthyThreshold) != 10 {
		t.Fatalf("default health check %s %d/%d/%d/%d, want TCP:8080 30/5/2/10", aws.ToString(hc.Target),
			aws.ToInt32(hc.Interval), aws.ToInt32(hc.Timeout), aws.ToInt32(hc.UnhealthyThreshold), aws.ToInt32(hc.HealthyThreshold))
	}
	id := e.launchRunning(1, "us-east-1a")[0]
	from, to := e.registerTimed("lb", id)
	interval := e.srv.h.scaled(30)
	e.watchTransition("lb", id, from, to, 2*interval, failedChecks, 2*interval)
	if got := traffic(t, e.listenerURL("lb", 80), 2); got["HTTP 503"] != 2 {
		t.Errorf("traffic %v, want 503s: no member is InService", got)
	}
}

func TestUnbackedInstanceFailsConfiguredHealthCheck(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{HealthCheckScale: testHealthCheckScale})
	e.createLB("lb", "us-east-1a")
	must[*elb.ConfigureHealthCheckOutput](t)(e.elb.ConfigureHealthCheck(e.ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String("lb"),
		HealthCheck: &elbtypes.HealthCheck{Target: aws.String("HTTP:8080/healthz"), Interval: aws.Int32(5), Timeout: aws.Int32(2),
			HealthyThreshold: aws.Int32(2), UnhealthyThreshold: aws.Int32(4)}}))
	ids := e.launchRunning(2, "us-east-1a")
	from, to := e.registerTimed("lb", ids...)
	for _, id := range ids {
		e.watchTransition("lb", id, from, to, 4*e.srv.h.scaled(5), failedChecks, e.srv.h.scaled(5))
	}
}

// TestUnbackedHealthCountsFromReady: the checks count from the latest of registration, zone
// enablement and the instance reaching running.
func TestUnbackedHealthCountsFromReady(t *testing.T) {
	t.Parallel()
	const startDelay = 200 * time.Millisecond
	e := newEnv(t, Options{HealthCheckScale: unbackedScale, InstanceStartDelay: startDelay})
	verdict := 2 * e.srv.h.scaled(30)
	e.createLB("lb", "us-east-1a")

	// Registered while pending: counted from running.
	launchFrom := time.Now()
	pending := e.launch(1, "us-east-1a")[0]
	launchTo := time.Now()
	regFrom, regTo := e.registerTimed("lb", pending)
	if got := answerOf(stateOf(e, "lb", pending)); time.Since(launchFrom) < startDelay && got != (healthAnswer{healthOutOfService, reasonInstance, descPending}) {
		t.Errorf("pending member: %+v", got)
	}
	waitFor(t, 2*time.Second, "the instance to run", func() bool { return answerOf(stateOf(e, "lb", pending)).desc != descPending })
	e.watchTransition("lb", pending, latest(regFrom, launchFrom.Add(startDelay)), latest(regTo, launchTo.Add(startDelay)),
		verdict, failedChecks, 0)

	// Registered in a zone not enabled for longer than the verdict: counted from enablement.
	inB := e.launchRunning(1, "us-east-1b")[0]
	e.registerTimed("lb", inB)
	time.Sleep(verdict + 50*time.Millisecond)
	if got := answerOf(stateOf(e, "lb", inB)); got != (healthAnswer{healthOutOfService, reasonELB, descZoneNotEnabled}) {
		t.Errorf("member in a zone not enabled: %+v", got)
	}
	zoneFrom := time.Now()
	must[[]string](t)(e.enableZones("lb", "us-east-1b"))
	e.watchTransition("lb", inB, zoneFrom, time.Now(), verdict, failedChecks, 0)

	// Stopped and started again: counted from running again.
	must[*ec2.StopInstancesOutput](t)(e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: []string{inB}}))
	waitFor(t, 2*time.Second, "the instance to stop", func() bool {
		out := must[*ec2.DescribeInstancesOutput](t)(e.ec2.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{inB}}))
		return out.Reservations[0].Instances[0].State.Name == ec2types.InstanceStateNameStopped
	})
	if got := answerOf(stateOf(e, "lb", inB)); got != (healthAnswer{healthOutOfService, reasonInstance, descStopped}) {
		t.Errorf("stopped member: %+v", got)
	}
	startFrom := time.Now()
	must[*ec2.StartInstancesOutput](t)(e.ec2.StartInstances(e.ctx, &ec2.StartInstancesInput{InstanceIds: []string{inB}}))
	startTo := time.Now()
	waitFor(t, 2*time.Second, "the instance to run", func() bool { return answerOf(stateOf(e, "lb", inB)).desc != descPending })
	e.watchTransition("lb", inB, startFrom.Add(startDelay), startTo.Add(startDelay), verdict, failedChecks, 0)
}

func TestUnbackedHealthyGoesInService(t *testing.T) {
	t.Parallel()
	// The health check would fail the instance within 40 ms; UnbackedHealthy ignores it.
	e := newEnv(t, Options{UnbackedHealthy: true, HealthCheckScale: 0.001, RegistrationDelay: 200 * time.Millisecond})
	e.createLB("lb", "us-east-1a")
	id := e.launchRunning(1, "us-east-1a")[0]
	from, to := e.registerTimed("lb", id)
	e.watchTransition("lb", id, from, to, 200*time.Millisecond, inService, 100*time.Millisecond)
}

// TestUnbackedInServiceMemberGetsNothingListening: traffic routed to an unbacked member that
// is InService (UnbackedHealthy) fails as on a machine with nothing listening.
func TestUnbackedInServiceMemberGetsNothingListening(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{UnbackedHealthy: true, HealthCheckScale: testHealthCheckScale})
	e.createLB("lb", "us-east-1a")
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName:  aws.String("tcp"),
		Listeners:         []elbtypes.Listener{{Protocol: aws.String("TCP"), LoadBalancerPort: 7000, InstancePort: aws.Int32(7000)}},
		AvailabilityZones: []string{"us-east-1a"},
	}))
	id := e.launchRunning(1, "us-east-1a")[0]
	for _, lb := range []string{"lb", "tcp"} {
		must[[]string](t)(e.register(lb, id))
		e.waitState(lb, id, healthInService, 2*time.Second)
	}
	if got := traffic(t, e.listenerURL("lb", 80), 3); got["HTTP 502"] != 3 {
		t.Errorf("HTTP listener: %v, want 502s", got)
	}
	_, a := e.listenersOf("tcp")
	if line, err := exchange(a.Listeners[0].Address, "hello"); err == nil {
		t.Errorf("TCP listener answered %q, want the connection closed", line)
	}
	// A backed member next to it serves its share; the unbacked one still fails.
	b := newTestBackend(t)
	backed := e.launchBacked("us-east-1a", b.addr())
	b.id.Store(&backed)
	e.quickHealthCheck("lb", "HTTP:80/healthz")
	must[[]string](t)(e.register("lb", backed))
	e.waitState("lb", backed, healthInService, 5*time.Second)
	if got := traffic(t, e.listenerURL("lb", 80), 20); got[backed] == 0 || got["HTTP 502"] == 0 || len(got) != 2 {
		t.Errorf("mixed members: %v, want %s and 502s", got, backed)
	}
}
