package emulator

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

func (e *env) enableZones(lb string, zones ...string) ([]string, error) {
	out, err := e.elb.EnableAvailabilityZonesForLoadBalancer(e.ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{
		LoadBalancerName: aws.String(lb), AvailabilityZones: zones})
	if err != nil {
		return nil, err
	}
	return out.AvailabilityZones, nil
}

func (e *env) disableZones(lb string, zones ...string) ([]string, error) {
	out, err := e.elb.DisableAvailabilityZonesForLoadBalancer(e.ctx, &elb.DisableAvailabilityZonesForLoadBalancerInput{
		LoadBalancerName: aws.String(lb), AvailabilityZones: zones})
	if err != nil {
		return nil, err
	}
	return out.AvailabilityZones, nil
}

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

// vpcWithSubnets creates a VPC with one subnet per zone a, b, c and returns the subnet ids.
func (e *env) vpcWithSubnets(cidr string, subnets ...string) (string, []string) {
	e.t.Helper()
	v := must[*ec2.CreateVpcOutput](e.t)(e.ec2.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)}))
	var ids []string
	for i, sc := range subnets {
		s := must[*ec2.CreateSubnetOutput](e.t)(e.ec2.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId,
			CidrBlock: aws.String(sc), AvailabilityZone: aws.String(e.srv.h.st.zones[i%3])}))
		ids = append(ids, aws.ToString(s.Subnet.SubnetId))
	}
	return aws.ToString(v.Vpc.VpcId), ids
}

func TestAttachDetachSubnets(t *testing.T) {
	e := newEnv(t, Options{})
	_, subs := e.vpcWithSubnets("10.2.0.0/16", "10.2.0.0/24", "10.2.1.0/24", "10.2.2.0/24", "10.2.3.0/24")
	_, foreign := e.vpcWithSubnets("10.3.0.0/16", "10.3.0.0/24")
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("vpc-lb"), Listeners: httpListener, Subnets: subs[:1]}))
	attach := func(ids ...string) ([]string, error) {
		out, err := e.elb.AttachLoadBalancerToSubnets(e.ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("vpc-lb"), Subnets: ids})
		if err != nil {
			return nil, err
		}
		return out.Subnets, nil
	}
	detach := func(ids ...string) ([]string, error) {
		out, err := e.elb.DetachLoadBalancerFromSubnets(e.ctx, &elb.DetachLoadBalancerFromSubnetsInput{LoadBalancerName: aws.String("vpc-lb"), Subnets: ids})
		if err != nil {
			return nil, err
		}
		return out.Subnets, nil
	}
	got := must[[]string](t)(attach(subs[1], subs[2]))
	if !sameSet(got, subs[:3]) {
		t.Errorf("Attach answered %v, want %v", got, subs[:3])
	}
	got = must[[]string](t)(attach(subs[1])) // idempotent
	if !sameSet(got, subs[:3]) {
		t.Errorf("re-attach answered %v", got)
	}
	_, err := attach(foreign[0])
	wantCode(t, err, "InvalidConfigurationRequest", 409)
	_, err = attach(subs[3]) // second subnet in zone a
	wantCode(t, err, "InvalidConfigurationRequest", 409)
	_, err = attach("subnet-0123456789abcdef0")
	wantCode(t, err, "SubnetNotFound", 400)
	got = must[[]string](t)(detach(subs[0], subs[1]))
	if !slices.Equal(got, subs[2:3]) {
		t.Errorf("Detach answered %v, want %v", got, subs[2:3])
	}
	_, err = detach(subs[2])
	wantCode(t, err, "InvalidConfigurationRequest", 409)
	// Zones of a non-default VPC load balancer are managed through subnets only.
	_, err = e.enableZones("vpc-lb", "us-east-1a")
	wantCode(t, err, "ValidationError", 400)
	_, err = e.disableZones("vpc-lb", "us-east-1c")
	wantCode(t, err, "ValidationError", 400)
	_, err = e.elb.AttachLoadBalancerToSubnets(e.ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("nope"), Subnets: subs[:1]})
	wantCode(t, err, "LoadBalancerNotFound", 400)
}
