package emulator

import (
	"slices"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

func TestEnableDisableAvailabilityZones(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("az", "us-east-1a")
	got := must[[]string](t)(e.enableZones("az", "us-east-1c", "us-east-1b"))
	if !slices.Equal(got, []string{"us-east-1a", "us-east-1b", "us-east-1c"}) {
		t.Errorf("Enable answered %v, want all three zones", got)
	}
	got = must[[]string](t)(e.enableZones("az", "us-east-1b")) // idempotent
	if len(got) != 3 {
		t.Errorf("re-enable answered %v", got)
	}
	got = must[[]string](t)(e.disableZones("az", "us-east-1a", "us-east-1c"))
	if !slices.Equal(got, []string{"us-east-1b"}) {
		t.Errorf("Disable answered %v, want [us-east-1b]", got)
	}
	got = must[[]string](t)(e.disableZones("az", "us-east-1a")) // not enabled: no-op
	if !slices.Equal(got, []string{"us-east-1b"}) {
		t.Errorf("disabling a disabled zone answered %v", got)
	}
	_, err := e.disableZones("az", "us-east-1b")
	wantCode(t, err, "InvalidConfigurationRequest", 409)
	_, err = e.enableZones("az", "us-east-1z")
	wantCode(t, err, "ValidationError", 400)
	_, err = e.enableZones("nope", "us-east-1a")
	wantCode(t, err, "LoadBalancerNotFound", 400)
	_, err = e.disableZones("nope", "us-east-1a")
	wantCode(t, err, "LoadBalancerNotFound", 400)
	d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{})).LoadBalancerDescriptions[0]
	if !slices.Equal(d.AvailabilityZones, []string{"us-east-1b"}) || len(d.Subnets) != 1 {
		t.Errorf("describe after zone changes: zones %v subnets %v", d.AvailabilityZones, d.Subnets)
	}
}
