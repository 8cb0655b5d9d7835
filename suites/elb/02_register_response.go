package elb

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/harness/match"
)

// What RegisterInstancesWithLoadBalancer answers. List order is never
// asserted: the documentation does not promise one.
var _ = Describe("RegisterInstancesWithLoadBalancer: the answer", func() {
	var lb, zone string
	BeforeEach(func(ctx SpecContext) {
		zone = f.Zones(ctx, 1)[0]
		lb = f.CreateLoadBalancer(ctx, zone)
	})

	It("lists the whole membership after the call, not just the instances sent: a load balancer with two members gets a third and answers all three", Behaviour("REG-RESP-MEMBERSHIP"), func(ctx SpecContext) {
		ids := f.RunningInstances(ctx, zone, 3)
		Expect(f.Register(ctx, lb, ids[0], ids[1])).To(ConsistOf(ids[0], ids[1]))

		Expect(f.Register(ctx, lb, ids[2])).To(ConsistOf(ids[0], ids[1], ids[2]))
	})

	It("lists earlier members registered in separate calls", Behaviour("REG-RESP-MEMBERSHIP"), func(ctx SpecContext) {
		ids := f.RunningInstances(ctx, zone, 3)
		for i := range ids {
			Expect(f.Register(ctx, lb, ids[i])).To(ConsistOf(ids[:i+1]), "after registering %d of %d", i+1, len(ids))
		}
		Eventually(f.Members).WithContext(ctx).WithArguments(lb).Should(ConsistOf(ids))
	})

	It("accepts an instance that is already registered, without failing and without listing it twice", Behaviour("REG-IDEMPOTENT"), func(ctx SpecContext) {
		ids := f.RunningInstances(ctx, zone, 2)
		f.Registered(ctx, lb, ids...)

		// Whether the answer lists the whole membership is REG-RESP-MEMBERSHIP's
		// promise; here it must only not list anything twice.
		members, err := f.Register(ctx, lb, ids[0])
		Expect(err).NotTo(HaveOccurred(), "registering %s again", ids[0])
		Expect(members).To(match.HaveNoDuplicates(), "the answer to registering %s again", ids[0])
		Eventually(f.Members).WithContext(ctx).WithArguments(lb).Should(ConsistOf(ids))
		Consistently(f.Members).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(ConsistOf(ids))
	})

	It("keeps an instance named twice in one request once in the membership, or refuses the request with a 400 client error and changes nothing", Behaviour("REG-DUP-IN-REQUEST"), func(ctx SpecContext) {
		id := f.RunningInstance(ctx, zone)

		members, err := f.Register(ctx, lb, id, id)
		if err != nil {
			// No source shows AWS's answer to such a request; refusing it
			// outright keeps the promise too, if nothing changes.
			Expect(err).To(match.ClientError(400), "a refusal of the request is a 400 client error")
			Consistently(f.Members).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).ShouldNot(ContainElement(id), "a refused request must not change the membership")
			return
		}
		Expect(members).To(match.HaveNoDuplicates(), "the answer to registering %s twice in one request", id)
		Eventually(f.Members).WithContext(ctx).WithArguments(lb).Should(ConsistOf(id))
		Consistently(f.Members).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(ConsistOf(id))
	})
})
