package elb

import (
	"context"
	"errors"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/harness/match"
	"github.com/elbconform/elbconform/harness/wire"
)

// Every operation that names a load balancer refuses an unknown one with
// AccessPointNotFoundException: wire code LoadBalancerNotFound, HTTP 400,
// type Sender, with a request id. Each entry checks the SDK's view (the
// modelled exception) and the wire (the error envelope).
var _ = Describe("An unknown load balancer", func() {
	type call func(ctx context.Context, lb, instance string) error

	DescribeTable("is refused with AccessPointNotFoundException (LoadBalancerNotFound, HTTP 400, Sender, request id)",
		func(ctx SpecContext, sendsInstance bool, sdkCall call, rawRequest func(lb, instance string) url.Values) {
			lb := f.UnknownLoadBalancerName()
			// A real, running instance, so that the load balancer is the only
			// thing wrong with the request.
			instance := ""
			if sendsInstance {
				instance = f.RunningInstance(ctx, f.Zones(ctx, 1)[0])
			}

			err := sdkCall(ctx, lb, instance)
			Expect(err).To(match.APIError(400, "LoadBalancerNotFound"))
			var notFound *elbtypes.AccessPointNotFoundException
			Expect(errors.As(err, &notFound)).To(BeTrue(), "the SDK maps LoadBalancerNotFound to AccessPointNotFoundException; got %T", err)

			Expect(f.Wire.Do(ctx, rawRequest(lb, instance))).To(match.ELBError(400, "LoadBalancerNotFound"))
		},
		Entry("by RegisterInstancesWithLoadBalancer", Behaviour("REG-ERR-LB-NOT-FOUND"), true,
			call(func(ctx context.Context, lb, id string) error { _, err := f.Register(ctx, lb, id); return err }),
			withInstance("RegisterInstancesWithLoadBalancer")),
		Entry("by DeregisterInstancesFromLoadBalancer", Behaviour("DEREG-ERR-LB-NOT-FOUND"), true,
			call(func(ctx context.Context, lb, id string) error { _, err := f.Deregister(ctx, lb, id); return err }),
			withInstance("DeregisterInstancesFromLoadBalancer")),
		Entry("by DescribeInstanceHealth", Behaviour("HEALTH-ERR-LB-NOT-FOUND"), false,
			call(func(ctx context.Context, lb, _ string) error { _, err := f.Health(ctx, lb); return err }),
			byName("DescribeInstanceHealth")),
		Entry("by DescribeLoadBalancers", Behaviour("DESC-ERR-LB-NOT-FOUND"), false,
			call(func(ctx context.Context, lb, _ string) error {
				_, err := f.ELB.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{lb}})
				return err
			}),
			describeByName),
		Entry("by ConfigureHealthCheck", Behaviour("HC-ERR-LB-NOT-FOUND"), false,
			call(func(ctx context.Context, lb, _ string) error {
				_, err := f.ELB.ConfigureHealthCheck(ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String(lb), HealthCheck: &elbtypes.HealthCheck{
					Target: aws.String("HTTP:80/"), Interval: aws.Int32(30), Timeout: aws.Int32(5), HealthyThreshold: aws.Int32(3), UnhealthyThreshold: aws.Int32(2),
				}})
				return err
			}),
			healthCheckRequest),
	)
})

// The raw requests, as the SDK would send them.

func byName(action string) func(lb, _ string) url.Values {
	return func(lb, _ string) url.Values {
		form := wire.ELBRequest(action)
		form.Set("LoadBalancerName", lb)
		return form
	}
}

func withInstance(action string) func(lb, id string) url.Values {
	return func(lb, id string) url.Values {
		form := byName(action)(lb, id)
		form.Set("Instances.member.1.InstanceId", id)
		return form
	}
}

// DescribeLoadBalancers names load balancers in a list.
func describeByName(lb, _ string) url.Values {
	form := wire.ELBRequest("DescribeLoadBalancers")
	form.Set("LoadBalancerNames.member.1", lb)
	return form
}

func healthCheckRequest(lb, _ string) url.Values {
	form := byName("ConfigureHealthCheck")(lb, "")
	form.Set("HealthCheck.Target", "HTTP:80/")
	form.Set("HealthCheck.Interval", "30")
	form.Set("HealthCheck.Timeout", "5")
	form.Set("HealthCheck.HealthyThreshold", "3")
	form.Set("HealthCheck.UnhealthyThreshold", "2")
	return form
}
