package elb

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
	"github.com/elbconform/elbconform/harness/wire"
)

// The awsQuery wire protocol, seen through raw SigV4-signed requests: what
// any client, not only this SDK, may rely on. Element order, extra elements,
// message wording and the request-id format are left open, and not checked.
var _ = Describe("On the wire", func() {
	var lb, zone string
	BeforeEach(func(ctx SpecContext) {
		zone = f.Zones(ctx, 1)[0]
		lb = f.CreateLoadBalancer(ctx, zone)
	})

	It("answers a registration with HTTP 200 and XML RegisterInstancesWithLoadBalancerResponse in the 2012-06-01 namespace, with a Result and ResponseMetadata/RequestId", Behaviour("WIRE-RESPONSE-ENVELOPE"), func(ctx SpecContext) {
		id := f.RunningInstance(ctx, zone)

		Expect(f.RegisterOnTheWire(ctx, lb, id)).To(match.ELBResult("RegisterInstancesWithLoadBalancer"))
	})

	It("wraps each listed instance in a member element: Instances/member/InstanceId", Behaviour("WIRE-MEMBER-LISTS"), func(ctx SpecContext) {
		ids := f.RunningInstances(ctx, zone, 2)

		res, err := f.RegisterOnTheWire(ctx, lb, ids...)
		Expect(err).NotTo(HaveOccurred())
		Expect(res).To(match.ELBResult("RegisterInstancesWithLoadBalancer"))
		list := res.Doc.Find("RegisterInstancesWithLoadBalancerResult", "Instances")
		Expect(list).NotTo(BeNil(), "no RegisterInstancesWithLoadBalancerResult/Instances element in:\n%s", res.Body)
		members, bare := list.ChildrenNamed("member"), list.ChildrenNamed("InstanceId")
		if len(members) == 0 && len(bare) == 0 {
			// Which instances the answer lists is REG-RESP-MEMBERSHIP's promise;
			// with none listed there is no list item whose wrapping to check.
			fixtures.BlockedBy("REG-RESP-MEMBERSHIP", "the answer lists no instance after registering %v:\n%s", ids, res.Body)
		}
		Expect(bare).To(BeEmpty(), "InstanceId elements directly under Instances, without a member wrapper, in:\n%s", res.Body)
		for _, m := range members {
			Expect(m.Find("InstanceId")).NotTo(BeNil(), "a member without an InstanceId in:\n%s", res.Body)
		}
	})

	It("answers an error with the modelled status, XML ErrorResponse with Error/Type Sender, Code and Message, and a RequestId", Behaviour("WIRE-ERROR-ENVELOPE"), func(ctx SpecContext) {
		unknown := fixtures.UnknownInstanceID()
		res, err := f.RegisterOnTheWire(ctx, lb, unknown)
		Expect(err).NotTo(HaveOccurred())
		if res.Status < 300 {
			// The envelope can only be checked on an error answer.
			fixtures.BlockedBy("REG-ERR-UNKNOWN-INSTANCE", "registering %s, which does not exist, answered HTTP %d:\n%s", unknown, res.Status, res.Body)
		}
		Expect(res).To(match.ELBError(400, "InvalidInstance"))
	})

	It("refuses an unknown Action with HTTP 400 and InvalidAction", Behaviour("WIRE-UNKNOWN-ACTION"), func(ctx SpecContext) {
		res, err := f.Wire.Do(ctx, wire.ELBRequest("RegisterInstancesWithLoadBalancerPlease"))
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Status).To(Equal(400), "body:\n%s", res.Body)
		Expect(res.ErrorCode()).To(Equal("InvalidAction"), "body:\n%s", res.Body)
	})
})
