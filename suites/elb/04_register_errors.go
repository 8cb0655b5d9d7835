package elb

import (
	"errors"

	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
)

// Which instances RegisterInstancesWithLoadBalancer refuses, and what a
// refused call leaves behind. The documentation requires "a running instance
// in the same network as the load balancer"; the model's only instance error
// is InvalidEndPointException (wire code InvalidInstance, HTTP 400).
var _ = Describe("RegisterInstancesWithLoadBalancer: instances it refuses", func() {
	var lb, zone string
	BeforeEach(func(ctx SpecContext) {
		zone = f.Zones(ctx, 1)[0]
		lb = f.CreateLoadBalancer(ctx, zone)
	})

	// expectRefused asserts the documented refusal and that the instance
	// never joins the membership.
	expectRefused := func(ctx SpecContext, id string, err error) {
		GinkgoHelper()
		Expect(err).To(match.APIError(400, "InvalidInstance"))
		var invalid *elbtypes.InvalidEndPointException
		Expect(errors.As(err, &invalid)).To(BeTrue(), "the SDK maps InvalidInstance to InvalidEndPointException; got %T", err)
		Consistently(f.Members).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).ShouldNot(ContainElement(id), "a refused instance must never join the membership")
	}

	It("refuses an instance ID that does not exist with InvalidEndPointException (InvalidInstance, HTTP 400)", Behaviour("REG-ERR-UNKNOWN-INSTANCE"), func(ctx SpecContext) {
		unknown := fixtures.UnknownInstanceID()
		_, err := f.Register(ctx, lb, unknown)
		expectRefused(ctx, unknown, err)
	})

	It("refuses a terminated instance with InvalidInstance", WaitsOnAWSClocks, Behaviour("REG-ERR-TERMINATED-INSTANCE"), func(ctx SpecContext) {
		id := f.LaunchInstance(ctx, zone)
		f.Terminate(ctx, id)

		_, err := f.Register(ctx, lb, id)
		expectRefused(ctx, id, err)
	})

	It("refuses a stopped instance with InvalidInstance", WaitsOnAWSClocks, Behaviour("REG-ERR-STOPPED-INSTANCE"), func(ctx SpecContext) {
		id := f.LaunchInstance(ctx, zone)
		f.Stop(ctx, id)

		_, err := f.Register(ctx, lb, id)
		expectRefused(ctx, id, err)
	})

	It("refuses an instance in another VPC with InvalidInstance", WaitsOnAWSClocks, Behaviour("REG-ERR-OTHER-VPC-INSTANCE"), func(ctx SpecContext) {
		id := f.LaunchInstanceInOtherVPC(ctx, zone)

		_, err := f.Register(ctx, lb, id)
		expectRefused(ctx, id, err)
	})

	It("leaves no trace of a refused call: an unknown instance sent alone never appears, and the members stay", Behaviour("REG-ERR-NO-TRACE"), func(ctx SpecContext) {
		member := f.RunningInstance(ctx, zone)
		f.Registered(ctx, lb, member)
		unknown := fixtures.UnknownInstanceID()

		if _, err := f.Register(ctx, lb, unknown); err == nil {
			fixtures.BlockedBy("REG-ERR-UNKNOWN-INSTANCE", "registering %s, which does not exist, was not refused", unknown)
		}
		Eventually(f.Members).WithContext(ctx).WithArguments(lb).Should(ConsistOf(member))
		Consistently(f.Members).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(ConsistOf(member))
	})

	It("leaves no trace of a refused call: an unknown instance sent beside a valid one never appears", Behaviour("REG-ERR-NO-TRACE"), func(ctx SpecContext) {
		valid := f.RunningInstance(ctx, zone)
		unknown := fixtures.UnknownInstanceID()

		if _, err := f.Register(ctx, lb, valid, unknown); err == nil {
			fixtures.BlockedBy("REG-ERR-UNKNOWN-INSTANCE", "registering %s, which does not exist, beside %s was not refused", unknown, valid)
		}
		// Whether the valid instance of a refused call is registered is not
		// documented, so only the unknown one is checked.
		Consistently(func(g Gomega) {
			g.Expect(f.Members(ctx, lb)).NotTo(ContainElement(unknown), "DescribeLoadBalancers' members")
			g.Expect(f.Health(ctx, lb)).NotTo(HaveKey(unknown), "DescribeInstanceHealth")
		}).WithContext(ctx).WithTimeout(settle()).Should(Succeed())
	})
})
