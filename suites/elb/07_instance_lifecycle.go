package elb

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// What happens to a registered instance when EC2 stops or terminates it.
var _ = Describe("Registered instances that stop or terminate", func() {
	var lb, zone, id string
	BeforeEach(func(ctx SpecContext) {
		zone = f.Zones(ctx, 1)[0]
		lb = f.CreateLoadBalancer(ctx, zone)
		id = f.LaunchInstance(ctx, zone)
		f.Registered(ctx, lb, id)
		f.AwaitInService(ctx, lb, id)
	})

	It("takes a stopped instance out of service", WaitsOnAWSClocks, Behaviour("HEALTH-STOPPED"), func(ctx SpecContext) {
		f.Stop(ctx, id)

		Eventually(f.State).WithContext(ctx).WithArguments(lb, id).Should(Equal("OutOfService"))
	})

	It("never again reports a terminated instance InService: it is OutOfService or no longer described", WaitsOnAWSClocks, Behaviour("HEALTH-TERMINATED"), func(ctx SpecContext) {
		f.Terminate(ctx, id)

		// "The state of terminated instances is not returned", so absence is
		// as good as OutOfService; asking for it by ID may even be refused.
		notInService := func() (string, error) {
			states, err := f.Health(ctx, lb)
			if err != nil {
				return "", err
			}
			if s, ok := states[id]; ok {
				return aws.ToString(s.State), nil
			}
			return "not described", nil
		}
		Eventually(notInService).WithContext(ctx).Should(BeElementOf("OutOfService", "not described"))
		Consistently(notInService).WithContext(ctx).WithTimeout(settle()).Should(BeElementOf("OutOfService", "not described"))
	})
})
