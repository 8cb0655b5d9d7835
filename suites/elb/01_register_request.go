package elb

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
	"github.com/elbconform/elbconform/harness/wire"
)

// What a RegisterInstancesWithLoadBalancer request must contain.
var _ = Describe("RegisterInstancesWithLoadBalancer: the request", func() {
	var lb, zone string
	BeforeEach(func(ctx SpecContext) {
		zone = f.Zones(ctx, 1)[0]
		lb = f.CreateLoadBalancer(ctx, zone)
	})

	It("requires LoadBalancerName: the SDK refuses to send a request without it, and the server refuses one with a 400 Sender validation error", Behaviour("REG-REQ-REQUIRED"), func(ctx SpecContext) {
		id := f.RunningInstance(ctx, zone)

		_, err := f.ELB.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{Instances: fixtures.InstanceList(id)})
		Expect(err).To(match.RefusedBySDK(), "the SDK validates required members from the service model")

		form := wire.ELBRequest("RegisterInstancesWithLoadBalancer")
		form.Set("Instances.member.1.InstanceId", id)
		expectValidationError(f.Wire.Do(ctx, form))
	})

	It("requires Instances: a request without them is refused with a 400 Sender validation error and changes nothing", Behaviour("REG-REQ-REQUIRED"), func(ctx SpecContext) {
		member := f.RunningInstance(ctx, zone)
		f.Registered(ctx, lb, member)
		f.AwaitMembers(ctx, lb, member)

		_, err := f.ELB.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String(lb)})
		Expect(err).To(match.RefusedBySDK(), "the SDK validates required members from the service model")

		form := wire.ELBRequest("RegisterInstancesWithLoadBalancer")
		form.Set("LoadBalancerName", lb)
		expectValidationError(f.Wire.Do(ctx, form))
		Consistently(f.Members).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(ConsistOf(member), "the refused request must not change the membership")
	})

	It("registers one instance per call", Behaviour("REG-REQ-MULTI"), func(ctx SpecContext) {
		id := f.RunningInstance(ctx, zone)
		_, err := f.Register(ctx, lb, id)
		Expect(err).NotTo(HaveOccurred())
		Eventually(f.Members).WithContext(ctx).WithArguments(lb).Should(ConsistOf(id))
	})

	It("registers many instances in one call", Behaviour("REG-REQ-MULTI"), func(ctx SpecContext) {
		ids := f.RunningInstances(ctx, zone, 3)
		_, err := f.Register(ctx, lb, ids...)
		Expect(err).NotTo(HaveOccurred())
		Eventually(f.Members).WithContext(ctx).WithArguments(lb).Should(ConsistOf(ids))
	})
})

// expectValidationError asserts the answer to a request missing a required
// parameter. ELB Classic answers ValidationError; the common-errors list also
// documents MissingParameter for this case, so either is conformant.
func expectValidationError(res *wire.Response, err error) {
	GinkgoHelper()
	Expect(err).NotTo(HaveOccurred())
	Expect(res).To(match.ELBError(400, "ValidationError", "MissingParameter"))
}
