package emulator

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

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
