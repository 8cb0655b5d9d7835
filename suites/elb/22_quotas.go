package elb

import (
	"errors"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
)

// DescribeAccountLimits and the quotas it reports. The specs read the quotas
// the target reports (an account may have raised them) and count what the
// account already holds before filling one, so that they are safe on a real
// account: a quota they cannot reach by creating a few load balancers is
// reported skipped, with the reason. The specs that fill a quota need the Max as a
// precondition: where DescribeAccountLimits does not report it, they are blocked by
// QUOTA-LIMITS-MAX (f.AccountLimit), whose spec reports that failure.
var _ = Describe("Quotas", func() {
	var zone string
	BeforeEach(func(ctx SpecContext) { zone = f.Zones(ctx, 1)[0] })

	// tcpListeners are n TCP listeners on ports from 10000 up, to the instances' port 80.
	tcpListeners := func(from, n int) []elbtypes.Listener {
		ls := make([]elbtypes.Listener, n)
		for i := range ls {
			ls[i] = elbtypes.Listener{Protocol: aws.String("TCP"), LoadBalancerPort: int32(10000 + from + i), InstanceProtocol: aws.String("TCP"), InstancePort: aws.Int32(80)}
		}
		return ls
	}
	// refused is a refusal whose code the documentation leaves open: a client
	// error, 400 or 409 (InvalidConfigurationRequest).
	refused := SatisfyAny(match.ClientError(400), match.ClientError(409))
	// listenerBudget bounds the listeners a spec adds to reach the quota
	// (listeners cost nothing, but the calls take time).
	const listenerBudget = 200

	It("reports the classic-load-balancers, classic-listeners and classic-registered-instances quotas, each with a Max that is a positive whole number", Behaviour("QUOTA-LIMITS-MAX"), func(ctx SpecContext) {
		limits, err := f.AccountLimits(ctx)
		Expect(err).NotTo(HaveOccurred())

		for _, name := range []string{fixtures.LimitLoadBalancers, fixtures.LimitListeners, fixtures.LimitRegisteredInstance} {
			Expect(limits).To(HaveKey(name))
			n, err := strconv.Atoi(limits[name])
			Expect(err).NotTo(HaveOccurred(), "%s Max %q", name, limits[name])
			Expect(n).To(BeNumerically(">=", 1), "%s Max", name)
		}
	})

	It("creates load balancers while the region holds fewer than the classic-load-balancers Max, and refuses the next with TooManyAccessPointsException (TooManyLoadBalancers, HTTP 400)", Serial, Behaviour("QUOTA-LOAD-BALANCERS"), func(ctx SpecContext) {
		// Serial: the quota is the region's, shared with every other spec.
		quota := f.AccountLimit(ctx, fixtures.LimitLoadBalancers)
		existing, err := f.LoadBalancerCount(ctx)
		Expect(err).NotTo(HaveOccurred())
		need := max(quota-existing, 0)
		if need > f.QuotaBudget() {
			Skip("the region holds " + strconv.Itoa(existing) + " of its " + strconv.Itoa(quota) + " load balancers: reaching the quota would take creating " +
				strconv.Itoa(need) + ", more than the " + strconv.Itoa(f.QuotaBudget()) + " this target allows a spec")
		}
		count := func() (int, error) { return f.LoadBalancerCount(ctx) }

		// Others may create or delete load balancers in the account meanwhile (on
		// AWS): a refusal is right only once the region holds Max, and a creation
		// only while it held fewer.
		for i := 0; i <= need; i++ {
			lb := f.Name()
			_, err := f.TryCreateLoadBalancer(ctx, lb, fixtures.Placement([]string{zone}, nil))
			if err != nil {
				Expect(err).To(match.APIError(400, "TooManyLoadBalancers"), "creation %d of %d (the region held %d, Max %d)", i+1, need+1, existing, quota)
				var tooMany *elbtypes.TooManyAccessPointsException
				Expect(errors.As(err, &tooMany)).To(BeTrue(), "the SDK maps TooManyLoadBalancers to TooManyAccessPointsException; got %T", err)
				Eventually(count).WithContext(ctx).Should(BeNumerically(">=", quota), "refused while the region held fewer than the Max DescribeAccountLimits reports")
				_, err := f.Describe(ctx, lb)
				Expect(err).To(match.APIError(400, "LoadBalancerNotFound"), "the refused CreateLoadBalancer created %s", lb)
				return
			}
			Expect(count()).To(BeNumerically("<=", quota), "creation %d made the region hold more than the Max DescribeAccountLimits reports", i+1)
		}
		Fail("CreateLoadBalancer accepted " + strconv.Itoa(need+1) + " load balancers in a region that held " + strconv.Itoa(existing) + " of its Max " + strconv.Itoa(quota))
	})

	It("adds listeners up to the classic-listeners Max, and refuses one more with a client error (HTTP 400 or 409) and adds nothing", Behaviour("QUOTA-LISTENERS"), func(ctx SpecContext) {
		quota := f.AccountLimit(ctx, fixtures.LimitListeners)
		if quota > listenerBudget {
			Skip("the classic-listeners quota is " + strconv.Itoa(quota) + ": filling it would take more than the " + strconv.Itoa(listenerBudget) + " listeners this spec allows itself")
		}
		lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone) // one listener
		for added := 0; added < quota-1; added += 25 {
			Expect(f.CreateListeners(ctx, lb, tcpListeners(added, min(25, quota-1-added))...)).To(Succeed(), "listeners %d to %d of %d", added+2, min(added+26, quota), quota)
		}
		listeners := func() (int, error) {
			ls, err := f.Listeners(ctx, lb)
			return len(ls), err
		}
		Eventually(listeners).WithContext(ctx).Should(Equal(quota))

		Expect(f.CreateListeners(ctx, lb, tcpListeners(quota, 1)...)).To(refused)
		Consistently(listeners).WithContext(ctx).WithTimeout(settle()).Should(Equal(quota))
	})

	It("refuses CreateLoadBalancer with more listeners than the classic-listeners Max with a client error (HTTP 400 or 409) and creates nothing", Behaviour("QUOTA-LISTENERS-CREATE"), func(ctx SpecContext) {
		quota := f.AccountLimit(ctx, fixtures.LimitListeners)
		if quota+1 > listenerBudget {
			Skip("the classic-listeners quota is " + strconv.Itoa(quota) + ": the request would carry more than the " + strconv.Itoa(listenerBudget) + " listeners this spec allows itself")
		}
		lb := f.Name()

		_, err := f.TryCreateLoadBalancer(ctx, lb, elb.CreateLoadBalancerInput{AvailabilityZones: []string{zone}, Listeners: tcpListeners(0, quota+1)})
		Expect(err).To(refused)
		_, err = f.Describe(ctx, lb)
		Expect(err).To(match.APIError(400, "LoadBalancerNotFound"), "the refused CreateLoadBalancer created %s", lb)
	})

	It("reports a classic-registered-instances Max, the most instances a load balancer may have registered (what a call past it is answered is not checked)", Behaviour("QUOTA-REGISTERED-INSTANCES"), func(ctx SpecContext) {
		// No source says which error a registration past the quota gets, and
		// reaching it takes 1,000 instances: only the reported Max is checked. That
		// report is what this spec asserts, so DescribeAccountLimits is called here,
		// not through f.AccountLimit, which blocks the specs that only need a quota.
		limits, err := f.AccountLimits(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(limits).To(HaveKey(fixtures.LimitRegisteredInstance))
		n, err := strconv.Atoi(limits[fixtures.LimitRegisteredInstance])
		Expect(err).NotTo(HaveOccurred(), "%s Max %q", fixtures.LimitRegisteredInstance, limits[fixtures.LimitRegisteredInstance])
		Expect(n).To(BeNumerically(">=", 1), "%s Max", fixtures.LimitRegisteredInstance)
	})
})
