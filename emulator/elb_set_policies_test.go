package emulator

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

func (e *env) setListenerPolicies(lb string, port int32, names ...string) error {
	if names == nil {
		names = []string{}
	}
	_, err := e.elb.SetLoadBalancerPoliciesOfListener(e.ctx, &elb.SetLoadBalancerPoliciesOfListenerInput{
		LoadBalancerName: aws.String(lb), LoadBalancerPort: port, PolicyNames: names})
	return err
}

func (e *env) setBackendPolicies(lb string, port int32, names ...string) error {
	if names == nil {
		names = []string{}
	}
	_, err := e.elb.SetLoadBalancerPoliciesForBackendServer(e.ctx, &elb.SetLoadBalancerPoliciesForBackendServerInput{
		LoadBalancerName: aws.String(lb), InstancePort: aws.Int32(port), PolicyNames: names})
	return err
}

func (e *env) describeOne(lb string) elbtypes.LoadBalancerDescription {
	e.t.Helper()
	out := must[*elb.DescribeLoadBalancersOutput](e.t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{lb}}))
	return out.LoadBalancerDescriptions[0]
}

// twoListenerLB creates "sp" with HTTP:80->8080 and TCP:9000->9000, an LB cookie policy
// "lbc" (60 s), an app cookie policy "appc" and a Proxy Protocol policy "pp".
func twoListenerLB(t *testing.T, e *env) {
	t.Helper()
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("sp"), AvailabilityZones: []string{"us-east-1a"},
		Listeners: []elbtypes.Listener{
			{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(8080)},
			{Protocol: aws.String("TCP"), LoadBalancerPort: 9000, InstancePort: aws.Int32(9000)},
		}}))
	must[*elb.CreateLBCookieStickinessPolicyOutput](t)(e.elb.CreateLBCookieStickinessPolicy(e.ctx, &elb.CreateLBCookieStickinessPolicyInput{
		LoadBalancerName: aws.String("sp"), PolicyName: aws.String("lbc"), CookieExpirationPeriod: aws.Int64(60)}))
	must[*elb.CreateAppCookieStickinessPolicyOutput](t)(e.elb.CreateAppCookieStickinessPolicy(e.ctx, &elb.CreateAppCookieStickinessPolicyInput{
		LoadBalancerName: aws.String("sp"), PolicyName: aws.String("appc"), CookieName: aws.String("SID")}))
	if err := e.createPolicy("sp", "pp", "ProxyProtocolPolicyType", "ProxyProtocol", "true"); err != nil {
		t.Fatal(err)
	}
}

func listenerPolicies(d elbtypes.LoadBalancerDescription, port int32) []string {
	for _, l := range d.ListenerDescriptions {
		if l.Listener.LoadBalancerPort == port {
			return l.PolicyNames
		}
	}
	return nil
}

func TestSetLoadBalancerPoliciesOfListener(t *testing.T) {
	e := newEnv(t, Options{})
	twoListenerLB(t, e)
	if err := e.setListenerPolicies("sp", 80, "lbc"); err != nil {
		t.Fatal(err)
	}
	if got := listenerPolicies(e.describeOne("sp"), 80); !slices.Equal(got, []string{"lbc"}) {
		t.Errorf("port 80 %v", got)
	}
	lb := e.srv.h.st.elb.lbs["sp"]
	if kind, _, exp, ok := lb.stickiness(80); !ok || kind != "lb" || exp != 60 {
		t.Errorf("stickiness(80) = %s %d %v", kind, exp, ok)
	}
	// Replacing: the app cookie policy instead.
	if err := e.setListenerPolicies("sp", 80, "appc"); err != nil {
		t.Fatal(err)
	}
	if kind, cookie, _, ok := lb.stickiness(80); !ok || kind != "app" || cookie != "SID" {
		t.Errorf("stickiness(80) = %s %s %v", kind, cookie, ok)
	}
	// Refusals change nothing.
	wantCode(t, e.setListenerPolicies("sp", 80, "appc", "nope"), "PolicyNotFound", 400)
	wantCode(t, e.setListenerPolicies("sp", 80, "ELBSecurityPolicy-2016-08"), "PolicyNotFound", 400)
	wantCode(t, e.setListenerPolicies("sp", 81, "appc"), "ListenerNotFound", 400)
	wantCode(t, e.setListenerPolicies("sp", 9000, "lbc"), "InvalidConfigurationRequest", 409)
	wantCode(t, e.setListenerPolicies("sp", 80, "pp"), "InvalidConfigurationRequest", 409)
	wantCode(t, e.setListenerPolicies("sp", 80, "lbc", "appc"), "InvalidConfigurationRequest", 409)
	wantCode(t, e.setListenerPolicies("nope", 80, "lbc"), "LoadBalancerNotFound", 400)
	d := e.describeOne("sp")
	if got := listenerPolicies(d, 80); !slices.Equal(got, []string{"appc"}) {
		t.Errorf("port 80 after refusals %v", got)
	}
	if got := listenerPolicies(d, 9000); got == nil || len(got) != 0 {
		t.Errorf("port 9000 %v", got)
	}
	if _, _, _, ok := lb.stickiness(9000); ok {
		t.Error("stickiness on 9000")
	}
	// An empty list removes them all.
	if err := e.setListenerPolicies("sp", 80); err != nil {
		t.Fatal(err)
	}
	if got := listenerPolicies(e.describeOne("sp"), 80); len(got) != 0 {
		t.Errorf("port 80 after clearing %v", got)
	}
	if _, _, _, ok := lb.stickiness(80); ok {
		t.Error("stickiness after clearing")
	}
	// PolicyNames is required (an empty list is not a missing one).
	r := e.post(elbForm("SetLoadBalancerPoliciesOfListener", "LoadBalancerName", "sp", "LoadBalancerPort", "80"), "")
	if r.status != 400 {
		t.Errorf("missing PolicyNames: %d %s", r.status, r.body)
	}
}

func TestSetLoadBalancerPoliciesForBackendServer(t *testing.T) {
	e := newEnv(t, Options{})
	twoListenerLB(t, e)
	if err := e.setBackendPolicies("sp", 9000, "pp"); err != nil {
		t.Fatal(err)
	}
	d := e.describeOne("sp")
	if len(d.BackendServerDescriptions) != 1 || aws.ToInt32(d.BackendServerDescriptions[0].InstancePort) != 9000 ||
		!slices.Equal(d.BackendServerDescriptions[0].PolicyNames, []string{"pp"}) {
		t.Errorf("backends %+v", d.BackendServerDescriptions)
	}
	if !slices.Equal(d.Policies.OtherPolicies, []string{"pp"}) {
		t.Errorf("other policies %v", d.Policies.OtherPolicies)
	}
	wantCode(t, e.setBackendPolicies("sp", 9000, "lbc"), "InvalidConfigurationRequest", 409)
	wantCode(t, e.setBackendPolicies("sp", 9000, "pp", "nope"), "PolicyNotFound", 400)
	wantCode(t, e.setBackendPolicies("nope", 9000, "pp"), "LoadBalancerNotFound", 400)
	if d := e.describeOne("sp"); len(d.BackendServerDescriptions) != 1 {
		t.Errorf("after refusals %+v", d.BackendServerDescriptions)
	}
	if err := e.setBackendPolicies("sp", 9000); err != nil {
		t.Fatal(err)
	}
	if d := e.describeOne("sp"); len(d.BackendServerDescriptions) != 0 {
		t.Errorf("after clearing %+v", d.BackendServerDescriptions)
	}
}
