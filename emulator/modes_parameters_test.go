package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/elbconform/elbconform/emulator/internal/modes"
)

// The parameter-rule faults (docs/sources.md 23). Each runs on the env TestFaultModes gives it,
// with the fault on.

func init() {
	faultTests[modes.FaultNameRulesUnchecked] = func(t *testing.T, e *env) {
		for _, name := range []string{"a_b", "-lead", "trail-", "a23456789012345678901234567890123"} {
			_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String(name),
				Listeners: httpListener, AvailabilityZones: []string{"us-east-1a"}})
			if err != nil {
				t.Errorf("name %q refused: %v", name, err)
			}
		}
	}
	faultTests[modes.FaultHealthCheckRangeUnchecked] = func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		hc := &elbtypes.HealthCheck{Target: aws.String("TCP:80"), Interval: aws.Int32(301), Timeout: aws.Int32(400),
			UnhealthyThreshold: aws.Int32(1), HealthyThreshold: aws.Int32(11)}
		out, err := e.elb.ConfigureHealthCheck(e.ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String("lb"), HealthCheck: hc})
		if err != nil {
			t.Fatalf("out-of-range health check refused: %v", err)
		}
		if aws.ToInt32(out.HealthCheck.Interval) != 301 || aws.ToInt32(out.HealthCheck.UnhealthyThreshold) != 1 {
			t.Errorf("answered %+v, want the values sent", out.HealthCheck)
		}
		// The target syntax is still checked.
		hc.Target = aws.String("TCP:80/")
		_, err = e.elb.ConfigureHealthCheck(e.ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String("lb"), HealthCheck: hc})
		wantCode(t, err, "ValidationError", 400)
	}
	faultTests[modes.FaultListenerProtocolPairsUnchecked] = func(t *testing.T, e *env) {
		mixed := elbtypes.Listener{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstanceProtocol: aws.String("TCP"), InstancePort: aws.Int32(80)}
		_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("lb"),
			Listeners: []elbtypes.Listener{mixed}, AvailabilityZones: []string{"us-east-1a"}})
		if err != nil {
			t.Fatalf("HTTP to TCP refused by CreateLoadBalancer: %v", err)
		}
		mixed.Protocol, mixed.InstanceProtocol, mixed.LoadBalancerPort = aws.String("TCP"), aws.String("HTTP"), 81
		_, err = e.elb.CreateLoadBalancerListeners(e.ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String("lb"),
			Listeners: []elbtypes.Listener{mixed}})
		if err != nil {
			t.Errorf("TCP to HTTP refused by CreateLoadBalancerListeners: %v", err)
		}
	}
	faultTests[modes.FaultZoneRulesVPCZonesAccepted] = func(t *testing.T, e *env) {
		_, subs := e.vpcWithSubnets("10.5.0.0/16", "10.5.0.0/24", "10.5.1.0/24")
		must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
			LoadBalancerName: aws.String("vpc-lb"), Listeners: httpListener, Subnets: subs[:1], Scheme: aws.String("internal")}))
		if _, err := e.enableZones("vpc-lb", "us-east-1b"); err != nil {
			t.Errorf("EnableAvailabilityZones on a non-default VPC load balancer refused: %v", err)
		}
		if _, err := e.disableZones("vpc-lb", "us-east-1b"); err != nil {
			t.Errorf("DisableAvailabilityZones on a non-default VPC load balancer refused: %v", err)
		}
	}
	faultTests[modes.FaultSubnetSameZoneAccepted] = func(t *testing.T, e *env) {
		// vpcWithSubnets places subnets in zones a, b, c, a: the first and the fourth share a zone.
		_, subs := e.vpcWithSubnets("10.6.0.0/16", "10.6.0.0/24", "10.6.1.0/24", "10.6.2.0/24", "10.6.3.0/24")
		must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
			LoadBalancerName: aws.String("vpc-lb"), Listeners: httpListener, Subnets: subs[:1], Scheme: aws.String("internal")}))
		out, err := e.elb.AttachLoadBalancerToSubnets(e.ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("vpc-lb"), Subnets: subs[3:]})
		if err != nil {
			t.Fatalf("a second subnet in zone a refused: %v", err)
		}
		if !sameSet(out.Subnets, []string{subs[0], subs[3]}) {
			t.Errorf("answered %v, want both subnets of zone a", out.Subnets)
		}
	}
	faultTests[modes.FaultCreateDuplicateNameOtherSettingsOK] = func(t *testing.T, e *env) {
		first := must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
			LoadBalancerName: aws.String("lb"), Listeners: httpListener, AvailabilityZones: []string{"us-east-1a"}}))
		again, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("lb"), Listeners: httpListener,
			AvailabilityZones: []string{"us-east-1a"}, Tags: []elbtypes.Tag{{Key: aws.String("other")}}})
		if err != nil {
			t.Fatalf("other tags refused: %v", err)
		}
		if aws.ToString(again.DNSName) != aws.ToString(first.DNSName) {
			t.Errorf("answered %s, want the existing %s", aws.ToString(again.DNSName), aws.ToString(first.DNSName))
		}
	}
	faultTests[modes.FaultCreateNotIdempotent] = func(t *testing.T, e *env) {
		in := &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("lb"), Listeners: httpListener, AvailabilityZones: []string{"us-east-1a"}}
		must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, in))
		_, err := e.elb.CreateLoadBalancer(e.ctx, in)
		wantCode(t, err, "DuplicateLoadBalancerName", 400)
	}
}
