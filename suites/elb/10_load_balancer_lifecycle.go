package elb

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gstruct"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
)

// Load balancer operations whose effects reach the registrations.
var _ = Describe("Load balancer lifecycle", func() {
	var zone string
	BeforeEach(func(ctx SpecContext) { zone = f.Zones(ctx, 1)[0] })

	It("removes a deleted load balancer's registrations: it is then unknown, and a new one of the same name has no instances", Behaviour("DEL-REMOVES-REGISTRATIONS"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		id := f.RunningInstance(ctx, zone)
		f.Registered(ctx, lb, id)
		f.AwaitMembers(ctx, lb, id)

		_, err := f.ELB.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String(lb)})
		Expect(err).NotTo(HaveOccurred())
		Eventually(func() error { _, err := f.Health(ctx, lb); return err }).WithContext(ctx).Should(match.APIError(400, "LoadBalancerNotFound"))

		// The fixture's cleanup deletes this one too: deleting is idempotent.
		_, err = f.ELB.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{
			LoadBalancerName: aws.String(lb), Listeners: []elbtypes.Listener{fixtures.HTTPListener}, AvailabilityZones: []string{zone},
		})
		Expect(err).NotTo(HaveOccurred())
		Consistently(f.Members).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(BeEmpty())
		Expect(f.Health(ctx, lb)).To(BeEmpty())
	})

	It("describes every load balancer when none is named, page by page, including a new one with its instances", Behaviour("DESC-LISTS-ALL"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		id := f.RunningInstance(ctx, zone)
		f.Registered(ctx, lb, id)

		// All pages, with the SDK's paginator (NextMarker → Marker); a small
		// page size makes the spec follow more than one page where there are
		// other load balancers.
		membersInListing := func() ([]string, error) {
			pages := elb.NewDescribeLoadBalancersPaginator(f.ELB, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(2)})
			for pages.HasMorePages() {
				page, err := pages.NextPage(ctx)
				if err != nil {
					return nil, err
				}
				for _, d := range page.LoadBalancerDescriptions {
					if aws.ToString(d.LoadBalancerName) == lb {
						return fixtures.InstanceIDs(d.Instances), nil
					}
				}
			}
			return nil, &fixtures.MissingError{What: "load balancer " + lb + " in the unfiltered DescribeLoadBalancers listing"}
		}
		Eventually(membersInListing).WithContext(ctx).Should(ConsistOf(id))
	})

	It("succeeds in deleting a load balancer that does not exist", Behaviour("DEL-MISSING-OK"), func(ctx SpecContext) {
		_, err := f.ELB.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String(f.UnknownLoadBalancerName())})
		Expect(err).NotTo(HaveOccurred())
	})

	It("answers the health check now in force after ConfigureHealthCheck, and DescribeLoadBalancers shows it", Behaviour("HC-CONFIGURE"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		want := elbtypes.HealthCheck{Target: aws.String("HTTP:80/healthz"), Interval: aws.Int32(15), Timeout: aws.Int32(4), HealthyThreshold: aws.Int32(3), UnhealthyThreshold: aws.Int32(4)}

		out, err := f.ELB.ConfigureHealthCheck(ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String(lb), HealthCheck: &want})
		Expect(err).NotTo(HaveOccurred())
		Expect(out.HealthCheck).To(gstruct.PointTo(Equal(want)))
		Eventually(func() (elbtypes.HealthCheck, error) {
			d, err := f.Describe(ctx, lb)
			if err != nil || d.HealthCheck == nil {
				return elbtypes.HealthCheck{}, err
			}
			return *d.HealthCheck, nil
		}).WithContext(ctx).Should(Equal(want))
	})
})
