package emulator

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/elbconform/elbconform/emulator/internal/modes"
)

func TestNewHandlerRejectsUnknownModes(t *testing.T) {
	if _, err := NewHandler(Options{Faults: []string{"no-such-fault"}}); err == nil {
		t.Error("unknown fault accepted")
	}
	if _, err := NewHandler(Options{Variants: []string{"no-such-variant"}}); err == nil {
		t.Error("unknown variant accepted")
	}
	if _, err := NewHandler(Options{Faults: []string{faultVariantNames(Variants())[0]}}); err == nil {
		t.Error("a variant name was accepted as a fault")
	}
	if _, err := NewHandler(Options{Region: "Mars"}); err == nil {
		t.Error("bad region accepted")
	}
	all := Options{Faults: faultVariantNames(FaultModes()), Variants: faultVariantNames(Variants())}
	if _, err := NewHandler(all); err != nil {
		t.Errorf("all modes at once: %v", err)
	}
}

func faultVariantNames(ms []Mode) []string {
	var out []string
	for _, m := range ms {
		if m.Name == "" || m.Description == "" || m.Name != strings.ToLower(m.Name) || strings.Contains(m.Name, " ") {
			panic("mode without kebab-case name or description: " + m.Name)
		}
		out = append(out, m.Name)
	}
	return out
}

// scenario helpers shared by the fault tests.

// lbWith creates load balancer "lb" on zone a with n fresh running instances registered.
func lbWith(e *env, n int) []string {
	e.t.Helper()
	e.createLB("lb", "us-east-1a")
	if n == 0 {
		return nil
	}
	ids := e.launchRunning(n, "us-east-1a")
	must[[]string](e.t)(e.register("lb", ids...))
	return ids
}

func stateOf(e *env, lb, id string) elbtypes.InstanceState {
	e.t.Helper()
	h := must[map[string]elbtypes.InstanceState](e.t)(e.health(lb, id))
	return h[id]
}

func afterRegistration() { time.Sleep(testRegistrationDelay + 50*time.Millisecond) }

// unbackedHealthy names the modes whose test needs instances that go InService (or would,
// but for the mode) while its subject is not the health check: their env simulates
// instances without a backend as healthy (Options.UnbackedHealthy). Every other mode's test
// runs on the default health model, where such an instance never goes InService.
var unbackedHealthy = map[string]bool{
	modes.FaultHealthIgnoresZones:        true,
	modes.FaultHealthNeverInService:      true,
	modes.FaultZoneEnableStaysOut:        true,
	modes.FaultZoneDisableKeepsInService: true,
	modes.FaultInServiceWrongReason:      true,
	modes.VariantHealthLag:               true,
}

// faultTests proves each fault does what its description says. Every fault mode must have an
// entry (checked below), so adding a mode without a test fails the build's tests.
var faultTests = map[string]func(t *testing.T, e *env){
	modes.FaultRegisterReturnsSentOnly: func(t *testing.T, e *env) {
		ids := lbWith(e, 1)
		more := e.launchRunning(1, "us-east-1a")
		if got := must[[]string](t)(e.register("lb", more...)); !slices.Equal(got, more) {
			t.Errorf("answer %v, want only the sent %v", got, more)
		}
		if m := e.members("lb"); !sameSet(m, append(ids, more...)) {
			t.Errorf("membership itself should be right: %v", m)
		}
	},
	modes.FaultRegisterDuplicatesMember: func(t *testing.T, e *env) {
		ids := lbWith(e, 1)
		must[[]string](t)(e.register("lb", ids...))
		if m := e.members("lb"); len(m) != 2 {
			t.Errorf("membership %v, want a second copy", m)
		}
	},
	modes.FaultRegisterDupInRequest: func(t *testing.T, e *env) {
		lbWith(e, 0)
		id := e.launchRunning(1, "us-east-1a")[0]
		must[[]string](t)(e.register("lb", id, id))
		if m := e.members("lb"); len(m) != 2 {
			t.Errorf("membership %v, want the id twice", m)
		}
	},
	modes.FaultLBNotFound5xx: func(t *testing.T, e *env) {
		r := e.post(elbForm("DescribeInstanceHealth", "LoadBalancerName", "nope"), "")
		if r.status != 500 || !strings.Contains(r.body, "<Code>InternalFailure</Code>") {
			t.Errorf("got %d %s", r.status, r.body)
		}
	},
	modes.FaultLBNotFoundWrongCode: func(t *testing.T, e *env) {
		_, err := e.register("nope", "i-0123456789abcdef0")
		wantCode(t, err, "ValidationError", 400)
	},
	modes.FaultDescribeLBUnknownEmpty: func(t *testing.T, e *env) {
		out, err := e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"nope"}})
		if err != nil || len(out.LoadBalancerDescriptions) != 0 {
			t.Errorf("got %v, %v; want an empty success", out, err)
		}
	},
	modes.FaultHealthUnknownLBEmpty: func(t *testing.T, e *env) {
		h, err := e.health("nope")
		if err != nil || len(h) != 0 {
			t.Errorf("got %v, %v; want an empty success", h, err)
		}
	},
	modes.FaultRegisterUnknownAccepted: func(t *testing.T, e *env) {
		lbWith(e, 0)
		if _, err := e.register("lb", "i-0123456789abcdef0"); err != nil {
			t.Fatal(err)
		}
		if m := e.members("lb"); !slices.Equal(m, []string{"i-0123456789abcdef0"}) {
			t.Errorf("membership %v", m)
		}
	},
	modes.FaultRegisterTerminatedAccepted: func(t *testing.T, e *env) {
		lbWith(e, 0)
		id := e.launchRunning(1, "us-east-1a")[0]
		must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}}))
		if _, err := e.register("lb", id); err != nil {
			t.Errorf("terminated instance refused: %v", err)
		}
	},
	modes.FaultRegisterOtherVPCAccepted: func(t *testing.T, e *env) {
		lbWith(e, 0)
		_, subs := e.vpcWithSubnets("10.5.0.0/16", "10.5.0.0/24")
		id := e.launchRunning(1, subs[0])[0]
		if _, err := e.register("lb", id); err != nil {
			t.Errorf("other-VPC instance refused: %v", err)
		}
	},
	modes.FaultRegisterStoppedAccepted: func(t *testing.T, e *env) {
		lbWith(e, 0)
		id := e.launchRunning(1, "us-east-1a")[0]
		must[*ec2.StopInstancesOutput](t)(e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}))
		if _, err := e.register("lb", id); err != nil {
			t.Errorf("stopped instance refused: %v", err)
		}
	},
	modes.FaultFailedCallKeepsUnknown: func(t *testing.T, e *env) {
		lbWith(e, 0)
		good := e.launchRunning(1, "us-east-1a")[0]
		_, err := e.register("lb", good, "i-0123456789abcdef0")
		wantCode(t, err, "InvalidInstance", 400)
		if m := e.members("lb"); !slices.Equal(m, []string{"i-0123456789abcdef0"}) {
			t.Errorf("membership %v, want the unknown id stored", m)
		}
	},
	modes.FaultHealthIgnoresZones: func(t *testing.T, e *env) {
		lbWith(e, 0)
		id := e.launchRunning(1, "us-east-1b")[0]
		must[[]string](t)(e.register("lb", id))
		e.waitState("lb", id, "InService", 2*time.Second)
	},
	modes.FaultHealthNeverInService: func(t *testing.T, e *env) {
		ids := lbWith(e, 1)
		afterRegistration()
		if s := stateOf(e, "lb", ids[0]); aws.ToString(s.State) != "OutOfService" {
			t.Errorf("state %s", aws.ToString(s.State))
		}
	},
	modes.FaultZoneEnableStaysOut: func(t *testing.T, e *env) {
		lbWith(e, 0)
		id := e.launchRunning(1, "us-east-1b")[0]
		must[[]string](t)(e.register("lb", id))
		must[[]string](t)(e.enableZones("lb", "us-east-1b"))
		afterRegistration()
		if s := stateOf(e, "lb", id); aws.ToString(s.State) != "OutOfService" {
			t.Errorf("state %s after enabling the zone", aws.ToString(s.State))
		}
	},
	modes.FaultZoneDisableKeepsInService: func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a", "us-east-1b")
		id := e.launchRunning(1, "us-east-1b")[0]
		must[[]string](t)(e.register("lb", id))
		e.waitState("lb", id, "InService", 2*time.Second)
		must[[]string](t)(e.disableZones("lb", "us-east-1b"))
		if s := stateOf(e, "lb", id); aws.ToString(s.State) != "InService" {
			t.Errorf("state %s after disabling the zone", aws.ToString(s.State))
		}
	},
	modes.FaultDeregisterNoop: func(t *testing.T, e *env) {
		ids := lbWith(e, 2)
		if got := must[[]string](t)(e.deregister("lb", ids[0])); !slices.Equal(got, ids[1:]) {
			t.Errorf("answer %v should look right", got)
		}
		if m := e.members("lb"); !sameSet(m, ids) {
			t.Errorf("membership %v, want unchanged", m)
		}
	},
	modes.FaultDeregisterReturnsRemoved: func(t *testing.T, e *env) {
		ids := lbWith(e, 2)
		if got := must[[]string](t)(e.deregister("lb", ids[0])); !slices.Equal(got, ids[:1]) {
			t.Errorf("answer %v, want the removed %v", got, ids[:1])
		}
	},
	modes.FaultDeregisterUnregisteredHalf: func(t *testing.T, e *env) {
		ids := lbWith(e, 1)
		other := e.launchRunning(1, "us-east-1a")[0]
		_, err := e.deregister("lb", ids[0], other)
		wantCode(t, err, "InvalidInstance", 400)
		if m := e.members("lb"); len(m) != 0 {
			t.Errorf("membership %v, want the registered one removed", m)
		}
	},
	modes.FaultStoppedStaysInService: func(t *testing.T, e *env) {
		ids := lbWith(e, 1)
		must[*ec2.StopInstancesOutput](t)(e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: ids}))
		time.Sleep(testInstanceDelay)
		afterRegistration()
		if s := stateOf(e, "lb", ids[0]); aws.ToString(s.State) != "InService" {
			t.Errorf("stopped instance %s", aws.ToString(s.State))
		}
	},
	modes.FaultTerminatedStaysInService: func(t *testing.T, e *env) {
		ids := lbWith(e, 1)
		must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}))
		time.Sleep(testInstanceDelay)
		afterRegistration()
		if s := stateOf(e, "lb", ids[0]); aws.ToString(s.State) != "InService" || !slices.Equal(e.members("lb"), ids) {
			t.Errorf("terminated instance %s, members %v", aws.ToString(s.State), e.members("lb"))
		}
	},
	modes.FaultDeleteKeepsRegistrations: func(t *testing.T, e *env) {
		ids := lbWith(e, 2)
		must[*elb.DeleteLoadBalancerOutput](t)(e.elb.DeleteLoadBalancer(e.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("lb")}))
		e.createLB("lb", "us-east-1a")
		if m := e.members("lb"); !sameSet(m, ids) {
			t.Errorf("recreated members %v, want the old %v", m, ids)
		}
	},
	modes.FaultDeleteMissingErrors: func(t *testing.T, e *env) {
		_, err := e.elb.DeleteLoadBalancer(e.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("nope")})
		wantCode(t, err, "LoadBalancerNotFound", 400)
	},
	modes.FaultHealthFilterIgnored: func(t *testing.T, e *env) {
		ids := lbWith(e, 2)
		if h := must[map[string]elbtypes.InstanceState](t)(e.health("lb", ids[0])); len(h) != 2 {
			t.Errorf("filtered health has %d states, want all 2", len(h))
		}
	},
	modes.FaultHealthOmitsRegistered: func(t *testing.T, e *env) {
		lbWith(e, 2)
		if h := must[map[string]elbtypes.InstanceState](t)(e.health("lb")); len(h) != 1 {
			t.Errorf("health has %d states, want 1 of 2", len(h))
		}
	},
	modes.FaultDescribeLBNoMembers: func(t *testing.T, e *env) {
		lbWith(e, 2)
		if m := e.members("lb"); len(m) != 0 {
			t.Errorf("members %v", m)
		}
	},
	modes.FaultInServiceWrongReason: func(t *testing.T, e *env) {
		ids := lbWith(e, 1)
		if s := e.waitState("lb", ids[0], "InService", 2*time.Second); aws.ToString(s.ReasonCode) != "ELB" {
			t.Errorf("reason %s", aws.ToString(s.ReasonCode))
		}
	},
	modes.FaultMissingParamAccepted: func(t *testing.T, e *env) {
		lbWith(e, 1)
		r := e.post(elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "lb"), "")
		if r.status != 200 || !strings.Contains(r.body, "<InstanceId>") {
			t.Errorf("got %d %s", r.status, r.body)
		}
	},
	modes.FaultMissingRequestID: func(t *testing.T, e *env) {
		for _, r := range []rawResponse{e.post(elbForm("DescribeLoadBalancers"), ""), e.post(elbForm("DescribeInstanceHealth", "LoadBalancerName", "nope"), "")} {
			if strings.Contains(r.body, "RequestId") || r.header.Get("x-amzn-RequestId") != "" {
				t.Errorf("request id present: %v %s", r.header, r.body)
			}
		}
	},
	modes.FaultWrongNamespace: func(t *testing.T, e *env) {
		r := e.post(elbForm("DescribeLoadBalancers"), "")
		if !strings.Contains(r.body, modes.WrongELBNamespace) || strings.Contains(r.body, elbNamespace) {
			t.Errorf("body %s", r.body)
		}
	},
	modes.FaultNoMemberWrappers: func(t *testing.T, e *env) {
		lbWith(e, 2)
		r := e.post(elbForm("DescribeLoadBalancers"), "")
		if strings.Contains(r.body, "<member>") || !strings.Contains(r.body, "<Instances><InstanceId>") {
			t.Errorf("body %s", r.body)
		}
	},
	modes.FaultErrorTypeReceiver: func(t *testing.T, e *env) {
		r := e.post(elbForm("DescribeInstanceHealth", "LoadBalancerName", "nope"), "")
		if r.status != 400 || !strings.Contains(r.body, "<Type>Receiver</Type>") {
			t.Errorf("got %d %s", r.status, r.body)
		}
	},
	modes.FaultErrorStatus200: func(t *testing.T, e *env) {
		r := e.post(elbForm("DescribeInstanceHealth", "LoadBalancerName", "nope"), "")
		if r.status != 200 || !strings.Contains(r.body, "<Code>LoadBalancerNotFound</Code>") {
			t.Errorf("got %d %s", r.status, r.body)
		}
	},
	modes.FaultErrorEC2Envelope: func(t *testing.T, e *env) {
		r := e.post(elbForm("DescribeInstanceHealth", "LoadBalancerName", "nope"), "")
		if r.status != 400 || !strings.HasPrefix(r.body, "<Response><Errors><Error><Code>LoadBalancerNotFound</Code>") {
			t.Errorf("got %d %s", r.status, r.body)
		}
	},
	modes.FaultContentTypePlain: func(t *testing.T, e *env) {
		if r := e.post(elbForm("DescribeLoadBalancers"), ""); r.header.Get("Content-Type") != "text/plain" {
			t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
		}
	},
	modes.FaultEnableAZAnswersAddedOnly: func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		if got := must[[]string](t)(e.enableZones("lb", "us-east-1b")); !slices.Equal(got, []string{"us-east-1b"}) {
			t.Errorf("answer %v", got)
		}
	},
	modes.FaultHealthDeregisteredInvalid: func(t *testing.T, e *env) {
		// A former member: correctly OutOfService "not currently registered". (A never
		// registered instance is InvalidInstance either way.)
		id := lbWith(e, 1)[0]
		must[[]string](t)(e.deregister("lb", id))
		if _, err := e.health("lb", id); apiCode(err) != "InvalidInstance" {
			t.Errorf("asking about deregistered %s: %v, want InvalidInstance", id, err)
		}
	},
	modes.FaultDescribeLBAllEmpty: func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		if r := e.post(elbForm("DescribeLoadBalancers"), ""); strings.Contains(r.body, "<LoadBalancerName>lb</LoadBalancerName>") {
			t.Errorf("unfiltered answer lists lb: %s", r.body)
		}
		if r := e.post(elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", "lb"), ""); !strings.Contains(r.body, "<LoadBalancerName>lb</LoadBalancerName>") {
			t.Errorf("named answer lacks lb: %s", r.body)
		}
	},
	modes.FaultRegisterOwnVPCRefused: func(t *testing.T, e *env) {
		_, subs := e.vpcWithSubnets("10.4.0.0/16", "10.4.0.0/24")
		must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
			LoadBalancerName: aws.String("vpc-lb"), Listeners: httpListener, Subnets: subs}))
		id := e.launchRunning(1, subs[0])[0]
		if _, err := e.register("vpc-lb", id); apiCode(err) != "InvalidInstance" {
			t.Errorf("registering %s of the load balancer's own VPC: %v, want InvalidInstance", id, err)
		}
	},
	modes.FaultAttachAnswersAddedOnly: func(t *testing.T, e *env) {
		_, subs := e.vpcWithSubnets("10.4.0.0/16", "10.4.0.0/24", "10.4.1.0/24")
		must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
			LoadBalancerName: aws.String("vpc-lb"), Listeners: httpListener, Subnets: subs[:1]}))
		out := must[*elb.AttachLoadBalancerToSubnetsOutput](t)(e.elb.AttachLoadBalancerToSubnets(e.ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("vpc-lb"), Subnets: subs[1:]}))
		if !slices.Equal(out.Subnets, subs[1:]) {
			t.Errorf("answer %v, want only %v", out.Subnets, subs[1:])
		}
	},
	modes.FaultDetachNoop: func(t *testing.T, e *env) {
		_, subs := e.vpcWithSubnets("10.4.0.0/16", "10.4.0.0/24", "10.4.1.0/24")
		must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
			LoadBalancerName: aws.String("vpc-lb"), Listeners: httpListener, Subnets: subs}))
		out := must[*elb.DetachLoadBalancerFromSubnetsOutput](t)(e.elb.DetachLoadBalancerFromSubnets(e.ctx, &elb.DetachLoadBalancerFromSubnetsInput{LoadBalancerName: aws.String("vpc-lb"), Subnets: subs[1:]}))
		d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"vpc-lb"}}))
		if !slices.Equal(out.Subnets, subs[:1]) || len(d.LoadBalancerDescriptions[0].Subnets) != 2 {
			t.Errorf("answer %v (want %v), still attached %v (want both)", out.Subnets, subs[:1], d.LoadBalancerDescriptions[0].Subnets)
		}
	},
	modes.FaultUnbackedInService: func(t *testing.T, e *env) {
		// Without Options.UnbackedHealthy (this env) an instance with nothing listening fails
		// its checks and is never InService; under the fault it is, after RegistrationDelay.
		ids := lbWith(e, 1)
		e.waitState("lb", ids[0], "InService", 2*time.Second)
	},
	modes.FaultInProgressReasonInstance: func(t *testing.T, e *env) {
		// At AWS's timing (the env's scale) the default check takes a minute to fail an
		// unbacked instance: registration is in progress for the whole test.
		ids := lbWith(e, 1)
		if s := stateOf(e, "lb", ids[0]); aws.ToString(s.State) != "OutOfService" ||
			aws.ToString(s.ReasonCode) != "Instance" || aws.ToString(s.Description) != descInProgress {
			t.Errorf("registering instance %+v, want OutOfService/Instance %q", s, descInProgress)
		}
	},
	modes.FaultHealthTerminatedOmitted: func(t *testing.T, e *env) {
		ids := lbWith(e, 1)
		must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}))
		if h, err := e.health("lb", ids[0]); err != nil || len(h) != 0 {
			t.Fatalf("terminated former member asked by ID: %v, %v; want an empty success", h, err)
		}
		w := elb.NewInstanceDeregisteredWaiter(e.elb, func(o *elb.InstanceDeregisteredWaiterOptions) {
			o.MinDelay, o.MaxDelay = 10*time.Millisecond, 20*time.Millisecond
		})
		in := &elb.DescribeInstanceHealthInput{LoadBalancerName: aws.String("lb"), Instances: instances(ids...)}
		if err := w.Wait(e.ctx, in, 300*time.Millisecond); err == nil {
			t.Error("InstanceDeregistered waiter succeeded on an empty answer")
		}
	},
	modes.FaultNeverRegisteredInService: func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		id := e.launchRunning(1, "us-east-1a")[0]
		if s := stateOf(e, "lb", id); aws.ToString(s.State) != "InService" {
			t.Errorf("never-registered instance asked by ID: %+v, want InService", s)
		}
	},
	modes.FaultTrafficToOutOfService: func(t *testing.T, e *env) {
		// At AWS's timing (the env's scale) the default check, every 30 s and 10 passes to
		// go InService, keeps a new backed member registering for the whole test.
		e.createLB("lb", "us-east-1a")
		b := newTestBackend(t)
		id := e.launchBacked("us-east-1a", b.addr())
		b.id.Store(&id)
		must[[]string](t)(e.register("lb", id))
		if s := stateOf(e, "lb", id); aws.ToString(s.State) != "OutOfService" {
			t.Fatalf("state %s, want a member still registering", aws.ToString(s.State))
		}
		if got := traffic(t, e.listenerURL("lb", 80), 3); got[id] != 3 {
			t.Errorf("traffic %v, want all of it served by the OutOfService member", got)
		}
	},
	// Listeners and attributes (elb_load_balancer_listeners.go, elb_load_balancer_attributes.go).
	modes.FaultCreateListenersDuplicateAccepted: func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		other := elbtypes.Listener{Protocol: aws.String("TCP"), LoadBalancerPort: 80, InstancePort: aws.Int32(9090)}
		if err := e.createListeners("lb", other); err != nil {
			t.Fatalf("conflicting listener: %v, want it accepted", err)
		}
		if ls := e.describedListeners("lb"); len(ls) != 1 || aws.ToInt32(ls[0].InstancePort) != 9090 {
			t.Errorf("listeners %+v, want port 80 replaced", ls)
		}
	},
	modes.FaultDeleteListenersNoop: func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		if err := e.deleteListeners("lb", 80); err != nil {
			t.Fatal(err)
		}
		if ls := e.describedListeners("lb"); len(ls) != 1 {
			t.Errorf("listeners %+v, want port 80 still there", ls)
		}
	},
	modes.FaultAttributesWrongDefaults: func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		if a := e.attributes("lb"); !a.CrossZoneLoadBalancing.Enabled {
			t.Error("cross-zone load balancing disabled on a new load balancer")
		}
	},
	modes.FaultModifyAttributesRangeUnchecked: func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		must[*elb.ModifyLoadBalancerAttributesOutput](t)(e.modifyAttributes("lb", elbtypes.LoadBalancerAttributes{
			ConnectionSettings: &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(0)}}))
		if a := e.attributes("lb"); aws.ToInt32(a.ConnectionSettings.IdleTimeout) != 0 {
			t.Errorf("idle timeout %d, want the 0 accepted", aws.ToInt32(a.ConnectionSettings.IdleTimeout))
		}
	},
	modes.FaultModifyAttributesNotApplied: func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		out := must[*elb.ModifyLoadBalancerAttributesOutput](t)(e.modifyAttributes("lb", elbtypes.LoadBalancerAttributes{
			CrossZoneLoadBalancing: &elbtypes.CrossZoneLoadBalancing{Enabled: true}}))
		if !out.LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled {
			t.Error("the answer should show the change")
		}
		if a := e.attributes("lb"); a.CrossZoneLoadBalancing.Enabled {
			t.Error("the change was applied")
		}
	},
}

func TestFaultModes(t *testing.T) {
	for _, m := range FaultModes() {
		test, ok := faultTests[m.Name]
		if !ok {
			t.Errorf("fault %s has no test", m.Name)
			continue
		}
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			test(t, newEnv(t, Options{Faults: []string{m.Name}, UnbackedHealthy: unbackedHealthy[m.Name]}))
		})
	}
}

var variantTests = map[string]func(t *testing.T, e *env){
	modes.VariantPartialRegister: func(t *testing.T, e *env) {
		lbWith(e, 0)
		good := e.launchRunning(1, "us-east-1a")[0]
		_, err := e.register("lb", good, "i-0123456789abcdef0")
		wantCode(t, err, "InvalidInstance", 400)
		if m := e.members("lb"); !slices.Equal(m, []string{good}) {
			t.Errorf("membership %v, want the good id stored", m)
		}
	},
	modes.VariantEC2Lag: func(t *testing.T, e *env) {
		lbWith(e, 0)
		id := e.launchRunning(1, "us-east-1a")[0]
		_, err := e.register("lb", id)
		wantCode(t, err, "InvalidInstance", 400)
		if !strings.Contains(err.Error(), "Could not find EC2 instance "+id) {
			t.Errorf("refusal %v", err)
		}
		if m := e.members("lb"); len(m) != 0 {
			t.Errorf("refused call registered %v", m)
		}
		// Once ELB's view has caught up (launch moved back past the window rather than
		// sleeping through it), the same instance is registered.
		st := e.srv.h.st
		st.mu.Lock()
		st.ec2.instances[id].launchedAt = st.ec2.instances[id].launchedAt.Add(-ec2LagWindow)
		st.mu.Unlock()
		if got := must[[]string](t)(e.register("lb", id)); !slices.Equal(got, []string{id}) {
			t.Errorf("after the lag: %v", got)
		}
	},
	modes.VariantDupInRequestRefused: func(t *testing.T, e *env) {
		ids := lbWith(e, 1)
		other := e.launchRunning(1, "us-east-1a")[0]
		_, err := e.register("lb", other, ids[0], other)
		wantCode(t, err, "ValidationError", 400)
		if m := e.members("lb"); !slices.Equal(m, ids) {
			t.Errorf("refused call changed membership to %v", m)
		}
		if got := must[[]string](t)(e.register("lb", other, ids[0])); !sameSet(got, append(ids, other)) {
			t.Errorf("without a duplicate: %v", got)
		}
	},
	modes.VariantNeverRegisteredDescribed: func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		id := e.launchRunning(1, "us-east-1a")[0]
		if s := stateOf(e, "lb", id); aws.ToString(s.State) != "OutOfService" || aws.ToString(s.ReasonCode) != "N/A" ||
			aws.ToString(s.Description) != descNotRegistered {
			t.Errorf("never-registered instance asked by ID: %+v, want OutOfService %q", s, descNotRegistered)
		}
		if _, err := e.health("lb", "i-0123456789abcdef0"); apiCode(err) != "InvalidInstance" {
			t.Errorf("nonexistent id: %v, want InvalidInstance", err)
		}
	},
	modes.VariantLastZoneValidationError: func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a", "us-east-1b")
		_, err := e.disableZones("lb", "us-east-1a", "us-east-1b")
		wantCode(t, err, "ValidationError", 400)
		if got := must[[]string](t)(e.disableZones("lb", "us-east-1b")); !slices.Equal(got, []string{"us-east-1a"}) {
			t.Errorf("disabling one of two zones: %v", got)
		}
		_, err = e.disableZones("lb", "us-east-1a")
		wantCode(t, err, "ValidationError", 400)
		d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"lb"}}))
		if z := d.LoadBalancerDescriptions[0].AvailabilityZones; !slices.Equal(z, []string{"us-east-1a"}) {
			t.Errorf("refused calls changed the zones to %v", z)
		}
	},
	modes.VariantShuffleOrder: func(t *testing.T, e *env) {
		ids := e.seedInstances(30, "us-east-1a")
		e.createLB("lb", "us-east-1a")
		first := must[[]string](t)(e.register("lb", ids...))
		for range 5 {
			if m := e.members("lb"); !sameSet(m, first) {
				t.Fatalf("shuffled membership differs as a set: %v", m)
			} else if !slices.Equal(m, first) {
				return
			}
		}
		t.Error("six answers of 30 members all came in the same order")
	},
	modes.VariantLatency: func(t *testing.T, e *env) {
		start := time.Now()
		e.post(elbForm("DescribeLoadBalancers"), "")
		if d := time.Since(start); d < 50*time.Millisecond {
			t.Errorf("answered in %v", d)
		}
	},
	modes.VariantHealthLag: func(t *testing.T, e *env) {
		ids := lbWith(e, 1)
		afterRegistration()
		if s := stateOf(e, "lb", ids[0]); aws.ToString(s.State) != "OutOfService" {
			t.Errorf("InService without the lag: %s", aws.ToString(s.State))
		}
		e.waitState("lb", ids[0], "InService", healthLag+2*time.Second)
	},
	modes.VariantEventualMembership: func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		ids := e.launchRunning(2, "us-east-1a")
		if got := must[[]string](t)(e.register("lb", ids...)); !sameSet(got, ids) {
			t.Fatalf("Register answer must stay immediate: %v", got)
		}
		if m := e.members("lb"); len(m) != 0 {
			t.Errorf("new members visible at once: %v", m)
		}
		time.Sleep(membershipLag + 50*time.Millisecond)
		if m := e.members("lb"); !sameSet(m, ids) {
			t.Errorf("members after the lag: %v", m)
		}
		if got := must[[]string](t)(e.deregister("lb", ids[0])); !slices.Equal(got, ids[1:]) {
			t.Errorf("Deregister answer must stay immediate: %v", got)
		}
		if m := e.members("lb"); !sameSet(m, ids) {
			t.Errorf("removal visible at once: %v", m)
		}
		time.Sleep(membershipLag + 50*time.Millisecond)
		if m := e.members("lb"); !slices.Equal(m, ids[1:]) {
			t.Errorf("members after the lag: %v", m)
		}
	},
	modes.VariantExtraElements: func(t *testing.T, e *env) {
		ids := lbWith(e, 2)
		r := e.post(elbForm("DescribeLoadBalancers"), "")
		if !strings.Contains(r.body, "EmulatorExtraResultField") || !strings.Contains(r.body, "EmulatorExtraMemberField") || r.header.Get("X-Emulator-Extra") == "" {
			t.Errorf("no extras: %v %s", r.header, r.body)
		}
		if m := e.members("lb"); !sameSet(m, ids) { // the SDK ignores unknown elements
			t.Errorf("SDK view with extras: %v", m)
		}
	},
	modes.VariantRewordedErrors: func(t *testing.T, e *env) {
		_, err := e.health("nope")
		wantCode(t, err, "LoadBalancerNotFound", 400)
		if !strings.Contains(err.Error(), "Request rejected") {
			t.Errorf("message not reworded: %v", err)
		}
	},
	modes.VariantRequestIDFormat: func(t *testing.T, e *env) {
		r := e.post(elbForm("DescribeLoadBalancers"), "")
		if !regexp.MustCompile(`^req-[0-9]{5,}$`).MatchString(r.header.Get("x-amzn-RequestId")) {
			t.Errorf("request id %q", r.header.Get("x-amzn-RequestId"))
		}
	},
	modes.VariantThrottleFirst: func(t *testing.T, e *env) {
		// The SDK's standard retryer gets through.
		e.createLB("lb", "us-east-1a")
		if m := e.members("lb"); len(m) != 0 {
			t.Errorf("members %v", m)
		}
		// Plain clients: first sighting of a body is throttled, the repeat is served.
		body := elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", "lb")
		if r := e.post(body, ""); r.status != 400 || !strings.Contains(r.body, "<Code>Throttling</Code>") || !strings.Contains(r.body, "Rate exceeded") {
			t.Errorf("first attempt: %d %s", r.status, r.body)
		}
		if r := e.post(body, ""); r.status != 200 {
			t.Errorf("repeat: %d %s", r.status, r.body)
		}
		// The SDK attempt header decides when present.
		for attempt, want := range map[string]int{"attempt=1; max=3": 400, "attempt=2; max=3": 200} {
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL(), strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("amz-sdk-request", attempt)
			if r := e.do(req); r.status != want {
				t.Errorf("%s: %d", attempt, r.status)
			}
		}
	},
}

// The policy faults (docs/sources.md 18).
func init() {
	faultTests[modes.FaultPolicyTypesMissingStickiness] = func(t *testing.T, e *env) {
		out := must[*elb.DescribeLoadBalancerPolicyTypesOutput](t)(e.elb.DescribeLoadBalancerPolicyTypes(e.ctx, &elb.DescribeLoadBalancerPolicyTypesInput{}))
		for _, d := range out.PolicyTypeDescriptions {
			if n := aws.ToString(d.PolicyTypeName); n == "LBCookieStickinessPolicyType" || n == "AppCookieStickinessPolicyType" {
				t.Errorf("%s listed", n)
			}
		}
		_, err := e.elb.DescribeLoadBalancerPolicyTypes(e.ctx, &elb.DescribeLoadBalancerPolicyTypesInput{PolicyTypeNames: []string{"LBCookieStickinessPolicyType"}})
		wantCode(t, err, "PolicyTypeNotFound", 400)
	}
	faultTests[modes.FaultCreatePolicyDuplicateAccepted] = func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		if err := e.createPolicy("lb", "p", "ProxyProtocolPolicyType", "ProxyProtocol", "true"); err != nil {
			t.Fatal(err)
		}
		if err := e.createPolicy("lb", "p", "ProxyProtocolPolicyType", "ProxyProtocol", "false"); err != nil {
			t.Errorf("duplicate refused: %v", err)
		}
	}
	faultTests[modes.FaultDescribePoliciesIgnoresNames] = func(t *testing.T, e *env) {
		twoListenerLB(t, e)
		if got := must[[]string](t)(e.policyNames("sp", "lbc")); len(got) != 3 {
			t.Errorf("answer %v, want all three policies", got)
		}
	}
	faultTests[modes.FaultDeletePolicyInUseAccepted] = func(t *testing.T, e *env) {
		twoListenerLB(t, e)
		must[any](t)(nil, e.setListenerPolicies("sp", 80, "lbc"))
		if _, err := e.elb.DeleteLoadBalancerPolicy(e.ctx, &elb.DeleteLoadBalancerPolicyInput{LoadBalancerName: aws.String("sp"), PolicyName: aws.String("lbc")}); err != nil {
			t.Errorf("delete refused: %v", err)
		}
		if got := listenerPolicies(e.describeOne("sp"), 80); !slices.Equal(got, []string{"lbc"}) {
			t.Errorf("listener %v, want it still naming lbc", got)
		}
	}
	faultTests[modes.FaultLBCookieExpirationIgnored] = func(t *testing.T, e *env) {
		twoListenerLB(t, e)
		if p := e.describeOne("sp").Policies.LBCookieStickinessPolicies; len(p) != 1 || p[0].CookieExpirationPeriod != nil {
			t.Errorf("LB cookie policies %+v, want no expiration", p)
		}
	}
	faultTests[modes.FaultStickyPolicyOnTCPAccepted] = func(t *testing.T, e *env) {
		twoListenerLB(t, e)
		if err := e.setListenerPolicies("sp", 9000, "lbc"); err != nil {
			t.Errorf("refused: %v", err)
		}
		if err := e.setListenerPolicies("sp", 80, "pp"); err == nil {
			t.Error("a Proxy Protocol policy on a listener should still be refused")
		}
	}
	faultTests[modes.FaultSetListenerUnknownAccepted] = func(t *testing.T, e *env) {
		twoListenerLB(t, e)
		if err := e.setListenerPolicies("sp", 80, "nope"); err != nil {
			t.Errorf("refused: %v", err)
		}
		if got := listenerPolicies(e.describeOne("sp"), 80); !slices.Equal(got, []string{"nope"}) {
			t.Errorf("listener %v", got)
		}
	}
	faultTests[modes.FaultSetBackendNotDescribed] = func(t *testing.T, e *env) {
		twoListenerLB(t, e)
		must[any](t)(nil, e.setBackendPolicies("sp", 9000, "pp"))
		if d := e.describeOne("sp"); len(d.BackendServerDescriptions) != 0 {
			t.Errorf("backends %+v", d.BackendServerDescriptions)
		}
	}
}

func TestVariants(t *testing.T) {
	for _, m := range Variants() {
		test, ok := variantTests[m.Name]
		if !ok {
			t.Errorf("variant %s has no test", m.Name)
			continue
		}
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			test(t, newEnv(t, Options{Variants: []string{m.Name}, UnbackedHealthy: unbackedHealthy[m.Name]}))
		})
	}
}

func init() {
	faultTests[modes.FaultDescribeLBsNoNextMarker] = func(t *testing.T, e *env) {
		for _, n := range []string{"a", "b", "c"} {
			e.createLB(n, "us-east-1a")
		}
		if pages := lbPages(t, e, 1); !slices.EqualFunc(pages, [][]string{{"a"}}, slices.Equal) {
			t.Errorf("pages %v, want only the first page, a", pages)
		}
	}
	faultTests[modes.FaultAccountLimitsNoPaging] = func(t *testing.T, e *env) {
		pages := accountLimitPages(t, e, 1)
		if len(pages) != 1 || len(pages[0]) != 3 {
			t.Errorf("pages %v, want one page with every limit despite PageSize 1", pages)
		}
	}
}
