package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/elbconform/elbconform/emulator/internal/modes"
)

// The faults of the tag operations and the quotas (docs/sources.md 22). Each runs in the env
// TestFaultModes passes, with the fault on, unless it needs its own quotas.

func init() {
	faultTests[modes.FaultTooManyTagsAccepted] = func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		if err := e.addTags("lb", manyTags("k", 60)...); err != nil {
			t.Fatalf("60 tags refused: %v", err)
		}
		if n := len(e.tagsOf("lb")); n != 60 {
			t.Errorf("%d tags, want the 60 accepted", n)
		}
	}
	faultTests[modes.FaultAddTagsDuplicateKeysAccepted] = func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		if err := e.addTags("lb", "k", "1", "k", "2"); err != nil {
			t.Fatalf("duplicate keys refused: %v", err)
		}
		if got := e.tagsOf("lb"); len(got) != 1 || got["k"] != "2" {
			t.Errorf("tags %v, want k=2 once", got)
		}
	}
	faultTests[modes.FaultAddTagsNoReplace] = func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		if err := e.addTags("lb", "k", "old"); err != nil {
			t.Fatal(err)
		}
		if err := e.addTags("lb", "k", "new", "other", "v"); err != nil {
			t.Fatal(err)
		}
		if got := e.tagsOf("lb"); got["k"] != "old" || got["other"] != "v" {
			t.Errorf("tags %v, want k kept at old and other added", got)
		}
	}
	faultTests[modes.FaultRemoveTagsNoop] = func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		if err := e.addTags("lb", "k", "v"); err != nil {
			t.Fatal(err)
		}
		if err := e.removeTags("lb", "k"); err != nil {
			t.Fatal(err)
		}
		if got := e.tagsOf("lb"); got["k"] != "v" {
			t.Errorf("tags %v, want k still there", got)
		}
	}
	faultTests[modes.FaultLBQuotaUnenforced] = func(t *testing.T, _ *env) {
		e := newEnv(t, Options{Faults: []string{modes.FaultLBQuotaUnenforced}, MaxLoadBalancers: 1})
		e.createLB("a", "us-east-1a")
		e.createLB("b", "us-east-1a") // past the quota
		if got := e.accountLimits()["classic-load-balancers"]; got != "1" {
			t.Errorf("reported Max %s, want the configured 1", got)
		}
	}
	faultTests[modes.FaultListenerQuotaUnenforced] = func(t *testing.T, _ *env) {
		e := newEnv(t, Options{Faults: []string{modes.FaultListenerQuotaUnenforced}, MaxListenersPerLoadBalancer: 1})
		_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("lb"),
			Listeners: append(httpListener, tcpListener), AvailabilityZones: []string{"us-east-1a"}})
		if err != nil {
			t.Fatalf("two listeners at creation refused: %v", err)
		}
		if err := e.createListeners("lb", elbtypes.Listener{Protocol: aws.String("TCP"), LoadBalancerPort: 9000, InstancePort: aws.Int32(80)}); err != nil {
			t.Fatalf("a third listener refused: %v", err)
		}
		if got := e.accountLimits()["classic-listeners"]; got != "1" {
			t.Errorf("reported Max %s, want the configured 1", got)
		}
	}
	faultTests[modes.FaultAccountLimitsWrongMax] = func(t *testing.T, _ *env) {
		e := newEnv(t, Options{Faults: []string{modes.FaultAccountLimitsWrongMax}, MaxLoadBalancers: 1})
		if got := e.accountLimits()["classic-load-balancers"]; got != "2" {
			t.Errorf("reported Max %s, want 2 (one more than enforced)", got)
		}
		e.createLB("a", "us-east-1a")
		_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("b"),
			Listeners: httpListener, AvailabilityZones: []string{"us-east-1a"}})
		wantCode(t, err, "TooManyLoadBalancers", 400)
	}
}
