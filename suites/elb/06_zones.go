package elb

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/harness/match"
)

// Availability zones decide which registered instances serve: "If an
// Availability Zone is added to the load balancer later, any instances
// registered with the load balancer move to the InService state."
var _ = Describe("Availability zones", func() {
	var zoneA, zoneB string
	BeforeEach(func(ctx SpecContext) {
		zones := f.Zones(ctx, 2)
		zoneA, zoneB = zones[0], zones[1]
	})

	zonesOf := func(ctx SpecContext, lb string) ([]string, error) {
		d, err := f.Describe(ctx, lb)
		return d.AvailabilityZones, err
	}

	It("keeps an instance in a zone the load balancer has not enabled out of service, and brings it InService once the zone is enabled", Behaviour("HEALTH-ZONE-NOT-ENABLED"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zoneA)
		inEnabled, inOther := f.RunningInstance(ctx, zoneA), f.RunningInstance(ctx, zoneB)
		f.Registered(ctx, lb, inEnabled, inOther)

		// The instance in the enabled zone shows when registration is done;
		// from then on the other must stay out of service.
		f.AwaitInService(ctx, lb, inEnabled)
		Consistently(f.State).WithContext(ctx).WithArguments(lb, inOther).WithTimeout(settle()).ShouldNot(Equal("InService"),
			"%s is in %s, which %s has not enabled", inOther, zoneB, lb)

		_, err := f.ELB.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String(lb), AvailabilityZones: []string{zoneB}})
		Expect(err).NotTo(HaveOccurred())
		Eventually(f.State).WithContext(ctx).WithArguments(lb, inOther).Should(Equal("InService"))
	})

	It("takes an instance out of service when its zone is disabled, and keeps it registered", Behaviour("HEALTH-ZONE-DISABLED"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zoneA, zoneB)
		id := f.RunningInstance(ctx, zoneB)
		f.Registered(ctx, lb, id)
		f.AwaitInService(ctx, lb, id)
		f.AwaitMembers(ctx, lb, id)

		_, err := f.ELB.DisableAvailabilityZonesForLoadBalancer(ctx, &elb.DisableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String(lb), AvailabilityZones: []string{zoneB}})
		Expect(err).NotTo(HaveOccurred())

		Eventually(f.State).WithContext(ctx).WithArguments(lb, id).Should(Equal("OutOfService"))
		Consistently(f.Members).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(ContainElement(id), "disabling a zone does not deregister its instances")
	})

	It("answers the whole zone list after enabling a zone", Behaviour("AZ-ENABLE-ANSWERS-ZONES"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zoneA)

		out, err := f.ELB.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String(lb), AvailabilityZones: []string{zoneB}})
		Expect(err).NotTo(HaveOccurred())
		Expect(out.AvailabilityZones).To(ConsistOf(zoneA, zoneB))
		Eventually(zonesOf).WithContext(ctx).WithArguments(lb).Should(ConsistOf(zoneA, zoneB))
	})

	It("answers the remaining zones after disabling a zone", Behaviour("AZ-DISABLE-ANSWERS-ZONES"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zoneA, zoneB)

		out, err := f.ELB.DisableAvailabilityZonesForLoadBalancer(ctx, &elb.DisableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String(lb), AvailabilityZones: []string{zoneB}})
		Expect(err).NotTo(HaveOccurred())
		Expect(out.AvailabilityZones).To(ConsistOf(zoneA))
		Eventually(zonesOf).WithContext(ctx).WithArguments(lb).Should(ConsistOf(zoneA))
	})

	It("refuses to disable the last zone, which stays enabled", Behaviour("AZ-DISABLE-LAST-REFUSED"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zoneA)

		_, err := f.ELB.DisableAvailabilityZonesForLoadBalancer(ctx, &elb.DisableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String(lb), AvailabilityZones: []string{zoneA}})
		Expect(err).To(HaveOccurred(), "there must be at least one zone at all times")
		Expect(match.Status(err)).To(BeNumerically(">=", 400), "a refusal of the request is a client error")
		Expect(match.Status(err)).To(BeNumerically("<", 500), "a refusal of the request is a client error")
		Consistently(zonesOf).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(ConsistOf(zoneA))
	})
})
