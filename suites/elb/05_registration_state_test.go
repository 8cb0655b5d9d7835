package elb

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// "The call completes when the request has been registered. Instance
// registration takes a little time to complete." Every check of state after
// a call therefore waits, with the profile's patience, for it to show.
var _ = Describe("Registration state", func() {
	var lb, zone string
	BeforeEach(func(ctx SpecContext) {
		zone = f.Zones(ctx, 1)[0]
		lb = f.LoadBalancer(ctx, zone)
	})

	It("becomes visible in DescribeLoadBalancers [REG-VISIBLE-DESCRIBE]", Behaviour("REG-VISIBLE-DESCRIBE"), func(ctx SpecContext) {
		ids := f.Instances(ctx, zone, 2)
		_, err := f.Register(ctx, lb, ids...)
		Expect(err).NotTo(HaveOccurred())

		Eventually(f.Members).WithContext(ctx).WithArguments(lb).Should(ConsistOf(ids))
	})

	It("becomes visible in DescribeInstanceHealth [REG-VISIBLE-HEALTH]", Behaviour("REG-VISIBLE-HEALTH"), func(ctx SpecContext) {
		ids := f.Instances(ctx, zone, 2)
		_, err := f.Register(ctx, lb, ids...)
		Expect(err).NotTo(HaveOccurred())

		Eventually(f.Health).WithContext(ctx).WithArguments(lb).Should(SatisfyAll(HaveKey(ids[0]), HaveKey(ids[1])))
	})

	It("brings a running instance in an enabled zone InService [HEALTH-INSERVICE]", Behaviour("HEALTH-INSERVICE"), func(ctx SpecContext) {
		id := f.Instance(ctx, zone)
		_, err := f.Register(ctx, lb, id)
		Expect(err).NotTo(HaveOccurred())

		Eventually(f.State).WithContext(ctx).WithArguments(lb, id).Should(Equal("InService"))
	})

	It("reports only documented states and reason codes, and InService with reason code N/A, all along the way [HEALTH-STATE-VALUES]", Behaviour("HEALTH-STATE-VALUES"), func(ctx SpecContext) {
		id := f.Instance(ctx, zone)
		_, err := f.Register(ctx, lb, id)
		Expect(err).NotTo(HaveOccurred())

		// Record every state seen from registration to InService, then check
		// each against the InstanceState reference.
		var seen []elbtypes.InstanceState
		Eventually(func() (string, error) {
			states, err := f.Health(ctx, lb)
			for _, s := range states {
				seen = append(seen, s)
			}
			return aws.ToString(states[id].State), err
		}).WithContext(ctx).Should(Equal("InService"))

		Expect(seen).NotTo(BeEmpty())
		for _, s := range seen {
			Expect(aws.ToString(s.State)).To(BeElementOf("InService", "OutOfService", "Unknown"), "State of %s", aws.ToString(s.InstanceId))
			// ReasonCode is optional in the model; when present it has a
			// documented value, and N/A for an InService instance.
			if s.ReasonCode == nil {
				continue
			}
			Expect(aws.ToString(s.ReasonCode)).To(BeElementOf("ELB", "Instance", "N/A"), "ReasonCode of %s in state %s", aws.ToString(s.InstanceId), aws.ToString(s.State))
			if aws.ToString(s.State) == "InService" {
				Expect(aws.ToString(s.ReasonCode)).To(Equal("N/A"), "an InService instance has ReasonCode N/A")
			}
		}
	})
})
