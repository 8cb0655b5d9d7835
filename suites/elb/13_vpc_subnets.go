package elb

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// A load balancer in a VPC other than the default one serves the zones of the
// subnets attached to it, and takes instances from its own VPC.
var _ = Describe("Load balancers in a VPC", func() {
	var subnets []string
	BeforeEach(func(ctx SpecContext) {
		_, subnets = f.CreateVPC(ctx, f.Zones(ctx, 2)...)
	})

	subnetsOf := func(ctx SpecContext, lb string) ([]string, error) {
		d, err := f.Describe(ctx, lb)
		return d.Subnets, err
	}

	It("registers an instance of the load balancer's own VPC, which reaches InService", WaitsOnAWSClocks, Behaviour("REG-VPC-INSTANCE"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancerInSubnets(ctx, subnets[0])
		id := f.LaunchInstanceInSubnet(ctx, subnets[0])

		_, err := f.Register(ctx, lb, id)
		Expect(err).NotTo(HaveOccurred(), "%s is in %s's own VPC", id, lb)
		Eventually(f.State).WithContext(ctx).WithArguments(lb, id).Should(Equal("InService"))
	})

	It("answers every attached subnet after attaching one", Behaviour("SUBNET-ATTACH-ANSWERS"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancerInSubnets(ctx, subnets[0])

		out, err := f.ELB.AttachLoadBalancerToSubnets(ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String(lb), Subnets: subnets[1:]})
		Expect(err).NotTo(HaveOccurred())
		Expect(out.Subnets).To(ConsistOf(subnets))
		Eventually(subnetsOf).WithContext(ctx).WithArguments(lb).Should(ConsistOf(subnets))
	})

	It("answers the remaining subnets after detaching one", Behaviour("SUBNET-DETACH-ANSWERS"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancerInSubnets(ctx, subnets...)

		out, err := f.ELB.DetachLoadBalancerFromSubnets(ctx, &elb.DetachLoadBalancerFromSubnetsInput{LoadBalancerName: aws.String(lb), Subnets: subnets[1:]})
		Expect(err).NotTo(HaveOccurred())
		Expect(out.Subnets).To(ConsistOf(subnets[0]))
		Eventually(subnetsOf).WithContext(ctx).WithArguments(lb).Should(ConsistOf(subnets[0]))
	})
})
