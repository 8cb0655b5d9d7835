package elb

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Registration is not only bookkeeping: a registered instance "starts
// receiving traffic and requests from the load balancer" once it passes its
// health checks, and only healthy instances in enabled zones receive any.
// Each backend answers with its instance ID, so a request says who served it.
var _ = Describe("Traffic through the load balancer", func() {
	const sample = 20 // requests per look at who serves traffic

	var lb, zoneA, zoneB string
	BeforeEach(func(ctx SpecContext) {
		zones := f.Zones(ctx, 2)
		zoneA, zoneB = zones[0], zones[1]
		lb = f.CreateLoadBalancer(ctx, zoneA)
	})

	// served spreads a sample over the load balancer's nodes, as its DNS name
	// spreads clients: the node of a newly enabled zone is one of them.
	served := func(ctx context.Context) map[string]int { return f.Traffic(ctx, lb, sample) }

	// registerWatchingTraffic registers the backends and, until each is
	// InService, checks that none of them serves a request while
	// DescribeInstanceHealth reports it OutOfService before and after the
	// look (so that a change of state during the look is not held against
	// the target).
	registerWatchingTraffic := func(ctx SpecContext, ids ...string) {
		GinkgoHelper()
		f.Registered(ctx, lb, ids...)
		Eventually(func(g Gomega) {
			before, err := f.Health(ctx, lb, ids...)
			g.Expect(err).NotTo(HaveOccurred())
			got := served(ctx)
			after, err := f.Health(ctx, lb, ids...)
			g.Expect(err).NotTo(HaveOccurred())
			for _, id := range ids {
				if aws.ToString(before[id].State) == "OutOfService" && aws.ToString(after[id].State) == "OutOfService" && got[id] > 0 {
					StopTrying(fmt.Sprintf("%s served %d of %d requests while OutOfService [DATA-OUTOFSERVICE-NONE]", id, got[id], sample)).Now()
				}
				g.Expect(aws.ToString(after[id].State)).To(Equal("InService"), "%s", id)
			}
		}).WithContext(ctx).Should(Succeed())
	}

	It("reaches a newly registered instance once it is InService, and every InService member serves some of it",
		Behaviour("DATA-INSERVICE-RECEIVES"), Behaviour("DATA-OUTOFSERVICE-NONE"), func(ctx SpecContext) {
			ids := f.RunningInstances(ctx, zoneA, 2)
			registerWatchingTraffic(ctx, ids...)

			Eventually(served).WithContext(ctx).Should(SatisfyAll(HaveKey(ids[0]), HaveKey(ids[1])), "each InService member serves some requests")
		})

	It("stops reaching a deregistered instance",
		Behaviour("DATA-DEREGISTERED-NONE"), Behaviour("DATA-OUTOFSERVICE-NONE"), func(ctx SpecContext) {
			ids := f.RunningInstances(ctx, zoneA, 2)
			registerWatchingTraffic(ctx, ids...)
			Eventually(served).WithContext(ctx).Should(HaveKey(ids[0]))

			f.Deregistered(ctx, lb, ids[0])

			Eventually(served).WithContext(ctx).ShouldNot(HaveKey(ids[0]))
			Consistently(served).WithContext(ctx).WithTimeout(settle()).Should(SatisfyAll(Not(HaveKey(ids[0])), HaveKey(ids[1])))
		})

	It("does not reach an instance in a zone the load balancer has not enabled, and reaches it once the zone is enabled",
		Behaviour("DATA-ZONE-NOT-ENABLED"), Behaviour("DATA-OUTOFSERVICE-NONE"), func(ctx SpecContext) {
			inA := f.RunningInstance(ctx, zoneA)
			inB := f.RunningInstance(ctx, zoneB)
			registerWatchingTraffic(ctx, inA)
			f.Registered(ctx, lb, inB)

			Consistently(served).WithContext(ctx).WithTimeout(settle()).Should(SatisfyAll(Not(HaveKey(inB)), HaveKey(inA)),
				"%s is in %s, which %s has not enabled", inB, zoneB, lb)

			_, err := f.ELB.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String(lb), AvailabilityZones: []string{zoneB}})
			Expect(err).NotTo(HaveOccurred())
			Eventually(f.State).WithContext(ctx).WithArguments(lb, inB).Should(Equal("InService"))
			Eventually(served).WithContext(ctx).Should(HaveKey(inB))
		})

	It("sends no traffic to a registered instance whose health-check target does not answer, which is OutOfService with reason code Instance, while a healthy member serves every request",
		WaitsOnAWSClocks, Behaviour("DATA-UNANSWERED-NONE"), func(ctx SpecContext) {
			well := f.RunningInstance(ctx, zoneA)
			silent := f.LaunchInstanceWithNothingListening(ctx, zoneA)
			f.Registered(ctx, lb, well, silent)

			Eventually(reasonOf).WithContext(ctx).WithArguments(lb, silent).Should(Equal("OutOfService/Instance"), "nothing listens on %s", silent)
			Eventually(f.State).WithContext(ctx).WithArguments(lb, well).Should(Equal("InService"))
			// A request routed to the silent instance fails (HTTP 5xx or a
			// dropped connection), so the healthy one must serve all of them; one
			// in ten may fail on the way for other reasons (the network, DNS).
			Consistently(func() int { return served(ctx)[well] }).WithContext(ctx).WithTimeout(settle()).Should(BeNumerically(">=", sample*9/10),
				"requests of %d served by %s, the only healthy member", sample, well)
		})

	It("takes an instance that fails its health check out of service with reason code Instance and stops reaching it, and reaches it again once it recovers",
		Behaviour("DATA-HEALTH-CHECK"), Behaviour("DATA-OUTOFSERVICE-NONE"), func(ctx SpecContext) {
			backends := f.LaunchBackedInstances(ctx, zoneA, 2)
			sick, well := backends[0], backends[1]
			registerWatchingTraffic(ctx, sick.InstanceID, well.InstanceID)

			sick.SetHealthy(false)
			Eventually(func() (string, error) {
				states, err := f.Health(ctx, lb, sick.InstanceID)
				s := states[sick.InstanceID]
				return aws.ToString(s.State) + "/" + aws.ToString(s.ReasonCode), err
			}).WithContext(ctx).Should(Equal("OutOfService/Instance"))
			Eventually(served).WithContext(ctx).ShouldNot(HaveKey(sick.InstanceID))
			Consistently(served).WithContext(ctx).WithTimeout(settle()).Should(SatisfyAll(Not(HaveKey(sick.InstanceID)), HaveKey(well.InstanceID)))

			sick.SetHealthy(true)
			Eventually(f.State).WithContext(ctx).WithArguments(lb, sick.InstanceID).Should(Equal("InService"))
			Eventually(served).WithContext(ctx).Should(HaveKey(sick.InstanceID))
		})
})
