package emulator

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/elbconform/elbconform/emulator/internal/modes"
)

// The traffic faults (docs/sources.md 18j, 19). Each test starts its own emulator on the
// data-plane tests' clock with the fault on (the env TestFaultModes passes runs at AWS's).

// faultDataEnv is dataEnv with fault on.
func faultDataEnv(t *testing.T, fault string) (*env, string) {
	t.Helper()
	return dataEnv(t, Options{Faults: []string{fault}})
}

// slowRequestAfterDeregistration sends a request of ms milliseconds to url, deregisters id
// while it is in flight, and answers who served it.
func slowRequestAfterDeregistration(t *testing.T, e *env, url, id string, ms int) string {
	t.Helper()
	done := make(chan string, 1)
	go func() { done <- ask(noKeepAlive(), url+"/slow?ms="+strconv.Itoa(ms)) }()
	time.Sleep(150 * time.Millisecond)
	must[[]string](t)(e.deregister("lb", id))
	return <-done
}

func init() {
	faultTests[modes.FaultCrossZoneAlways] = func(t *testing.T, _ *env) {
		e := newEnv(t, Options{Faults: []string{modes.FaultCrossZoneAlways}, HealthCheckScale: testHealthCheckScale})
		e.createLB("lb", "us-east-1a", "us-east-1b")
		e.quickHealthCheck("lb", "HTTP:80/healthz")
		inA := backendIDs(e.backed("us-east-1a", 1))[0]
		inB := backendIDs(e.backed("us-east-1b", 1))[0]
		e.inService("lb", inA, inB)
		if got := traffic(t, e.nodeURLs("lb", 80)["us-east-1a"], 10); !only(got, inA, inB) {
			t.Errorf("zone a's node without cross-zone load balancing: %v, want both zones", got)
		}
	}
	faultTests[modes.FaultDrainingIgnored] = func(t *testing.T, _ *env) {
		e, url := faultDataEnv(t, modes.FaultDrainingIgnored)
		e.setAttributes("lb", draining(true, 60))
		id := backendIDs(e.backed("us-east-1a", 1))[0]
		e.inService("lb", id)
		if got := slowRequestAfterDeregistration(t, e, url, id, 600); got == id {
			t.Errorf("with draining on, the in-flight request completed")
		}
	}
	faultTests[modes.FaultDrainingAlways] = func(t *testing.T, _ *env) {
		e, url := faultDataEnv(t, modes.FaultDrainingAlways)
		id := backendIDs(e.backed("us-east-1a", 1))[0]
		e.inService("lb", id)
		if got := slowRequestAfterDeregistration(t, e, url, id, 600); got != id {
			t.Errorf("with draining off, the in-flight request: %s, want it completed", got)
		}
	}
	faultTests[modes.FaultIdleTimeoutIgnored] = func(t *testing.T, _ *env) {
		e, url := faultDataEnv(t, modes.FaultIdleTimeoutIgnored)
		e.setAttributes("lb", elbtypes.LoadBalancerAttributes{ConnectionSettings: &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(1)}})
		c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.Read(make([]byte, 1)); !isTimeout(err) {
			t.Errorf("an idle connection was closed within 2 s (%v), want it open for 60 s", err)
		}
	}
	faultTests[modes.FaultStickinessIgnored] = func(t *testing.T, _ *env) {
		e, url := faultDataEnv(t, modes.FaultStickinessIgnored)
		ids := backendIDs(e.backed("us-east-1a", 2))
		e.inService("lb", ids...)
		must[*elb.CreateLBCookieStickinessPolicyOutput](t)(e.elb.CreateLBCookieStickinessPolicy(e.ctx, &elb.CreateLBCookieStickinessPolicyInput{
			LoadBalancerName: aws.String("lb"), PolicyName: aws.String("sticky")}))
		must[*elb.SetLoadBalancerPoliciesOfListenerOutput](t)(e.elb.SetLoadBalancerPoliciesOfListener(e.ctx, &elb.SetLoadBalancerPoliciesOfListenerInput{
			LoadBalancerName: aws.String("lb"), LoadBalancerPort: 80, PolicyNames: []string{"sticky"}}))
		if got := askAll(cookieClient(), url+"/", 10); !only(got, ids...) {
			t.Errorf("a client keeping its cookies: %v, want both members", got)
		}
	}
	faultTests[modes.FaultListenerChangesNotServed] = func(t *testing.T, _ *env) {
		e, url := faultDataEnv(t, modes.FaultListenerChangesNotServed)
		id := backendIDs(e.backed("us-east-1a", 1))[0]
		e.inService("lb", id)
		must[*elb.DeleteLoadBalancerListenersOutput](t)(e.elb.DeleteLoadBalancerListeners(e.ctx, &elb.DeleteLoadBalancerListenersInput{
			LoadBalancerName: aws.String("lb"), LoadBalancerPorts: []int32{80}}))
		if got := ask(noKeepAlive(), url+"/"); got != id {
			t.Errorf("the deleted listener: %s, want it still serving", got)
		}
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// The faults of DisableAvailabilityZonesForLoadBalancer and DescribeTags.
func init() {
	faultTests[modes.FaultDisableLastZoneAccepted] = func(t *testing.T, e *env) {
		e.createLB("lb", "us-east-1a")
		zones, err := e.disableZones("lb", "us-east-1a")
		if err != nil || len(zones) != 0 {
			t.Errorf("disabling the last zone: %v, %v; want it accepted, leaving none", zones, err)
		}
	}
	faultTests[modes.FaultDescribeTagsFirstOnly] = func(t *testing.T, e *env) {
		e.createLB("a", "us-east-1a")
		e.createLB("b", "us-east-1a")
		out := must[*elb.DescribeTagsOutput](t)(e.elb.DescribeTags(e.ctx, &elb.DescribeTagsInput{LoadBalancerNames: []string{"a", "b"}}))
		if len(out.TagDescriptions) != 1 {
			t.Errorf("DescribeTags of two load balancers answered %d descriptions, want the first only", len(out.TagDescriptions))
		}
	}
}

func init() {
	faultTests[modes.FaultGroupDeleteInUseAccepted] = func(t *testing.T, e *env) {
		vpcID, subnets := e.vpcWithSubnets("10.9.0.0/16", "10.9.1.0/24")
		used := e.createGroup("used", vpcID)
		must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
			LoadBalancerName: aws.String("sg"), Listeners: httpListener, Subnets: subnets[:1], SecurityGroups: []string{used}}))
		if _, err := e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(used)}); err != nil {
			t.Errorf("deleting a group a load balancer uses: %v, want it deleted", err)
		}
	}
}
