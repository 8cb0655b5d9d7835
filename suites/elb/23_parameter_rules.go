package elb

import (
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
)

// CreateLoadBalancer's own parameters: "This name must be unique within your set of load
// balancers for the region, must have a maximum of 32 characters, must contain only
// alphanumeric characters or hyphens, and cannot begin or end with a hyphen"; where the load
// balancer goes (zones of the default VPC, or subnets, never both) and its scheme; and what a
// second call for a name in use does.
var _ = Describe("Parameter rules: CreateLoadBalancer", func() {
	var zone string
	BeforeEach(func(ctx SpecContext) { zone = f.Zones(ctx, 1)[0] })

	inZone := func() elb.CreateLoadBalancerInput {
		return elb.CreateLoadBalancerInput{AvailabilityZones: []string{zone}}
	}
	// refusedAndAbsent asserts that a create was refused as matcher says and left nothing
	// under name.
	refusedAndAbsent := func(ctx SpecContext, name string, err error, matcher types.GomegaMatcher) {
		GinkgoHelper()
		Expect(err).To(matcher)
		noneCreated(ctx, name)
	}

	Context("load balancer names", func() {
		It("refuses a name longer than 32 characters with ValidationError (HTTP 400)", Behaviour("NAME-TOO-LONG"), func(ctx SpecContext) {
			name := f.NameOfLength(33)
			_, err := f.TryCreateLoadBalancer(ctx, name, inZone())
			refusedAndAbsent(ctx, name, err, match.APIError(400, "ValidationError"))
		})

		It("accepts a name of exactly 32 characters", Behaviour("NAME-MAX-LENGTH"), func(ctx SpecContext) {
			name := f.NameOfLength(32)
			f.CreateLoadBalancerWith(ctx, name, inZone())
			Eventually(f.Describe).WithContext(ctx).WithArguments(name).Should(HaveField("LoadBalancerName", HaveValue(Equal(name))))
		})

		It("refuses a name with a character other than a letter, digit or hyphen with ValidationError (HTTP 400)", Behaviour("NAME-CHARACTERS"), func(ctx SpecContext) {
			names := []string{f.Name() + "_x", f.Name() + ".x", f.Name() + " x"}
			for _, name := range names {
				_, err := f.TryCreateLoadBalancer(ctx, name, inZone())
				Expect(err).To(match.APIError(400, "ValidationError"), "name %q", name)
			}
			noneCreated(ctx, names...)
		})

		It("refuses a name that begins or ends with a hyphen with a 400 client error", Behaviour("NAME-HYPHEN-ENDS"), func(ctx SpecContext) {
			// The rule is documented; which code breaking it gets is not captured
			// (ValidationError, as for the other name rules, is expected).
			names := []string{"-" + f.Name(), f.Name() + "-"}
			for _, name := range names {
				_, err := f.TryCreateLoadBalancer(ctx, name, inZone())
				Expect(err).To(match.ClientError(400), "name %q", name)
			}
			noneCreated(ctx, names...)
		})
	})

	Context("idempotency", func() {
		It("answers the existing load balancer's DNS name to a second call with the same settings, and keeps one load balancer", Behaviour("CREATE-IDEMPOTENT"), func(ctx SpecContext) {
			name := f.Name()
			first := f.CreateLoadBalancerWith(ctx, name, inZone())

			again, err := f.TryCreateLoadBalancer(ctx, name, inZone())
			Expect(err).NotTo(HaveOccurred(), "the same name with the same settings: the call succeeds")
			Expect(aws.ToString(again.DNSName)).To(Equal(first))
			Eventually(f.Listeners).WithContext(ctx).WithArguments(name).Should(ConsistOf(fixtures.HTTPListener))
		})

		It("refuses a second call with other tags with DuplicateLoadBalancerName (HTTP 400), and keeps the load balancer as it was", Behaviour("CREATE-IDEMPOTENT-OTHER-TAGS"), func(ctx SpecContext) {
			name := f.Name()
			f.CreateLoadBalancerWith(ctx, name, inZone())

			other := inZone()
			other.Tags = []elbtypes.Tag{{Key: aws.String("elbconform:other"), Value: aws.String("settings")}}
			_, err := f.TryCreateLoadBalancer(ctx, name, other)
			Expect(err).To(match.APIError(400, "DuplicateLoadBalancerName"))
			var dup *elbtypes.DuplicateAccessPointNameException
			Expect(errors.As(err, &dup)).To(BeTrue(), "the SDK maps DuplicateLoadBalancerName to DuplicateAccessPointNameException; got %T", err)
			Consistently(func() ([]string, error) {
				out, err := f.ELB.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: []string{name}})
				if err != nil || len(out.TagDescriptions) == 0 {
					return nil, err
				}
				var keys []string
				for _, t := range out.TagDescriptions[0].Tags {
					keys = append(keys, aws.ToString(t.Key))
				}
				return keys, nil
			}).WithContext(ctx).WithTimeout(settle()).ShouldNot(ContainElement("elbconform:other"))
		})

		It("refuses a second call with other listeners with DuplicateLoadBalancerName (HTTP 400), and keeps the listeners", Behaviour("CREATE-IDEMPOTENT-OTHER-LISTENERS"), func(ctx SpecContext) {
			name := f.Name()
			f.CreateLoadBalancerWith(ctx, name, inZone())

			other := inZone()
			other.Listeners = []elbtypes.Listener{fixtures.TCPListener}
			_, err := f.TryCreateLoadBalancer(ctx, name, other)
			Expect(err).To(match.APIError(400, "DuplicateLoadBalancerName"))
			Consistently(f.Listeners).WithContext(ctx).WithArguments(name).WithTimeout(settle()).Should(ConsistOf(fixtures.HTTPListener))
		})
	})

	Context("placement and scheme", func() {
		It("refuses a call with neither AvailabilityZones nor Subnets with ValidationError (HTTP 400)", Behaviour("CREATE-PLACEMENT-NONE"), func(ctx SpecContext) {
			name := f.Name()
			_, err := f.TryCreateLoadBalancer(ctx, name, elb.CreateLoadBalancerInput{})
			refusedAndAbsent(ctx, name, err, match.APIError(400, "ValidationError"))
		})

		It("refuses a call with both AvailabilityZones and Subnets with ValidationError (HTTP 400)", Behaviour("CREATE-PLACEMENT-BOTH"), func(ctx SpecContext) {
			_, subnets := f.CreateVPC(ctx, zone)
			name := f.Name()
			in := inZone()
			in.Subnets, in.Scheme = subnets, aws.String("internal")
			_, err := f.TryCreateLoadBalancer(ctx, name, in)
			refusedAndAbsent(ctx, name, err, match.APIError(400, "ValidationError"))
		})

		It("makes a load balancer created without a Scheme internet-facing", Behaviour("CREATE-SCHEME-DEFAULT"), func(ctx SpecContext) {
			name := f.Name()
			f.CreateLoadBalancerWith(ctx, name, inZone())
			Eventually(f.Describe).WithContext(ctx).WithArguments(name).Should(HaveField("Scheme", HaveValue(Equal("internet-facing"))))
		})

		It("makes a load balancer created with Scheme internal internal, with a DNS name that begins with internal-", Behaviour("CREATE-SCHEME-INTERNAL"), func(ctx SpecContext) {
			_, subnets := f.CreateVPC(ctx, zone)
			name := f.Name()
			dns := f.CreateLoadBalancerWith(ctx, name, elb.CreateLoadBalancerInput{Subnets: subnets, Scheme: aws.String("internal")})
			Expect(strings.ToLower(dns)).To(HavePrefix("internal-"))
			Eventually(f.Describe).WithContext(ctx).WithArguments(name).Should(HaveField("Scheme", HaveValue(Equal("internal"))))
		})

		It("refuses a Scheme other than internet-facing or internal with a 400 client error", Behaviour("CREATE-SCHEME-INVALID"), func(ctx SpecContext) {
			_, subnets := f.CreateVPC(ctx, zone)
			name := f.Name()
			_, err := f.TryCreateLoadBalancer(ctx, name, elb.CreateLoadBalancerInput{Subnets: subnets, Scheme: aws.String("public")})
			refusedAndAbsent(ctx, name, err, match.ClientError(400))
		})
	})
})
