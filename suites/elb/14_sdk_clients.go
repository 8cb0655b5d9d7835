package elb

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
)

// What real clients rely on: the waiters and paginators the SDKs generate
// from the service model (botocore's waiters-2.json and paginators-1.json for
// elb 2012-06-01; aws-sdk-go-v2's service/elasticloadbalancing). Scripts,
// Terraform and CloudFormation-style tools wait with these, so a target whose
// answers never satisfy them hangs those tools even when each call looks right.
//
// Each waiter polls between the profile's polling interval and four times it
// (as the fixtures' EC2 waiters do) and gives up after the profile's timeout.
var _ = Describe("SDK waiters and paginators", func() {
	var zone string
	BeforeEach(func(ctx SpecContext) { zone = f.Zones(ctx, 1)[0] })

	health := func(lb string, ids ...string) *elb.DescribeInstanceHealthInput {
		return &elb.DescribeInstanceHealthInput{LoadBalancerName: aws.String(lb), Instances: fixtures.InstanceList(ids...)}
	}
	waitInService := func(ctx context.Context, lb string, ids ...string) error {
		w := elb.NewInstanceInServiceWaiter(f.ELB, func(o *elb.InstanceInServiceWaiterOptions) { o.MinDelay, o.MaxDelay = f.WaiterDelays() })
		return w.Wait(ctx, health(lb, ids...), f.Timeout())
	}
	waitDeregistered := func(ctx context.Context, lb string, ids ...string) error {
		w := elb.NewInstanceDeregisteredWaiter(f.ELB, func(o *elb.InstanceDeregisteredWaiterOptions) { o.MinDelay, o.MaxDelay = f.WaiterDelays() })
		return w.Wait(ctx, health(lb, ids...), f.Timeout())
	}

	It("lets the InstanceInService waiter finish once every named instance is InService", Behaviour("SDK-WAIT-INSERVICE"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		ids := f.RunningInstances(ctx, zone, 2)
		f.Registered(ctx, lb, ids...)

		Expect(waitInService(ctx, lb, ids...)).To(Succeed(), "InstanceInService waiter for %v within %s", ids, f.Timeout())
		states, err := f.Health(ctx, lb, ids...)
		Expect(err).NotTo(HaveOccurred())
		for _, id := range ids {
			Expect(states).To(HaveKey(id))
			Expect(aws.ToString(states[id].State)).To(Equal("InService"), "state of %s after the waiter finished", id)
		}
	})

	It("lets the AnyInstanceInService waiter finish once a registered instance is InService", Behaviour("SDK-WAIT-ANY-INSERVICE"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		ids := f.RunningInstances(ctx, zone, 2)
		f.Registered(ctx, lb, ids...)

		// Without Instances: the waiter asks about every registered instance.
		w := elb.NewAnyInstanceInServiceWaiter(f.ELB, func(o *elb.AnyInstanceInServiceWaiterOptions) { o.MinDelay, o.MaxDelay = f.WaiterDelays() })
		Expect(w.Wait(ctx, health(lb), f.Timeout())).To(Succeed(), "AnyInstanceInService waiter on %s within %s", lb, f.Timeout())
	})

	It("lets the InstanceDeregistered waiter finish after a deregistration", Behaviour("SDK-WAIT-DEREGISTERED"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		id := f.RunningInstance(ctx, zone)
		f.Registered(ctx, lb, id)
		// InService first: a member still registering is OutOfService, which
		// would satisfy the deregistered waiter without any deregistration.
		if err := waitInService(ctx, lb, id); err != nil {
			fixtures.BlockedBy("SDK-WAIT-INSERVICE", "the InstanceInService waiter for %s did not finish within %s: %v", id, f.Timeout(), err)
		}

		f.Deregistered(ctx, lb, id)
		Expect(waitDeregistered(ctx, lb, id)).To(Succeed(), "InstanceDeregistered waiter for %s within %s", id, f.Timeout())
	})

	It("lets the InstanceDeregistered waiter finish after a registered instance is terminated", WaitsOnAWSClocks, Behaviour("SDK-WAIT-DEREGISTERED-TERMINATED"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		id := f.LaunchInstance(ctx, zone)
		f.Registered(ctx, lb, id)
		if err := waitInService(ctx, lb, id); err != nil {
			fixtures.BlockedBy("SDK-WAIT-INSERVICE", "the InstanceInService waiter for %s did not finish within %s: %v", id, f.Timeout(), err)
		}

		f.Terminate(ctx, id)
		// The waiter is satisfied by OutOfService or by InvalidInstance; an
		// answer that leaves the instance out satisfies neither.
		Expect(waitDeregistered(ctx, lb, id)).To(Succeed(), "InstanceDeregistered waiter for terminated %s within %s", id, f.Timeout())
	})

	It("pages DescribeLoadBalancers by PageSize and NextMarker, listing each load balancer once", Behaviour("SDK-PAGE-DESCRIBE-LBS"), func(ctx SpecContext) {
		ours := []string{f.CreateLoadBalancer(ctx, zone), f.CreateLoadBalancer(ctx, zone), f.CreateLoadBalancer(ctx, zone)}

		// Other specs create and delete load balancers meanwhile, so only ours
		// are counted, and a walk that misses one is tried again.
		walk := func() error {
			seen := map[string]int{}
			pages := elb.NewDescribeLoadBalancersPaginator(f.ELB, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(1)},
				func(o *elb.DescribeLoadBalancersPaginatorOptions) { o.StopOnDuplicateToken = true })
			n := 0
			for ; pages.HasMorePages(); n++ {
				if n == maxPages {
					return fmt.Errorf("still a NextMarker after %d pages", n)
				}
				page, err := pages.NextPage(ctx)
				if err != nil {
					return err
				}
				if len(page.LoadBalancerDescriptions) > 1 {
					return fmt.Errorf("page %d has %d load balancers; PageSize is 1", n+1, len(page.LoadBalancerDescriptions))
				}
				for _, d := range page.LoadBalancerDescriptions {
					seen[aws.ToString(d.LoadBalancerName)]++
				}
			}
			return onceEach(ours, seen, fmt.Sprintf("across %d pages", n))
		}
		Eventually(walk).WithContext(ctx).Should(Succeed())
	})

	It("pages DescribeAccountLimits by PageSize and NextMarker, naming each documented limit once", Behaviour("SDK-PAGE-ACCOUNT-LIMITS"), func(ctx SpecContext) {
		// aws-sdk-go-v2 generates no paginator for DescribeAccountLimits, so
		// NextMarker is followed by hand, as botocore's paginator
		// (paginators-1.json) follows it.
		seen := map[string]int{}
		in := &elb.DescribeAccountLimitsInput{PageSize: aws.Int32(1)}
		markers := map[string]bool{}
		n := 0
		for ; ; n++ {
			Expect(n).To(BeNumerically("<", maxPages), "still a NextMarker after %d pages", n)
			out, err := f.ELB.DescribeAccountLimits(ctx, in)
			Expect(err).NotTo(HaveOccurred())
			Expect(len(out.Limits)).To(BeNumerically("<=", 1), "page %d with PageSize 1: %d limits", n+1, len(out.Limits))
			for _, l := range out.Limits {
				seen[aws.ToString(l.Name)]++
			}
			next := aws.ToString(out.NextMarker)
			if next == "" {
				break
			}
			Expect(markers).NotTo(HaveKey(next), "NextMarker %q answered twice", next)
			markers[next] = true
			in.Marker = aws.String(next)
		}
		Expect(onceEach([]string{"classic-load-balancers", "classic-registered-instances", "classic-listeners"}, seen, fmt.Sprintf("across %d pages", n+1))).To(Succeed())
	})
})

// maxPages bounds a walk through pages, so a target that answers NextMarker
// forever fails the spec instead of hanging it.
const maxPages = 1000

// onceEach says which of want were not seen exactly once.
func onceEach(want []string, seen map[string]int, where string) error {
	var wrong []string
	for _, w := range want {
		if seen[w] != 1 {
			wrong = append(wrong, fmt.Sprintf("%s %d times", w, seen[w]))
		}
	}
	if wrong != nil {
		return fmt.Errorf("%s: %v (saw %v)", where, wrong, slices.Sorted(maps.Keys(seen)))
	}
	return nil
}
