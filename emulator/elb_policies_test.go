package emulator

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// policyNames answers DescribeLoadBalancerPolicies of lb (names: all) as policy names.
func (e *env) policyNames(lb string, names ...string) ([]string, error) {
	out, err := e.elb.DescribeLoadBalancerPolicies(e.ctx, &elb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: aws.String(lb), PolicyNames: names})
	if err != nil {
		return nil, err
	}
	var got []string
	for _, p := range out.PolicyDescriptions {
		got = append(got, aws.ToString(p.PolicyName))
	}
	return got, nil
}

func (e *env) createPolicy(lb, name, typ string, attrs ...string) error {
	in := &elb.CreateLoadBalancerPolicyInput{LoadBalancerName: aws.String(lb), PolicyName: aws.String(name), PolicyTypeName: aws.String(typ)}
	for i := 0; i+1 < len(attrs); i += 2 {
		in.PolicyAttributes = append(in.PolicyAttributes, elbtypes.PolicyAttribute{AttributeName: aws.String(attrs[i]), AttributeValue: aws.String(attrs[i+1])})
	}
	_, err := e.elb.CreateLoadBalancerPolicy(e.ctx, in)
	return err
}

func TestDescribeLoadBalancerPolicyTypes(t *testing.T) {
	e := newEnv(t, Options{})
	all := must[*elb.DescribeLoadBalancerPolicyTypesOutput](t)(e.elb.DescribeLoadBalancerPolicyTypes(e.ctx, &elb.DescribeLoadBalancerPolicyTypesInput{}))
	var names []string
	for _, d := range all.PolicyTypeDescriptions {
		names = append(names, aws.ToString(d.PolicyTypeName))
	}
	want := []string{"ProxyProtocolPolicyType", "PublicKeyPolicyType", "AppCookieStickinessPolicyType", "LBCookieStickinessPolicyType",
		"SSLNegotiationPolicyType", "BackendServerAuthenticationPolicyType"}
	if !slices.Equal(names, want) {
		t.Errorf("types %v, want %v", names, want)
	}
	one := must[*elb.DescribeLoadBalancerPolicyTypesOutput](t)(e.elb.DescribeLoadBalancerPolicyTypes(e.ctx, &elb.DescribeLoadBalancerPolicyTypesInput{
		PolicyTypeNames: []string{"LBCookieStickinessPolicyType"}}))
	if len(one.PolicyTypeDescriptions) != 1 {
		t.Fatalf("answer %+v", one)
	}
	a := one.PolicyTypeDescriptions[0].PolicyAttributeTypeDescriptions
	if len(a) != 1 || aws.ToString(a[0].AttributeName) != "CookieExpirationPeriod" || aws.ToString(a[0].AttributeType) != "Long" || aws.ToString(a[0].Cardinality) != "ZERO_OR_ONE" {
		t.Errorf("attributes %+v", a)
	}
	_, err := e.elb.DescribeLoadBalancerPolicyTypes(e.ctx, &elb.DescribeLoadBalancerPolicyTypesInput{PolicyTypeNames: []string{"ProxyProtocolPolicyType", "NoSuchPolicyType"}})
	wantCode(t, err, "PolicyTypeNotFound", 400)
}

func TestCreateLoadBalancerPolicy(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("pol", "us-east-1a")
	if err := e.createPolicy("pol", "pp", "ProxyProtocolPolicyType", "ProxyProtocol", "true"); err != nil {
		t.Fatal(err)
	}
	if err := e.createPolicy("pol", "pk", "PublicKeyPolicyType", "PublicKey", "MIIB"); err != nil {
		t.Fatal(err)
	}
	if err := e.createPolicy("pol", "auth", "BackendServerAuthenticationPolicyType", "PublicKeyPolicyName", "pk"); err != nil {
		t.Fatal(err)
	}
	if err := e.createPolicy("pol", "ssl", "SSLNegotiationPolicyType", "Reference-Security-Policy", "ELBSecurityPolicy-2016-08"); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name, typ string
		attrs     []string
		code      string
		status    int
	}{
		{"pp", "ProxyProtocolPolicyType", []string{"ProxyProtocol", "true"}, "DuplicatePolicyName", 400},
		{"x1", "NoSuchType", nil, "PolicyTypeNotFound", 400},
		{"x2", "ProxyProtocolPolicyType", nil, "InvalidConfigurationRequest", 409},                                                 // ONE attribute missing
		{"x3", "ProxyProtocolPolicyType", []string{"ProxyProtocol", "yes"}, "InvalidConfigurationRequest", 409},                    // not a Boolean
		{"x4", "ProxyProtocolPolicyType", []string{"Other", "true"}, "InvalidConfigurationRequest", 409},                           // unknown attribute
		{"x5", "BackendServerAuthenticationPolicyType", []string{"PublicKeyPolicyName", "pp"}, "InvalidConfigurationRequest", 409}, // not a public key policy
		{"x6", "SSLNegotiationPolicyType", []string{"Reference-Security-Policy", "Nope"}, "InvalidConfigurationRequest", 409},
		{"bad_name", "ProxyProtocolPolicyType", []string{"ProxyProtocol", "true"}, "ValidationError", 400},
	}
	for _, b := range bad {
		wantCode(t, e.createPolicy("pol", b.name, b.typ, b.attrs...), b.code, b.status)
	}
	wantCode(t, e.createPolicy("nope", "pp", "ProxyProtocolPolicyType", "ProxyProtocol", "true"), "LoadBalancerNotFound", 400)
	// Refused calls changed nothing.
	if got := must[[]string](t)(e.policyNames("pol")); !slices.Equal(got, []string{"pp", "pk", "auth", "ssl"}) {
		t.Errorf("policies %v", got)
	}
	d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{})).LoadBalancerDescriptions[0]
	if !slices.Equal(d.Policies.OtherPolicies, []string{"pp", "pk", "auth", "ssl"}) || len(d.Policies.LBCookieStickinessPolicies) != 0 {
		t.Errorf("Policies %+v", d.Policies)
	}
}

func TestCreateLoadBalancerPolicyQuota(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("pol", "us-east-1a")
	for i := range maxPoliciesPerLB {
		if err := e.createPolicy("pol", "p"+string(rune('a'+i/26))+string(rune('a'+i%26)), "ProxyProtocolPolicyType", "ProxyProtocol", "true"); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, e.createPolicy("pol", "last", "ProxyProtocolPolicyType", "ProxyProtocol", "true"), "TooManyPolicies", 400)
}

func TestDescribeLoadBalancerPolicies(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("pol", "us-east-1a")
	must[*elb.CreateLBCookieStickinessPolicyOutput](t)(e.elb.CreateLBCookieStickinessPolicy(e.ctx, &elb.CreateLBCookieStickinessPolicyInput{
		LoadBalancerName: aws.String("pol"), PolicyName: aws.String("lbc"), CookieExpirationPeriod: aws.Int64(60)}))
	if err := e.createPolicy("pol", "pp", "ProxyProtocolPolicyType", "ProxyProtocol", "true"); err != nil {
		t.Fatal(err)
	}
	out := must[*elb.DescribeLoadBalancerPoliciesOutput](t)(e.elb.DescribeLoadBalancerPolicies(e.ctx, &elb.DescribeLoadBalancerPoliciesInput{
		LoadBalancerName: aws.String("pol"), PolicyNames: []string{"lbc"}}))
	if len(out.PolicyDescriptions) != 1 {
		t.Fatalf("answer %+v", out.PolicyDescriptions)
	}
	p := out.PolicyDescriptions[0]
	if aws.ToString(p.PolicyTypeName) != "LBCookieStickinessPolicyType" || len(p.PolicyAttributeDescriptions) != 1 ||
		aws.ToString(p.PolicyAttributeDescriptions[0].AttributeName) != "CookieExpirationPeriod" || aws.ToString(p.PolicyAttributeDescriptions[0].AttributeValue) != "60" {
		t.Errorf("description %+v", p)
	}
	if got := must[[]string](t)(e.policyNames("pol")); !slices.Equal(got, []string{"lbc", "pp"}) {
		t.Errorf("all %v", got)
	}
	_, err := e.policyNames("pol", "lbc", "nope")
	wantCode(t, err, "PolicyNotFound", 400)
	_, err = e.policyNames("nope")
	wantCode(t, err, "LoadBalancerNotFound", 400)

	// Without a load balancer: the predefined policies, never a load balancer's.
	samples := must[*elb.DescribeLoadBalancerPoliciesOutput](t)(e.elb.DescribeLoadBalancerPolicies(e.ctx, &elb.DescribeLoadBalancerPoliciesInput{}))
	var names []string
	for _, d := range samples.PolicyDescriptions {
		names = append(names, aws.ToString(d.PolicyName))
	}
	if !slices.Contains(names, "ELBSecurityPolicy-2016-08") || !slices.Contains(names, "ELBSample-ELBDefaultCipherPolicy") || slices.Contains(names, "lbc") {
		t.Errorf("predefined %v", names)
	}
	one := must[*elb.DescribeLoadBalancerPoliciesOutput](t)(e.elb.DescribeLoadBalancerPolicies(e.ctx, &elb.DescribeLoadBalancerPoliciesInput{PolicyNames: []string{"ELBSecurityPolicy-TLS-1-2-2017-01"}}))
	attrs := map[string]string{}
	for _, a := range one.PolicyDescriptions[0].PolicyAttributeDescriptions {
		attrs[aws.ToString(a.AttributeName)] = aws.ToString(a.AttributeValue)
	}
	if attrs["Protocol-TLSv1.2"] != "true" || attrs["Protocol-TLSv1"] != "false" || attrs["AES128-SHA"] != "false" || attrs["AES128-GCM-SHA256"] != "true" {
		t.Errorf("TLS-1-2-2017-01 %v", attrs)
	}
	_, err = e.elb.DescribeLoadBalancerPolicies(e.ctx, &elb.DescribeLoadBalancerPoliciesInput{PolicyNames: []string{"lbc"}})
	wantCode(t, err, "PolicyNotFound", 400)
}

func TestDeleteLoadBalancerPolicy(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("pol", "us-east-1a")
	for _, n := range []string{"a", "b"} {
		must[*elb.CreateLBCookieStickinessPolicyOutput](t)(e.elb.CreateLBCookieStickinessPolicy(e.ctx, &elb.CreateLBCookieStickinessPolicyInput{
			LoadBalancerName: aws.String("pol"), PolicyName: aws.String(n)}))
	}
	if err := e.setListenerPolicies("pol", 80, "a"); err != nil {
		t.Fatal(err)
	}
	del := func(lb, name string) error {
		_, err := e.elb.DeleteLoadBalancerPolicy(e.ctx, &elb.DeleteLoadBalancerPolicyInput{LoadBalancerName: aws.String(lb), PolicyName: aws.String(name)})
		return err
	}
	wantCode(t, del("pol", "a"), "InvalidConfigurationRequest", 409)
	if err := del("pol", "b"); err != nil {
		t.Fatal(err)
	}
	if err := del("pol", "never-was"); err != nil {
		t.Errorf("deleting a policy that does not exist: %v", err)
	}
	wantCode(t, del("nope", "a"), "LoadBalancerNotFound", 400)
	if got := must[[]string](t)(e.policyNames("pol")); !slices.Equal(got, []string{"a"}) {
		t.Errorf("policies %v", got)
	}
	// Out of force, it can go.
	if err := e.setListenerPolicies("pol", 80); err != nil {
		t.Fatal(err)
	}
	if err := del("pol", "a"); err != nil {
		t.Fatal(err)
	}

	// A public key policy referred to by an enabled authentication policy is in use too.
	if err := e.createPolicy("pol", "pk", "PublicKeyPolicyType", "PublicKey", "MIIB"); err != nil {
		t.Fatal(err)
	}
	if err := e.createPolicy("pol", "auth", "BackendServerAuthenticationPolicyType", "PublicKeyPolicyName", "pk"); err != nil {
		t.Fatal(err)
	}
	if err := e.setBackendPolicies("pol", 443, "auth"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, del("pol", "pk"), "InvalidConfigurationRequest", 409)
	wantCode(t, del("pol", "auth"), "InvalidConfigurationRequest", 409)
}
