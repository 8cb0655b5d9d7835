package emulator

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

func (e *env) attributes(lb string) *elbtypes.LoadBalancerAttributes {
	e.t.Helper()
	out := must[*elb.DescribeLoadBalancerAttributesOutput](e.t)(e.elb.DescribeLoadBalancerAttributes(e.ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerName: aws.String(lb)}))
	return out.LoadBalancerAttributes
}

func (e *env) modifyAttributes(lb string, a elbtypes.LoadBalancerAttributes) (*elb.ModifyLoadBalancerAttributesOutput, error) {
	return e.elb.ModifyLoadBalancerAttributes(e.ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerName: aws.String(lb), LoadBalancerAttributes: &a})
}

func TestDescribeLoadBalancerAttributesDefaults(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("attr", "us-east-1a")
	a := e.attributes("attr")
	switch {
	case a.CrossZoneLoadBalancing == nil || a.CrossZoneLoadBalancing.Enabled:
		t.Errorf("cross-zone %+v, want disabled", a.CrossZoneLoadBalancing)
	case a.ConnectionDraining == nil || a.ConnectionDraining.Enabled || aws.ToInt32(a.ConnectionDraining.Timeout) != 300:
		t.Errorf("draining %+v, want disabled, 300 s", a.ConnectionDraining)
	case a.ConnectionSettings == nil || aws.ToInt32(a.ConnectionSettings.IdleTimeout) != 60:
		t.Errorf("connection settings %+v, want 60 s", a.ConnectionSettings)
	case a.AccessLog == nil || a.AccessLog.Enabled || a.AccessLog.S3BucketName != nil:
		t.Errorf("access log %+v, want disabled", a.AccessLog)
	}
	_, err := e.elb.DescribeLoadBalancerAttributes(e.ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerName: aws.String("nope")})
	wantCode(t, err, "LoadBalancerNotFound", 400)
	if r := e.post(elbForm("DescribeLoadBalancerAttributes"), ""); r.status != 400 || !strings.Contains(r.body, "ValidationError") {
		t.Errorf("without a name: %d %s", r.status, r.body)
	}
}

func TestModifyLoadBalancerAttributes(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("attr", "us-east-1a")

	out, err := e.modifyAttributes("attr", elbtypes.LoadBalancerAttributes{
		CrossZoneLoadBalancing: &elbtypes.CrossZoneLoadBalancing{Enabled: true},
		ConnectionSettings:     &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(4000)},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The answer names the load balancer and the attributes given, as applied.
	if aws.ToString(out.LoadBalancerName) != "attr" || out.LoadBalancerAttributes == nil ||
		out.LoadBalancerAttributes.CrossZoneLoadBalancing == nil || !out.LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled ||
		aws.ToInt32(out.LoadBalancerAttributes.ConnectionSettings.IdleTimeout) != 4000 ||
		out.LoadBalancerAttributes.ConnectionDraining != nil || out.LoadBalancerAttributes.AccessLog != nil {
		t.Errorf("answer %+v", out.LoadBalancerAttributes)
	}

	// Only the attributes given change.
	if _, err := e.modifyAttributes("attr", elbtypes.LoadBalancerAttributes{
		ConnectionDraining: &elbtypes.ConnectionDraining{Enabled: true, Timeout: aws.Int32(30)},
	}); err != nil {
		t.Fatal(err)
	}
	a := e.attributes("attr")
	if !a.CrossZoneLoadBalancing.Enabled || aws.ToInt32(a.ConnectionSettings.IdleTimeout) != 4000 ||
		!a.ConnectionDraining.Enabled || aws.ToInt32(a.ConnectionDraining.Timeout) != 30 || a.AccessLog.Enabled {
		t.Errorf("after two calls %+v %+v %+v %+v", a.CrossZoneLoadBalancing, a.ConnectionSettings, a.ConnectionDraining, a.AccessLog)
	}
	// Draining without a Timeout keeps the timeout.
	must[*elb.ModifyLoadBalancerAttributesOutput](t)(e.modifyAttributes("attr", elbtypes.LoadBalancerAttributes{
		ConnectionDraining: &elbtypes.ConnectionDraining{Enabled: false}}))
	if a := e.attributes("attr"); a.ConnectionDraining.Enabled || aws.ToInt32(a.ConnectionDraining.Timeout) != 30 {
		t.Errorf("draining %+v", a.ConnectionDraining)
	}

	// Access log: enabled needs a bucket; the interval is 5 or 60.
	out = must[*elb.ModifyLoadBalancerAttributesOutput](t)(e.modifyAttributes("attr", elbtypes.LoadBalancerAttributes{
		AccessLog: &elbtypes.AccessLog{Enabled: true, S3BucketName: aws.String("logs"), S3BucketPrefix: aws.String("elb"), EmitInterval: aws.Int32(5)}}))
	if l := out.LoadBalancerAttributes.AccessLog; l == nil || !l.Enabled || aws.ToString(l.S3BucketName) != "logs" || aws.ToInt32(l.EmitInterval) != 5 {
		t.Errorf("access log answer %+v", l)
	}
	if l := e.attributes("attr").AccessLog; !l.Enabled || aws.ToString(l.S3BucketPrefix) != "elb" {
		t.Errorf("access log %+v", l)
	}
	must[*elb.ModifyLoadBalancerAttributesOutput](t)(e.modifyAttributes("attr", elbtypes.LoadBalancerAttributes{
		AccessLog: &elbtypes.AccessLog{Enabled: false}}))
	if l := e.attributes("attr").AccessLog; l.Enabled || l.S3BucketName != nil {
		t.Errorf("disabled access log %+v", l)
	}
}

func TestModifyLoadBalancerAttributesRefused(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("attr", "us-east-1a")
	good := &elbtypes.CrossZoneLoadBalancing{Enabled: true}
	bad := []elbtypes.LoadBalancerAttributes{
		{ConnectionSettings: &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(0)}},
		{ConnectionSettings: &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(4001)}},
		{ConnectionDraining: &elbtypes.ConnectionDraining{Enabled: true, Timeout: aws.Int32(0)}},
		{ConnectionDraining: &elbtypes.ConnectionDraining{Enabled: true, Timeout: aws.Int32(3601)}},
		{AccessLog: &elbtypes.AccessLog{Enabled: true}},
		{AccessLog: &elbtypes.AccessLog{Enabled: true, S3BucketName: aws.String("logs"), EmitInterval: aws.Int32(15)}},
		{AdditionalAttributes: []elbtypes.AdditionalAttribute{{Key: aws.String("elb.http.desyncmitigationmode"), Value: aws.String("lenient")}}},
	}
	for _, b := range bad {
		b.CrossZoneLoadBalancing = good // all-or-nothing: the valid part is not applied either
		_, err := e.modifyAttributes("attr", b)
		wantCode(t, err, "ValidationError", 400)
	}
	_, err := e.modifyAttributes("attr", elbtypes.LoadBalancerAttributes{CrossZoneLoadBalancing: good,
		AdditionalAttributes: []elbtypes.AdditionalAttribute{{Key: aws.String("no.such.attribute"), Value: aws.String("x")}}})
	wantCode(t, err, "LoadBalancerAttributeNotFound", 400)
	_, err = e.modifyAttributes("nope", elbtypes.LoadBalancerAttributes{CrossZoneLoadBalancing: good})
	wantCode(t, err, "LoadBalancerNotFound", 400)
	for _, form := range []string{
		elbForm("ModifyLoadBalancerAttributes", "LoadBalancerName", "attr"),
		elbForm("ModifyLoadBalancerAttributes", "LoadBalancerName", "attr", "LoadBalancerAttributes.ConnectionDraining.Timeout", "10"),
		elbForm("ModifyLoadBalancerAttributes", "LoadBalancerName", "attr", "LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled", "yes"),
	} {
		if r := e.post(form, ""); r.status != 400 || !strings.Contains(r.body, "ValidationError") {
			t.Errorf("%s: %d %s", form, r.status, r.body)
		}
	}
	a := e.attributes("attr")
	if a.CrossZoneLoadBalancing.Enabled || aws.ToInt32(a.ConnectionSettings.IdleTimeout) != 60 || a.ConnectionDraining.Enabled || a.AccessLog.Enabled {
		t.Errorf("refused calls changed the attributes: %+v %+v %+v %+v", a.CrossZoneLoadBalancing, a.ConnectionSettings, a.ConnectionDraining, a.AccessLog)
	}
	// The desync mitigation mode's default is accepted.
	must[*elb.ModifyLoadBalancerAttributesOutput](t)(e.modifyAttributes("attr", elbtypes.LoadBalancerAttributes{
		AdditionalAttributes: []elbtypes.AdditionalAttribute{{Key: aws.String("elb.http.desyncmitigationmode"), Value: aws.String("defensive")}}}))
}
