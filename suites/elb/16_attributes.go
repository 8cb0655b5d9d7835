package elb

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gstruct"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
	"github.com/elbconform/elbconform/harness/wire"
)

// DescribeLoadBalancerAttributes and ModifyLoadBalancerAttributes: cross-zone
// load balancing, connection draining, the idle timeout and the access log.
// What the attributes do to traffic is for the traffic specs.
var _ = Describe("Load balancer attributes", func() {
	var zone string
	BeforeEach(func(ctx SpecContext) { zone = f.Zones(ctx, 1)[0] })

	attributes := func(ctx SpecContext, lb string) func() (elbtypes.LoadBalancerAttributes, error) {
		return func() (elbtypes.LoadBalancerAttributes, error) { return f.Attributes(ctx, lb) }
	}
	// refused is a refusal the documentation leaves the code of open: a client
	// error, 400 or 409 (InvalidConfigurationRequest).
	refused := SatisfyAny(match.ClientError(400), match.ClientError(409))

	It("describes a load balancer created through the API with cross-zone load balancing disabled, connection draining disabled with a 300 s timeout, a 60 s idle timeout and no access log", Behaviour("ATTR-DEFAULTS"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)

		a, err := f.Attributes(ctx, lb)
		Expect(err).NotTo(HaveOccurred())
		Expect(a.CrossZoneLoadBalancing).To(gstruct.PointTo(gstruct.MatchFields(gstruct.IgnoreExtras, gstruct.Fields{"Enabled": BeFalse()})))
		Expect(a.ConnectionDraining).To(gstruct.PointTo(gstruct.MatchFields(gstruct.IgnoreExtras, gstruct.Fields{
			"Enabled": BeFalse(), "Timeout": gstruct.PointTo(BeEquivalentTo(300)),
		})))
		Expect(fixtures.IdleTimeout(a)).To(BeEquivalentTo(60))
		Expect(a.AccessLog).To(gstruct.PointTo(gstruct.MatchFields(gstruct.IgnoreExtras, gstruct.Fields{"Enabled": BeFalse()})))
	})

	It("applies the attributes given, answers the load balancer's name with them, and DescribeLoadBalancerAttributes then shows them", Behaviour("ATTR-MODIFY-APPLIES"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		want := elbtypes.LoadBalancerAttributes{
			CrossZoneLoadBalancing: &elbtypes.CrossZoneLoadBalancing{Enabled: true},
			ConnectionDraining:     &elbtypes.ConnectionDraining{Enabled: true, Timeout: aws.Int32(30)},
			ConnectionSettings:     &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(120)},
		}

		out, err := f.ModifyAttributes(ctx, lb, want)
		Expect(err).NotTo(HaveOccurred())
		Expect(aws.ToString(out.LoadBalancerName)).To(Equal(lb))
		Expect(out.LoadBalancerAttributes).To(gstruct.PointTo(gstruct.MatchFields(gstruct.IgnoreExtras, gstruct.Fields{
			"CrossZoneLoadBalancing": Equal(want.CrossZoneLoadBalancing),
			"ConnectionDraining":     Equal(want.ConnectionDraining),
			"ConnectionSettings":     Equal(want.ConnectionSettings),
		})))
		Eventually(attributes(ctx, lb)).WithContext(ctx).Should(gstruct.MatchFields(gstruct.IgnoreExtras, gstruct.Fields{
			"CrossZoneLoadBalancing": Equal(want.CrossZoneLoadBalancing),
			"ConnectionDraining":     Equal(want.ConnectionDraining),
			"ConnectionSettings":     Equal(want.ConnectionSettings),
		}))
	})

	It("leaves the attributes a call does not name as they are", Behaviour("ATTR-MODIFY-KEEPS-OTHERS"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		_, err := f.ModifyAttributes(ctx, lb, elbtypes.LoadBalancerAttributes{ConnectionSettings: &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(120)}})
		Expect(err).NotTo(HaveOccurred())
		Eventually(attributes(ctx, lb)).WithContext(ctx).Should(WithTransform(fixtures.IdleTimeout, BeEquivalentTo(120)))

		_, err = f.ModifyAttributes(ctx, lb, elbtypes.LoadBalancerAttributes{CrossZoneLoadBalancing: &elbtypes.CrossZoneLoadBalancing{Enabled: true}})
		Expect(err).NotTo(HaveOccurred())
		Eventually(attributes(ctx, lb)).WithContext(ctx).Should(gstruct.MatchFields(gstruct.IgnoreExtras, gstruct.Fields{
			"CrossZoneLoadBalancing": gstruct.PointTo(gstruct.MatchFields(gstruct.IgnoreExtras, gstruct.Fields{"Enabled": BeTrue()})),
			"ConnectionSettings":     gstruct.PointTo(gstruct.MatchFields(gstruct.IgnoreExtras, gstruct.Fields{"IdleTimeout": gstruct.PointTo(BeEquivalentTo(120))})),
		}))
	})

	It("refuses an idle timeout outside 1-4000 seconds with a client error and keeps the idle timeout", Behaviour("ATTR-RANGE-IDLE-TIMEOUT"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)

		for _, seconds := range []int32{0, 4001} {
			_, err := f.ModifyAttributes(ctx, lb, elbtypes.LoadBalancerAttributes{ConnectionSettings: &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(seconds)}})
			Expect(err).To(refused, "an idle timeout of %d s", seconds)
		}
		Consistently(attributes(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(WithTransform(fixtures.IdleTimeout, BeEquivalentTo(60)))
	})

	It("refuses a connection draining timeout outside 1-3600 seconds with a client error and keeps draining disabled", Behaviour("ATTR-RANGE-DRAINING-TIMEOUT"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)

		for _, seconds := range []int32{0, 3601} {
			_, err := f.ModifyAttributes(ctx, lb, elbtypes.LoadBalancerAttributes{ConnectionDraining: &elbtypes.ConnectionDraining{Enabled: true, Timeout: aws.Int32(seconds)}})
			Expect(err).To(refused, "a draining timeout of %d s", seconds)
		}
		Consistently(attributes(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(gstruct.MatchFields(gstruct.IgnoreExtras, gstruct.Fields{
			"ConnectionDraining": gstruct.PointTo(gstruct.MatchFields(gstruct.IgnoreExtras, gstruct.Fields{"Enabled": BeFalse()})),
		}))
	})

	It("refuses an access log enabled without an S3 bucket, or with an interval other than 5 or 60 minutes, with a client error and keeps it disabled", Behaviour("ATTR-RANGE-ACCESS-LOG"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)

		_, err := f.ModifyAttributes(ctx, lb, elbtypes.LoadBalancerAttributes{AccessLog: &elbtypes.AccessLog{Enabled: true}})
		Expect(err).To(refused, "an access log without S3BucketName")
		// A bucket this run does not own: AWS may refuse it for the bucket too,
		// which is also a client error.
		_, err = f.ModifyAttributes(ctx, lb, elbtypes.LoadBalancerAttributes{AccessLog: &elbtypes.AccessLog{
			Enabled: true, S3BucketName: aws.String(f.Name() + "-logs"), EmitInterval: aws.Int32(15),
		}})
		Expect(err).To(refused, "an access log every 15 minutes")
		Consistently(attributes(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(gstruct.MatchFields(gstruct.IgnoreExtras, gstruct.Fields{
			"AccessLog": gstruct.PointTo(gstruct.MatchFields(gstruct.IgnoreExtras, gstruct.Fields{"Enabled": BeFalse()})),
		}))
	})

	Context("on an unknown load balancer", func() {
		It("refuses DescribeLoadBalancerAttributes with AccessPointNotFoundException (LoadBalancerNotFound, HTTP 400)", Behaviour("ATTR-DESCRIBE-ERR-LB-NOT-FOUND"), func(ctx SpecContext) {
			lb := f.UnknownLoadBalancerName()

			_, err := f.Attributes(ctx, lb)
			Expect(err).To(match.APIError(400, "LoadBalancerNotFound"))
			var notFound *elbtypes.AccessPointNotFoundException
			Expect(errors.As(err, &notFound)).To(BeTrue(), "got %T", err)

			form := wire.ELBRequest("DescribeLoadBalancerAttributes")
			form.Set("LoadBalancerName", lb)
			Expect(f.Wire.Do(ctx, form)).To(match.ELBError(400, "LoadBalancerNotFound"))
		})

		It("refuses ModifyLoadBalancerAttributes with AccessPointNotFoundException (LoadBalancerNotFound, HTTP 400)", Behaviour("ATTR-MODIFY-ERR-LB-NOT-FOUND"), func(ctx SpecContext) {
			lb := f.UnknownLoadBalancerName()

			_, err := f.ModifyAttributes(ctx, lb, elbtypes.LoadBalancerAttributes{CrossZoneLoadBalancing: &elbtypes.CrossZoneLoadBalancing{Enabled: true}})
			Expect(err).To(match.APIError(400, "LoadBalancerNotFound"))
			var notFound *elbtypes.AccessPointNotFoundException
			Expect(errors.As(err, &notFound)).To(BeTrue(), "got %T", err)

			form := wire.ELBRequest("ModifyLoadBalancerAttributes")
			form.Set("LoadBalancerName", lb)
			form.Set("LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled", "true")
			Expect(f.Wire.Do(ctx, form)).To(match.ELBError(400, "LoadBalancerNotFound"))
		})
	})
})
