package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

func sorted(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func sameSet(a, b []string) bool { return slices.Equal(sorted(a), sorted(b)) }

func TestRegisterAnswersWholeMembership(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launchRunning(3, "us-east-1a")
	e.createLB("my-load-balancer", "us-east-1a")
	must[[]string](t)(e.register("my-load-balancer", ids[1], ids[2]))
	got := must[[]string](t)(e.register("my-load-balancer", ids[0]))
	if !sameSet(got, ids) {
		t.Errorf("Register answered %v, want the whole membership %v", got, ids)
	}
	if m := e.members("my-load-balancer"); !sameSet(m, ids) {
		t.Errorf("DescribeLoadBalancers shows %v, want %v", m, ids)
	}
}

func TestRegisterIsIdempotentAndDeduplicates(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launchRunning(2, "us-east-1a")
	e.createLB("lb", "us-east-1a")
	must[[]string](t)(e.register("lb", ids[0]))
	got := must[[]string](t)(e.register("lb", ids[0], ids[0], ids[1], ids[1]))
	if !sameSet(got, ids) {
		t.Errorf("Register answered %v, want each of %v once", got, ids)
	}
	got = must[[]string](t)(e.register("lb", ids...))
	if !sameSet(got, ids) || !sameSet(e.members("lb"), ids) {
		t.Errorf("re-register changed membership: %v", got)
	}
}

// TestRegisterRejectsInvalidInstancesAtomically covers every reason an instance cannot be
// registered, each time alongside a valid instance: the call fails and changes nothing.
func TestRegisterRejectsInvalidInstancesAtomically(t *testing.T) {
	e := newEnv(t, Options{})
	good := e.launchRunning(1, "us-east-1a")[0]
	bad := e.launchRunning(5, "us-east-1a")
	must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: bad[0:2]}))
	must[*ec2.StopInstancesOutput](t)(e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: bad[2:4]}))
	time.Sleep(testInstanceDelay + 10*time.Millisecond)
	// bad[0] terminated, bad[1] terminated, bad[2] stopped; make bad[1]/bad[3] transitional again
	shutting := e.launchRunning(1, "us-east-1a")[0]
	stopping := e.launchRunning(1, "us-east-1a")[0]
	v := must[*ec2.CreateVpcOutput](t)(e.ec2.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")}))
	s := must[*ec2.CreateSubnetOutput](t)(e.ec2.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId,
		CidrBlock: aws.String("10.9.1.0/24"), AvailabilityZone: aws.String("us-east-1a")}))
	otherVPC := e.launchRunning(1, aws.ToString(s.Subnet.SubnetId))[0]

	e.createLB("strict", "us-east-1a")
	existing := e.launchRunning(1, "us-east-1a")[0]
	must[[]string](t)(e.register("strict", existing))

	must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{shutting}}))
	must[*ec2.StopInstancesOutput](t)(e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: []string{stopping}}))
	cases := map[string]string{
		"nonexistent":   "i-0123456789abcdef0",
		"malformed":     "i-doesnotexist",
		"terminated":    bad[0],
		"shutting-down": shutting,
		"stopped":       bad[2],
		"stopping":      stopping,
		"other VPC":     otherVPC,
	}
	for what, id := range cases {
		t.Run(what, func(t *testing.T) {
			_, err := e.register("strict", good, id)
			wantCode(t, err, "InvalidInstance", 400)
			var ie *elbtypes.InvalidEndPointException
			if !asError(err, &ie) {
				t.Errorf("SDK did not map InvalidInstance to InvalidEndPointException: %T", err)
			}
			if m := e.members("strict"); !slices.Equal(m, []string{existing}) {
				t.Errorf("failed call changed membership to %v", m)
			}
		})
	}
}

// TestRegisterPendingInstance: a pending instance is accepted and is InService once running
// (simulated healthy: the subject is the lifecycle, not the health check).
func TestRegisterPendingInstance(t *testing.T) {
	e := newEnv(t, Options{InstanceStartDelay: 300 * time.Millisecond, UnbackedHealthy: true})
	id := e.launch(1, "us-east-1a")[0]
	e.createLB("pend", "us-east-1a")
	must[[]string](t)(e.register("pend", id))
	h := must[map[string]elbtypes.InstanceState](t)(e.health("pend"))
	if s := h[id]; aws.ToString(s.State) != "OutOfService" || aws.ToString(s.ReasonCode) != "Instance" ||
		aws.ToString(s.Description) != descPending {
		t.Errorf("pending instance health %s/%s/%s", aws.ToString(s.State), aws.ToString(s.ReasonCode), aws.ToString(s.Description))
	}
	e.waitState("pend", id, "InService", 3*time.Second)
}

func TestRegisterParameterErrors(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launchRunning(3, "us-east-1a")
	e.createLB("params", "us-east-1a")
	cases := []struct {
		name string
		form string
		code string
	}{
		{"missing Instances", elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "params"), "ValidationError"},
		{"missing LoadBalancerName", elbForm("RegisterInstancesWithLoadBalancer", "Instances.member.1.InstanceId", ids[0]), "ValidationError"},
		{"missing both, unknown LB irrelevant", elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "nope"), "ValidationError"},
		{"bad name", elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "bad_name", "Instances.member.1.InstanceId", ids[0]), "ValidationError"},
		{"huge name", elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", strings.Repeat("x", 100000), "Instances.member.1.InstanceId", ids[0]), "ValidationError"},
		{"index 0", elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "params", "Instances.member.0.InstanceId", ids[0]), "ValidationError"},
		{"non-numeric index", elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "params", "Instances.member.one.InstanceId", ids[0]), "ValidationError"},
		{"negative index", elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "params", "Instances.member.-1.InstanceId", ids[0]), "ValidationError"},
		{"empty id", elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "params", "Instances.member.1.InstanceId", ""), "ValidationError"},
		{"unknown LB", elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "nope", "Instances.member.1.InstanceId", ids[0]), "LoadBalancerNotFound"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.post(c.form, "")
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, "<Code>"+c.code+"</Code>") ||
				!strings.Contains(r.body, "<Type>Sender</Type>") {
				t.Errorf("got %d %s", r.status, wire.Truncate(r.body, 300))
			}
		})
	}
	if m := e.members("params"); len(m) != 0 {
		t.Fatalf("failed calls registered %v", m)
	}
	// Gaps in the list are tolerated: members 1 and 3 are both registered.
	r := e.post(elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "params",
		"Instances.member.1.InstanceId", ids[0], "Instances.member.3.InstanceId", ids[2]), "")
	if r.status != http.StatusOK {
		t.Fatalf("gap: %d %s", r.status, r.body)
	}
	if m := e.members("params"); !sameSet(m, []string{ids[0], ids[2]}) {
		t.Errorf("gap registration gave %v", m)
	}
}

func TestRegisterQuota(t *testing.T) {
	e := newEnv(t, Options{MaxInstancesPerLoadBalancer: 3})
	ids := e.launchRunning(4, "us-east-1a")
	e.createLB("small", "us-east-1a")
	must[[]string](t)(e.register("small", ids[0], ids[1]))
	_, err := e.register("small", ids[2], ids[3])
	wantCode(t, err, "LimitExceeded", 400)
	if m := e.members("small"); !sameSet(m, ids[:2]) {
		t.Errorf("quota failure changed membership to %v", m)
	}
	// Re-registering members does not count against the quota.
	must[[]string](t)(e.register("small", ids[0], ids[1], ids[2]))

	unlimited := newEnv(t, Options{MaxInstancesPerLoadBalancer: -1})
	many := unlimited.seedInstances(1500, "us-east-1a")
	unlimited.createLB("big", "us-east-1a")
	if got := must[[]string](t)(unlimited.register("big", many...)); len(got) != 1500 {
		t.Errorf("unlimited registration answered %d members", len(got))
	}
}

func TestDeregister(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launchRunning(4, "us-east-1a")
	e.createLB("lb", "us-east-1a")
	must[[]string](t)(e.register("lb", ids[:3]...))
	got := must[[]string](t)(e.deregister("lb", ids[0]))
	if !sameSet(got, ids[1:3]) {
		t.Errorf("Deregister answered %v, want remaining %v", got, ids[1:3])
	}
	// One unregistered id: InvalidInstance, nothing removed (not even the registered one).
	_, err := e.deregister("lb", ids[1], ids[3])
	wantCode(t, err, "InvalidInstance", 400)
	_, err = e.deregister("lb", ids[1], "i-0123456789abcdef0")
	wantCode(t, err, "InvalidInstance", 400)
	if m := e.members("lb"); !sameSet(m, ids[1:3]) {
		t.Errorf("failed deregister changed membership to %v", m)
	}
	_, err = e.deregister("nope", ids[1])
	wantCode(t, err, "LoadBalancerNotFound", 400)
	r := e.post(elbForm("DeregisterInstancesFromLoadBalancer", "LoadBalancerName", "lb"), "")
	if r.status != 400 || !strings.Contains(r.body, "<Code>ValidationError</Code>") {
		t.Errorf("missing Instances: %d %s", r.status, r.body)
	}
	got = must[[]string](t)(e.deregister("lb", ids[1], ids[2], ids[2]))
	if len(got) != 0 || len(e.members("lb")) != 0 {
		t.Errorf("deregistering everything left %v", got)
	}
}

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

func TestTerminateDeregistersFromEveryLB(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launchRunning(2, "us-east-1a")
	for _, lb := range []string{"a", "b", "c"} {
		e.createLB(lb, "us-east-1a")
		must[[]string](t)(e.register(lb, ids...))
	}
	must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids[:1]}))
	for _, lb := range []string{"a", "b", "c"} {
		if m := e.members(lb); !slices.Equal(m, ids[1:]) {
			t.Errorf("%s members after terminate: %v", lb, m)
		}
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
