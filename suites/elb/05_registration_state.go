package elb

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// registrationInProgress is the InstanceState description of an instance
// whose registration is in progress (API reference, InstanceState).
const registrationInProgress = "Instance registration is still in progress."

// "The call completes when the request has been registered. Instance
// registration takes a little time to complete." Every check of state after
// a call therefore waits, with the profile's patience, for it to show.
var _ = Describe("Registration state", func() {
	var lb, zone string
	BeforeEach(func(ctx SpecContext) {
		zone = f.Zones(ctx, 1)[0]
		lb = f.CreateLoadBalancer(ctx, zone)
	})

	It("becomes visible in DescribeLoadBalancers", Behaviour("REG-VISIBLE-DESCRIBE"), func(ctx SpecContext) {
		ids := f.RunningInstances(ctx, zone, 2)
		_, err := f.Register(ctx, lb, ids...)
		Expect(err).NotTo(HaveOccurred())

		Eventually(f.Members).WithContext(ctx).WithArguments(lb).Should(ConsistOf(ids))
	})

	It("becomes visible in DescribeInstanceHealth", Behaviour("REG-VISIBLE-HEALTH"), func(ctx SpecContext) {
		ids := f.RunningInstances(ctx, zone, 2)
		_, err := f.Register(ctx, lb, ids...)
		Expect(err).NotTo(HaveOccurred())

		Eventually(f.Health).WithContext(ctx).WithArguments(lb).Should(SatisfyAll(HaveKey(ids[0]), HaveKey(ids[1])))
	})

	It("brings a running instance in an enabled zone InService", Behaviour("HEALTH-INSERVICE"), func(ctx SpecContext) {
		id := f.RunningInstance(ctx, zone)
		f.Registered(ctx, lb, id)

		Eventually(f.State).WithContext(ctx).WithArguments(lb, id).Should(Equal("InService"))
	})

	It("takes an instance whose health-check target does not answer OutOfService with reason code Instance, with the default health check", WaitsOnAWSClocks, Behaviour("HEALTH-CHECK-UNANSWERED"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)
		id := f.LaunchInstanceWithNothingListening(ctx, zone)
		f.Registered(ctx, lb, id)

		expectNeverInServiceUntilFailed(ctx, lb, id)
	})

	It("takes an instance whose health-check target does not answer OutOfService with reason code Instance, with a configured health check", WaitsOnAWSClocks, Behaviour("HEALTH-CHECK-UNANSWERED"), func(ctx SpecContext) {
		id := f.LaunchInstanceWithNothingListening(ctx, zone)
		f.Registered(ctx, lb, id)

		expectNeverInServiceUntilFailed(ctx, lb, id)
	})

	It("reports only documented states and reason codes, and InService with reason code N/A, all along the way", Behaviour("HEALTH-STATE-VALUES"), func(ctx SpecContext) {
		id := f.RunningInstance(ctx, zone)
		f.Registered(ctx, lb, id)

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
			// Descriptions are informative and not asserted, but where the answer
			// says registration is in progress, the pair is the documented one.
			if aws.ToString(s.Description) == registrationInProgress {
				Expect(aws.ToString(s.State)).To(Equal("OutOfService"), "State of %s while %q", aws.ToString(s.InstanceId), registrationInProgress)
				if s.ReasonCode != nil {
					Expect(aws.ToString(s.ReasonCode)).To(Equal("ELB"), "ReasonCode of %s while %q", aws.ToString(s.InstanceId), registrationInProgress)
				}
			}
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

// reasonOf is an instance's State/ReasonCode pair as DescribeInstanceHealth
// reports it.
func reasonOf(ctx context.Context, lb, id string) (string, error) {
	states, err := f.Health(ctx, lb, id)
	s := states[id]
	return aws.ToString(s.State) + "/" + aws.ToString(s.ReasonCode), err
}

// expectNeverInServiceUntilFailed waits for an instance that fails every
// health check to be reported OutOfService with reason code Instance, and
// checks it is never InService on the way or for a while after.
func expectNeverInServiceUntilFailed(ctx context.Context, lb, id string) {
	GinkgoHelper()
	Eventually(func() (string, error) {
		got, err := reasonOf(ctx, lb, id)
		if strings.HasPrefix(got, "InService/") {
			StopTrying(fmt.Sprintf("%s, whose health-check target does not answer, was reported %s", id, got)).Now()
		}
		return got, err
	}).WithContext(ctx).Should(Equal("OutOfService/Instance"), "nothing listens on %s", id)
	Consistently(f.State).WithContext(ctx).WithArguments(lb, id).WithTimeout(settle()).Should(Equal("OutOfService"))
}
