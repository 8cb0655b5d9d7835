package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

func TestDeleteLoadBalancer(t *testing.T) {
	e := newEnv(t, Options{})
	// Deleting a load balancer that does not exist succeeds.
	must[*elb.DeleteLoadBalancerOutput](t)(e.elb.DeleteLoadBalancer(e.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("ghost")}))

	ids := e.launchRunning(2, "us-east-1a")
	e.createLB("gone", "us-east-1a")
	must[[]string](t)(e.register("gone", ids...))
	must[*elb.DeleteLoadBalancerOutput](t)(e.elb.DeleteLoadBalancer(e.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("gone")}))
	_, err := e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"gone"}})
	wantCode(t, err, "LoadBalancerNotFound", 400)
	// Recreated with the same name, it starts without members.
	e.createLB("gone", "us-east-1a")
	if m := e.members("gone"); len(m) != 0 {
		t.Errorf("recreated load balancer has members %v", m)
	}
	// Deleting twice is fine.
	for range 2 {
		must[*elb.DeleteLoadBalancerOutput](t)(e.elb.DeleteLoadBalancer(e.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("gone")}))
	}
}
