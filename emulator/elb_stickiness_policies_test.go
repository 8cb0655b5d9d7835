package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

func TestCreateStickinessPolicies(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("st", "us-east-1a")
	lbc := func(name string, period *int64) error {
		_, err := e.elb.CreateLBCookieStickinessPolicy(e.ctx, &elb.CreateLBCookieStickinessPolicyInput{
			LoadBalancerName: aws.String("st"), PolicyName: aws.String(name), CookieExpirationPeriod: period})
		return err
	}
	app := func(lb, name, cookie string) error {
		_, err := e.elb.CreateAppCookieStickinessPolicy(e.ctx, &elb.CreateAppCookieStickinessPolicyInput{
			LoadBalancerName: aws.String(lb), PolicyName: aws.String(name), CookieName: aws.String(cookie)})
		return err
	}
	if err := lbc("dur", aws.Int64(60)); err != nil {
		t.Fatal(err)
	}
	if err := lbc("session", nil); err != nil {
		t.Fatal(err)
	}
	if err := app("st", "appc", "JSESSIONID"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, lbc("dur", aws.Int64(30)), "DuplicatePolicyName", 400)
	wantCode(t, app("st", "dur", "X"), "DuplicatePolicyName", 400)
	wantCode(t, lbc("neg", aws.Int64(-1)), "ValidationError", 400)
	wantCode(t, lbc("bad name", nil), "ValidationError", 400)
	wantCode(t, app("nope", "x", "X"), "LoadBalancerNotFound", 400)
	r := e.post(elbForm("CreateAppCookieStickinessPolicy", "LoadBalancerName", "st", "PolicyName", "nocookie"), "")
	if r.status != 400 {
		t.Errorf("missing CookieName: %d %s", r.status, r.body)
	}

	d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{})).LoadBalancerDescriptions[0]
	p := d.Policies
	if len(p.LBCookieStickinessPolicies) != 2 || aws.ToString(p.LBCookieStickinessPolicies[0].PolicyName) != "dur" ||
		aws.ToInt64(p.LBCookieStickinessPolicies[0].CookieExpirationPeriod) != 60 || p.LBCookieStickinessPolicies[1].CookieExpirationPeriod != nil {
		t.Errorf("LB cookie policies %+v", p.LBCookieStickinessPolicies)
	}
	if len(p.AppCookieStickinessPolicies) != 1 || aws.ToString(p.AppCookieStickinessPolicies[0].CookieName) != "JSESSIONID" || len(p.OtherPolicies) != 0 {
		t.Errorf("app %+v other %v", p.AppCookieStickinessPolicies, p.OtherPolicies)
	}
	out := must[*elb.DescribeLoadBalancerPoliciesOutput](t)(e.elb.DescribeLoadBalancerPolicies(e.ctx, &elb.DescribeLoadBalancerPoliciesInput{
		LoadBalancerName: aws.String("st"), PolicyNames: []string{"session", "appc"}}))
	if len(out.PolicyDescriptions) != 2 {
		t.Fatalf("%+v", out.PolicyDescriptions)
	}
	s, a := out.PolicyDescriptions[0], out.PolicyDescriptions[1]
	if aws.ToString(s.PolicyTypeName) != "LBCookieStickinessPolicyType" || aws.ToString(s.PolicyAttributeDescriptions[0].AttributeValue) != "0" {
		t.Errorf("session policy %+v", s)
	}
	if aws.ToString(a.PolicyTypeName) != "AppCookieStickinessPolicyType" || aws.ToString(a.PolicyAttributeDescriptions[0].AttributeName) != "CookieName" ||
		aws.ToString(a.PolicyAttributeDescriptions[0].AttributeValue) != "JSESSIONID" {
		t.Errorf("app policy %+v", a)
	}
	// Created, not in force.
	if d.ListenerDescriptions[0].PolicyNames == nil || len(d.ListenerDescriptions[0].PolicyNames) != 0 {
		t.Errorf("listener policies %v", d.ListenerDescriptions[0].PolicyNames)
	}
}
