package elb

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
)

// DeregisterInstancesFromLoadBalancer "returns the remaining instances".
var _ = Describe("DeregisterInstancesFromLoadBalancer", func() {
	var lb, zone string
	var ids []string
	BeforeEach(func(ctx SpecContext) {
		zone = f.Zones(ctx, 1)[0]
		lb = f.CreateLoadBalancer(ctx, zone)
		ids = f.RunningInstances(ctx, zone, 3)
		f.Registered(ctx, lb, ids...)
	})

	It("removes the instance and answers the remaining members: deregistering one of three leaves two", Behaviour("DEREG-RESP-REMAINING"), func(ctx SpecContext) {
		Expect(f.Deregister(ctx, lb, ids[0])).To(ConsistOf(ids[1], ids[2]))
	})

	It("takes the instance out of DescribeLoadBalancers and DescribeInstanceHealth", Behaviour("DEREG-VISIBLE"), func(ctx SpecContext) {
		f.AwaitDescribed(ctx, lb, ids...)

		_, err := f.Deregister(ctx, lb, ids[0])
		Expect(err).NotTo(HaveOccurred())

		Eventually(f.Members).WithContext(ctx).WithArguments(lb).Should(ConsistOf(ids[1], ids[2]))
		Eventually(f.Health).WithContext(ctx).WithArguments(lb).Should(SatisfyAll(HaveLen(2), HaveKey(ids[1]), HaveKey(ids[2])))
	})

	It("never half-applies a call naming an instance that is not registered: either it is refused with InvalidInstance and removes nothing, or it succeeds and removes the registered ones", Behaviour("DEREG-NOT-REGISTERED"), func(ctx SpecContext) {
		// Reduce the membership to ids[1] and ids[2], so ids[0] exists but is
		// not registered.
		f.Deregistered(ctx, lb, ids[0])
		fixtures.Precondition(ctx, "DEREG-VISIBLE", "DescribeLoadBalancers never stopped listing "+ids[0]+" after its deregistration",
			func() ([]string, error) { return f.Members(ctx, lb) }, ConsistOf(ids[1], ids[2]))

		_, err := f.Deregister(ctx, lb, ids[1], ids[0])
		if err != nil {
			// AWS has been seen to refuse the whole call.
			Expect(err).To(match.APIError(400, "InvalidInstance"))
			Consistently(f.Members).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(ConsistOf(ids[1], ids[2]),
				"a refused call must remove nothing, not even %s which was registered", ids[1])
			return
		}
		// Older documentation: deregistering an unregistered instance has no
		// effect. (What the answer lists is DEREG-RESP-REMAINING's promise.)
		Eventually(f.Members).WithContext(ctx).WithArguments(lb).Should(ConsistOf(ids[2]))
	})
})
