package elb

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/harness/match"
)

// Where a load balancer may serve: "You can add only one subnet per Availability Zone"
// (AttachLoadBalancerToSubnets), "The load balancer must have at least one subnet at all
// times", Enable/DisableAvailabilityZones only "for the specified load balancer in EC2-Classic
// or a default VPC. For load balancers in a non-default VPC, use AttachLoadBalancerToSubnets",
// and the zones must be zones of the region.
var _ = Describe("Parameter rules: zones and subnets", func() {
	subnetsOf := func(ctx SpecContext, lb string) ([]string, error) {
		d, err := f.Describe(ctx, lb)
		return d.Subnets, err
	}
	zonesOf := func(ctx SpecContext, lb string) ([]string, error) {
		d, err := f.Describe(ctx, lb)
		return d.AvailabilityZones, err
	}

	Context("in a VPC", func() {
		It("refuses to attach a second subnet in a zone that already has one with InvalidConfigurationRequest (HTTP 409), and keeps the subnets", Behaviour("SUBNET-ATTACH-SAME-ZONE"), func(ctx SpecContext) {
			zone := f.Zones(ctx, 1)[0]
			_, subnets := f.CreateVPC(ctx, zone, zone)
			lb := f.CreateLoadBalancerInSubnets(ctx, subnets[0])

			_, err := f.ELB.AttachLoadBalancerToSubnets(ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String(lb), Subnets: subnets[1:]})
			Expect(err).To(match.APIError(409, "InvalidConfigurationRequest"))
			Consistently(subnetsOf).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(ConsistOf(subnets[0]))
		})

		It("refuses to create a load balancer with two subnets in one zone with InvalidConfigurationRequest (HTTP 409)", Behaviour("SUBNET-CREATE-SAME-ZONE"), func(ctx SpecContext) {
			zone := f.Zones(ctx, 1)[0]
			_, subnets := f.CreateVPC(ctx, zone, zone)
			name := f.Name()

			_, err := f.TryCreateLoadBalancer(ctx, name, elb.CreateLoadBalancerInput{Subnets: subnets, Scheme: aws.String("internal")})
			Expect(err).To(match.APIError(409, "InvalidConfigurationRequest"))
			noneCreated(ctx, name)
		})

		It("refuses to detach the last subnet with InvalidConfigurationRequest (HTTP 409), and keeps it", Behaviour("SUBNET-DETACH-LAST-REFUSED"), func(ctx SpecContext) {
			_, subnets := f.CreateVPC(ctx, f.Zones(ctx, 1)...)
			lb := f.CreateLoadBalancerInSubnets(ctx, subnets...)

			_, err := f.ELB.DetachLoadBalancerFromSubnets(ctx, &elb.DetachLoadBalancerFromSubnetsInput{LoadBalancerName: aws.String(lb), Subnets: subnets})
			Expect(err).To(match.APIError(409, "InvalidConfigurationRequest"))
			Consistently(subnetsOf).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(ConsistOf(subnets))
		})

		It("refuses EnableAvailabilityZonesForLoadBalancer and DisableAvailabilityZonesForLoadBalancer on a load balancer outside the default VPC with ValidationError (HTTP 400)", Behaviour("AZ-VPC-REFUSED"), func(ctx SpecContext) {
			zones := f.Zones(ctx, 2)
			_, subnets := f.CreateVPC(ctx, zones...)
			lb := f.CreateLoadBalancerInSubnets(ctx, subnets[0])

			_, err := f.ELB.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String(lb), AvailabilityZones: zones[1:]})
			Expect(err).To(match.APIError(400, "ValidationError"), "enabling %s", zones[1])
			Consistently(subnetsOf).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(ConsistOf(subnets[0]))

			_, err = f.ELB.AttachLoadBalancerToSubnets(ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String(lb), Subnets: subnets[1:]})
			Expect(err).NotTo(HaveOccurred())
			Eventually(subnetsOf).WithContext(ctx).WithArguments(lb).Should(ConsistOf(subnets))
			_, err = f.ELB.DisableAvailabilityZonesForLoadBalancer(ctx, &elb.DisableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String(lb), AvailabilityZones: zones[1:]})
			Expect(err).To(match.APIError(400, "ValidationError"), "disabling %s", zones[1])
			Consistently(subnetsOf).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(ConsistOf(subnets))
		})
	})

	Context("in the default VPC", func() {
		It("refuses a zone that is not a zone of the region with a client error, in CreateLoadBalancer and EnableAvailabilityZonesForLoadBalancer, and changes nothing", Behaviour("AZ-UNKNOWN-ZONE"), func(ctx SpecContext) {
			zone := f.Zones(ctx, 1)[0]
			unknown := zone + "zz"
			// Which error is not captured for a name that is no zone (a zone Classic load
			// balancers do not support was answered 409 InvalidConfigurationRequest).
			refused := SatisfyAny(match.ClientError(400), match.ClientError(409))

			name := f.Name()
			_, err := f.TryCreateLoadBalancer(ctx, name, elb.CreateLoadBalancerInput{AvailabilityZones: []string{unknown}})
			Expect(err).To(refused, "CreateLoadBalancer in %s", unknown)

			lb := f.CreateLoadBalancer(ctx, zone)
			_, err = f.ELB.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String(lb), AvailabilityZones: []string{unknown}})
			Expect(err).To(refused, "EnableAvailabilityZonesForLoadBalancer %s", unknown)
			// Both refusals are watched in one window: nothing created, no zone added.
			Consistently(func(g Gomega) {
				g.Expect(f.LoadBalancersListed(ctx, name)).To(BeEmpty(), "the refused CreateLoadBalancer created %s", name)
				g.Expect(zonesOf(ctx, lb)).To(ConsistOf(zone), "the zones of %s", lb)
			}).WithContext(ctx).WithTimeout(settle()).Should(Succeed())
		})
	})
})
