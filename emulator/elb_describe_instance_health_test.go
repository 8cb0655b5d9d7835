package emulator

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// TestInstanceHealthLifecycle follows registered instances through their EC2 lifecycle, with
// instances simulated healthy (Options.UnbackedHealthy); the answers by ID for former and
// never-registered instances are TestDescribeInstanceHealthByID's (elb_health_test.go).
func TestInstanceHealthLifecycle(t *testing.T) {
	e := newEnv(t, Options{UnbackedHealthy: true})
	ids := e.launchRunning(3, "us-east-1a")
	e.createLB("health", "us-east-1a")
	must[[]string](t)(e.register("health", ids[0], ids[1]))

	h := must[map[string]elbtypes.InstanceState](t)(e.health("health"))
	if len(h) != 2 {
		t.Fatalf("health without filter: %d states, want the 2 registered", len(h))
	}
	for _, id := range ids[:2] {
		s := h[id]
		if aws.ToString(s.State) != "OutOfService" || aws.ToString(s.ReasonCode) != "ELB" || aws.ToString(s.Description) != descInProgress {
			t.Errorf("fresh registration %s: %s/%s/%s", id, aws.ToString(s.State), aws.ToString(s.ReasonCode), aws.ToString(s.Description))
		}
	}
	s := e.waitState("health", ids[0], "InService", 3*time.Second)
	if aws.ToString(s.ReasonCode) != "N/A" || aws.ToString(s.Description) != "N/A" {
		t.Errorf("InService with %s/%s", aws.ToString(s.ReasonCode), aws.ToString(s.Description))
	}

	// Filter: a registered one only.
	h = must[map[string]elbtypes.InstanceState](t)(e.health("health", ids[0]))
	if len(h) != 1 || aws.ToString(h[ids[0]].State) != "InService" {
		t.Errorf("filtered health %+v", h)
	}
	// Filter with an existing instance never registered, or an id that does not exist.
	_, err := e.health("health", ids[0], ids[2])
	wantCode(t, err, "InvalidInstance", 400)
	_, err = e.health("health", ids[0], "i-0123456789abcdef0")
	wantCode(t, err, "InvalidInstance", 400)
	_, err = e.health("nope")
	wantCode(t, err, "LoadBalancerNotFound", 400)

	// Stopped: OutOfService/Instance, still registered.
	must[*ec2.StopInstancesOutput](t)(e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: ids[1:2]}))
	time.Sleep(testInstanceDelay + 10*time.Millisecond)
	h = must[map[string]elbtypes.InstanceState](t)(e.health("health"))
	if s := h[ids[1]]; aws.ToString(s.State) != "OutOfService" || aws.ToString(s.ReasonCode) != "Instance" {
		t.Errorf("stopped instance health %s/%s", aws.ToString(s.State), aws.ToString(s.ReasonCode))
	}
	// Started again it comes back.
	must[*ec2.StartInstancesOutput](t)(e.ec2.StartInstances(e.ctx, &ec2.StartInstancesInput{InstanceIds: ids[1:2]}))
	e.waitState("health", ids[1], "InService", 3*time.Second)

	// Terminated: deregistered, so not returned without a filter; asked by ID, a former
	// member is OutOfService with its lifecycle state.
	must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids[:1]}))
	h = must[map[string]elbtypes.InstanceState](t)(e.health("health"))
	if _, ok := h[ids[0]]; ok || len(h) != 1 {
		t.Errorf("terminated instance still reported without a filter: %+v", h)
	}
	h = must[map[string]elbtypes.InstanceState](t)(e.health("health", ids[0], ids[1]))
	if s := h[ids[0]]; len(h) != 2 || aws.ToString(s.State) != "OutOfService" || aws.ToString(s.ReasonCode) != "Instance" ||
		aws.ToString(s.Description) != descTerminated {
		t.Errorf("terminated former member asked by ID: %+v", h)
	}
	if m := e.members("health"); !slices.Equal(m, ids[1:2]) {
		t.Errorf("terminated instance still registered: %v", m)
	}
}

// TestInstanceHealthZones: zones decide before the health check (instances simulated healthy).
func TestInstanceHealthZones(t *testing.T) {
	e := newEnv(t, Options{UnbackedHealthy: true})
	inA := e.launchRunning(1, "us-east-1a")[0]
	inB := e.launchRunning(1, "us-east-1b")[0]
	e.createLB("zoned", "us-east-1a")
	must[[]string](t)(e.register("zoned", inA, inB))
	e.waitState("zoned", inA, "InService", 3*time.Second)
	h := must[map[string]elbtypes.InstanceState](t)(e.health("zoned", inB))
	if s := h[inB]; aws.ToString(s.State) != "OutOfService" || aws.ToString(s.ReasonCode) != "ELB" || aws.ToString(s.Description) != descZoneNotEnabled {
		t.Errorf("instance in disabled zone: %s/%s/%s", aws.ToString(s.State), aws.ToString(s.ReasonCode), aws.ToString(s.Description))
	}
	// Enabling its zone brings it InService (after the registration delay).
	must[*elb.EnableAvailabilityZonesForLoadBalancerOutput](t)(e.elb.EnableAvailabilityZonesForLoadBalancer(e.ctx,
		&elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("zoned"), AvailabilityZones: []string{"us-east-1b"}}))
	e.waitState("zoned", inB, "InService", 3*time.Second)
	// Disabling it again: OutOfService but still registered.
	must[*elb.DisableAvailabilityZonesForLoadBalancerOutput](t)(e.elb.DisableAvailabilityZonesForLoadBalancer(e.ctx,
		&elb.DisableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("zoned"), AvailabilityZones: []string{"us-east-1b"}}))
	e.waitState("zoned", inB, "OutOfService", time.Second)
	if m := e.members("zoned"); !sameSet(m, []string{inA, inB}) {
		t.Errorf("zone-disabled instance was deregistered: %v", m)
	}
}

// TestDescribeInstanceHealthByID covers the answers by ID for instances that are not members
// (docs/sources.md 4d): former members are OutOfService, so the SDK's InstanceDeregistered
// waiter succeeds; an instance never registered with the load balancer is refused.
func TestDescribeInstanceHealthByID(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	ids := e.launchRunning(4, "us-east-1a")
	registered, deregistered, terminated, never := ids[0], ids[1], ids[2], ids[3]
	e.createLB("lb", "us-east-1a")
	e.createLB("other", "us-east-1a")
	must[[]string](t)(e.register("lb", registered, deregistered, terminated))
	must[[]string](t)(e.register("other", never)) // registered elsewhere only
	must[[]string](t)(e.deregister("lb", deregistered))
	must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{terminated}}))

	h := must[map[string]elbtypes.InstanceState](t)(e.health("lb", registered, deregistered, terminated))
	want := map[string]healthAnswer{
		registered:   inProgress,
		deregistered: {healthOutOfService, reasonNA, descNotRegistered},
		terminated:   {healthOutOfService, reasonInstance, descTerminated},
	}
	for id, w := range want {
		if got := answerOf(h[id]); got != w {
			t.Errorf("%s: %+v, want %+v", id, got, w)
		}
	}
	if len(h) != len(want) {
		t.Errorf("answer %+v, want exactly %d states", h, len(want))
	}
	// Without Instances only members are described.
	if h := must[map[string]elbtypes.InstanceState](t)(e.health("lb")); len(h) != 1 || answerOf(h[registered]) != inProgress {
		t.Errorf("unfiltered answer %+v, want only %s", h, registered)
	}
	// Never registered with lb, or nonexistent: InvalidInstance, and the whole call fails.
	for _, id := range []string{never, "i-0123456789abcdef0"} {
		_, err := e.health("lb", registered, id)
		wantCode(t, err, "InvalidInstance", http.StatusBadRequest)
	}

	// Still a former member once terminated, terminated after deregistration too.
	must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{deregistered}}))
	time.Sleep(testInstanceDelay + 10*time.Millisecond) // shutting-down -> terminated
	h = must[map[string]elbtypes.InstanceState](t)(e.health("lb", deregistered, terminated))
	for _, id := range []string{deregistered, terminated} {
		if got := answerOf(h[id]); got != (healthAnswer{healthOutOfService, reasonInstance, descTerminated}) {
			t.Errorf("terminated %s: %+v", id, got)
		}
	}
	w := elb.NewInstanceDeregisteredWaiter(e.elb, func(o *elb.InstanceDeregisteredWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 20*time.Millisecond
	})
	in := &elb.DescribeInstanceHealthInput{LoadBalancerName: aws.String("lb"), Instances: instances(deregistered, terminated)}
	if err := w.Wait(e.ctx, in, 2*time.Second); err != nil {
		t.Errorf("InstanceDeregistered waiter on former members: %v", err)
	}

	// Registered again, a former member is a member once more.
	more := e.launchRunning(1, "us-east-1a")[0]
	must[[]string](t)(e.register("lb", more))
	must[[]string](t)(e.deregister("lb", more))
	must[[]string](t)(e.register("lb", more))
	if got := answerOf(stateOf(e, "lb", more)); got != inProgress {
		t.Errorf("re-registered %s: %+v", more, got)
	}
}

// TestSDKWaiters checks the SDK's own waiters (model-defined) work against the emulator, with
// instances simulated healthy so that InstanceInService can succeed without backends.
func TestSDKWaiters(t *testing.T) {
	e := newEnv(t, Options{UnbackedHealthy: true})
	ids := e.launchRunning(2, "us-east-1a")
	e.createLB("wait", "us-east-1a")
	must[[]string](t)(e.register("wait", ids...))
	w := elb.NewInstanceInServiceWaiter(e.elb, func(o *elb.InstanceInServiceWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 50*time.Millisecond
	})
	if err := w.Wait(e.ctx, &elb.DescribeInstanceHealthInput{LoadBalancerName: aws.String("wait")}, 5*time.Second); err != nil {
		t.Fatalf("InstanceInService waiter: %v", err)
	}
	must[[]string](t)(e.deregister("wait", ids...))
	d := elb.NewInstanceDeregisteredWaiter(e.elb, func(o *elb.InstanceDeregisteredWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 50*time.Millisecond
	})
	if err := d.Wait(e.ctx, &elb.DescribeInstanceHealthInput{LoadBalancerName: aws.String("wait"), Instances: instances(ids...)}, 5*time.Second); err != nil {
		t.Fatalf("InstanceDeregistered waiter: %v", err)
	}
	ec2w := ec2.NewInstanceRunningWaiter(e.ec2, func(o *ec2.InstanceRunningWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 50*time.Millisecond
	})
	if err := ec2w.Wait(e.ctx, &ec2.DescribeInstancesInput{InstanceIds: e.launch(1, "")}, 5*time.Second); err != nil {
		t.Fatalf("EC2 InstanceRunning waiter: %v", err)
	}
	_ = ec2types.InstanceStateNameRunning
}
