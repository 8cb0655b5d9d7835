package emulator

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/elbconform/elbconform/emulator/internal/wire"
)

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
