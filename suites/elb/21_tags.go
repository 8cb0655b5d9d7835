package elb

import (
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
	"github.com/elbconform/elbconform/harness/wire"
)

// AddTags, RemoveTags and DescribeTags, and the tags CreateLoadBalancer
// assigns. Every load balancer the fixtures create already carries the run's
// tags (fixtures.RunTags): they count against its tag limit, and the specs
// leave them in place.
var _ = Describe("Tags", func() {
	var zone string
	BeforeEach(func(ctx SpecContext) { zone = f.Zones(ctx, 1)[0] })

	tags := func(ctx SpecContext, lb string) func() (map[string]string, error) {
		return func() (map[string]string, error) { return f.Tags(ctx, lb) }
	}
	// with is the run's tags plus more, as key -> value.
	with := func(more ...elbtypes.Tag) map[string]string {
		return fixtures.TagMap(append(f.RunTags(), more...)...)
	}
	// notCreated checks that a refused CreateLoadBalancer left no load balancer.
	notCreated := func(ctx SpecContext, lb string) {
		GinkgoHelper()
		_, err := f.Describe(ctx, lb)
		Expect(err).To(match.APIError(400, "LoadBalancerNotFound"), "the refused CreateLoadBalancer created %s", lb)
	}

	Context("CreateLoadBalancer", func() {
		It("assigns the tags it is given, which DescribeTags then lists", Behaviour("TAG-CREATE-DESCRIBED"), func(ctx SpecContext) {
			lb := f.Name()
			mine := []elbtypes.Tag{fixtures.Tag("project", "lima"), fixtures.Tag("department", "digital-media")}
			f.CreateLoadBalancerWith(ctx, lb, elb.CreateLoadBalancerInput{AvailabilityZones: []string{zone}, Tags: mine})

			Eventually(tags(ctx, lb)).WithContext(ctx).Should(Equal(with(mine...)))
		})

		It("refuses a tag key given twice with DuplicateTagKeys (HTTP 400) and creates nothing", Behaviour("TAG-CREATE-DUPLICATE-KEYS"), func(ctx SpecContext) {
			lb := f.Name()
			_, err := f.TryCreateLoadBalancer(ctx, lb, elb.CreateLoadBalancerInput{AvailabilityZones: []string{zone},
				Tags: []elbtypes.Tag{fixtures.Tag("project", "lima"), fixtures.Tag("project", "paris")}})

			Expect(err).To(match.APIError(400, "DuplicateTagKeys"))
			var dup *elbtypes.DuplicateTagKeysException
			Expect(errors.As(err, &dup)).To(BeTrue(), "the SDK maps DuplicateTagKeys to DuplicateTagKeysException; got %T", err)
			notCreated(ctx, lb)
		})

		It("refuses more than 50 tags with TooManyTags (HTTP 400) and creates nothing", Behaviour("TAG-CREATE-TOO-MANY"), func(ctx SpecContext) {
			lb := f.Name()
			_, err := f.TryCreateLoadBalancer(ctx, lb, elb.CreateLoadBalancerInput{AvailabilityZones: []string{zone},
				Tags: fixtures.NumberedTags("k", 51)})

			Expect(err).To(match.APIError(400, "TooManyTags"))
			var tooMany *elbtypes.TooManyTagsException
			Expect(errors.As(err, &tooMany)).To(BeTrue(), "the SDK maps TooManyTags to TooManyTagsException; got %T", err)
			notCreated(ctx, lb)
		})
	})

	Context("AddTags", func() {
		It("adds tags beside the ones the load balancer has, and DescribeTags then lists them all", Behaviour("TAG-ADD-DESCRIBED"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)
			added := []elbtypes.Tag{fixtures.Tag("project", "lima"), fixtures.Tag("department", "digital-media")}

			Expect(f.AddTags(ctx, lb, added...)).To(Succeed())
			Eventually(tags(ctx, lb)).WithContext(ctx).Should(Equal(with(added...)))
		})

		It("updates the value of a key the load balancer already has, also when it carries 10 tags, without adding a tag", Behaviour("TAG-ADD-REPLACES"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)
			ten := fixtures.NumberedTags("k", 10-len(f.RunTags()))
			Expect(f.AddTags(ctx, lb, ten...)).To(Succeed(), "10 tags in all")
			Eventually(tags(ctx, lb)).WithContext(ctx).Should(HaveLen(10))

			Expect(f.AddTags(ctx, lb, fixtures.Tag("k0", "updated"))).To(Succeed())
			Eventually(tags(ctx, lb)).WithContext(ctx).Should(And(HaveLen(10), HaveKeyWithValue("k0", "updated")))
		})

		It("accepts a tag without a value, which DescribeTags lists with an empty value", Behaviour("TAG-ADD-NO-VALUE"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)

			Expect(f.AddTags(ctx, lb, elbtypes.Tag{Key: aws.String("flag")})).To(Succeed())
			Eventually(tags(ctx, lb)).WithContext(ctx).Should(HaveKeyWithValue("flag", ""))
		})

		It("treats keys that differ only in case as two tags", Behaviour("TAG-KEYS-CASE-SENSITIVE"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)

			Expect(f.AddTags(ctx, lb, fixtures.Tag("env", "test"), fixtures.Tag("Env", "prod"))).To(Succeed())
			Eventually(tags(ctx, lb)).WithContext(ctx).Should(And(HaveKeyWithValue("env", "test"), HaveKeyWithValue("Env", "prod")))
		})

		It("accepts 10 tags on a load balancer, refuses with TooManyTags (HTTP 400) a call that would make more than 50, and keeps the tags it has", Behaviour("TAG-ADD-TOO-MANY"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)
			ten := fixtures.NumberedTags("k", 10-len(f.RunTags()))
			Expect(f.AddTags(ctx, lb, ten...)).To(Succeed(), "10 tags in all, within both documented limits")
			Eventually(tags(ctx, lb)).WithContext(ctx).Should(Equal(with(ten...)))

			// 10 + 41 = 51: past the API reference's 10 and the guide's 50.
			err := f.AddTags(ctx, lb, fixtures.NumberedTags("more", 41)...)
			Expect(err).To(match.APIError(400, "TooManyTags"))
			var tooMany *elbtypes.TooManyTagsException
			Expect(errors.As(err, &tooMany)).To(BeTrue(), "the SDK maps TooManyTags to TooManyTagsException; got %T", err)
			Consistently(tags(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(Equal(with(ten...)))
		})

		It("refuses a tag key given twice with DuplicateTagKeys (HTTP 400) and adds nothing", Behaviour("TAG-ADD-DUPLICATE-KEYS"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)

			err := f.AddTags(ctx, lb, fixtures.Tag("project", "lima"), fixtures.Tag("project", "paris"))
			Expect(err).To(match.APIError(400, "DuplicateTagKeys"))
			var dup *elbtypes.DuplicateTagKeysException
			Expect(errors.As(err, &dup)).To(BeTrue(), "the SDK maps DuplicateTagKeys to DuplicateTagKeysException; got %T", err)
			Consistently(tags(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(Equal(with()))
		})

		It("accepts keys of up to 127 and values of up to 255 letters, digits, spaces and + - = . _ : / @, refuses with a client error (HTTP 400) an empty key, a key of 129, a value of 257 or other characters, and adds nothing refused", Behaviour("TAG-ADD-KEY-VALUE-RULES"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)
			good := []elbtypes.Tag{
				fixtures.Tag(strings.Repeat("k", 127), strings.Repeat("v", 255)),
				fixtures.Tag("a b_c.d:e/f=g+h-i@j", "Ünïcödé 42 + - = . _ : / @"),
			}
			Expect(f.AddTags(ctx, lb, good...)).To(Succeed())
			Eventually(tags(ctx, lb)).WithContext(ctx).Should(Equal(with(good...)))

			for _, bad := range []elbtypes.Tag{
				fixtures.Tag("", "empty-key"),
				fixtures.Tag(strings.Repeat("k", 129), "v"),
				fixtures.Tag("long-value", strings.Repeat("v", 257)),
				fixtures.Tag("bad#key", "v"),
				fixtures.Tag("bad-value", "<v>"),
			} {
				Expect(f.AddTags(ctx, lb, bad)).To(match.ClientError(400), "key %.40q, value %.40q", aws.ToString(bad.Key), aws.ToString(bad.Value))
			}
			Consistently(tags(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(Equal(with(good...)))
		})

		It("refuses a key starting with the reserved aws: prefix with a client error (HTTP 400) and adds nothing", Behaviour("TAG-ADD-AWS-PREFIX"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)

			Expect(f.AddTags(ctx, lb, fixtures.Tag("aws:elbconform", "v"))).To(match.ClientError(400))
			Consistently(tags(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(Equal(with()))
		})

		It("refuses a call naming two load balancers with ValidationError (HTTP 400) and tags neither", Behaviour("TAG-ADD-ONE-LB"), func(ctx SpecContext) {
			a := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)
			b := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)

			_, err := f.ELB.AddTags(ctx, &elb.AddTagsInput{LoadBalancerNames: []string{a, b}, Tags: []elbtypes.Tag{fixtures.Tag("project", "lima")}})
			Expect(err).To(match.APIError(400, "ValidationError"))
			Consistently(func(g Gomega) {
				for _, lb := range []string{a, b} {
					g.Expect(f.Tags(ctx, lb)).To(Equal(with()), "tags of %s", lb)
				}
			}).WithContext(ctx).WithTimeout(settle()).Should(Succeed())
		})

		It("refuses an unknown load balancer with AccessPointNotFoundException (LoadBalancerNotFound, HTTP 400)", Behaviour("TAG-ADD-ERR-LB-NOT-FOUND"), func(ctx SpecContext) {
			lb := f.UnknownLoadBalancerName()

			err := f.AddTags(ctx, lb, fixtures.Tag("project", "lima"))
			Expect(err).To(match.APIError(400, "LoadBalancerNotFound"))
			var notFound *elbtypes.AccessPointNotFoundException
			Expect(errors.As(err, &notFound)).To(BeTrue(), "got %T", err)

			form := wire.ELBRequest("AddTags")
			form.Set("LoadBalancerNames.member.1", lb)
			form.Set("Tags.member.1.Key", "project")
			form.Set("Tags.member.1.Value", "lima")
			Expect(f.Wire.Do(ctx, form)).To(match.ELBError(400, "LoadBalancerNotFound"))
		})
	})

	Context("RemoveTags", func() {
		It("removes the keys named and keeps the others", Behaviour("TAG-REMOVE"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)
			Expect(f.AddTags(ctx, lb, fixtures.Tag("project", "lima"), fixtures.Tag("department", "digital-media"))).To(Succeed())
			Eventually(tags(ctx, lb)).WithContext(ctx).Should(HaveKey("project"))

			Expect(f.RemoveTags(ctx, lb, "project")).To(Succeed())
			Eventually(tags(ctx, lb)).WithContext(ctx).Should(Equal(with(fixtures.Tag("department", "digital-media"))))
		})

		It("leaves the tags as they are when asked to remove a key the load balancer does not have: the call succeeds or is refused with a client error (HTTP 400)", Behaviour("TAG-REMOVE-ABSENT"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)

			Expect(f.RemoveTags(ctx, lb, "absent")).To(Or(Succeed(), match.ClientError(400)))
			Consistently(tags(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(Equal(with()))
		})

		It("refuses a call naming two load balancers with a client error (HTTP 400) and removes nothing", Behaviour("TAG-REMOVE-ONE-LB"), func(ctx SpecContext) {
			a := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)
			b := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)
			for _, lb := range []string{a, b} {
				Expect(f.AddTags(ctx, lb, fixtures.Tag("project", "lima"))).To(Succeed())
				Eventually(tags(ctx, lb)).WithContext(ctx).Should(HaveKey("project"))
			}

			_, err := f.ELB.RemoveTags(ctx, &elb.RemoveTagsInput{LoadBalancerNames: []string{a, b}, Tags: []elbtypes.TagKeyOnly{{Key: aws.String("project")}}})
			Expect(err).To(match.ClientError(400))
			Consistently(func(g Gomega) {
				for _, lb := range []string{a, b} {
					g.Expect(f.Tags(ctx, lb)).To(HaveKey("project"), "tags of %s", lb)
				}
			}).WithContext(ctx).WithTimeout(settle()).Should(Succeed())
		})

		It("refuses an unknown load balancer with AccessPointNotFoundException (LoadBalancerNotFound, HTTP 400)", Behaviour("TAG-REMOVE-ERR-LB-NOT-FOUND"), func(ctx SpecContext) {
			lb := f.UnknownLoadBalancerName()

			err := f.RemoveTags(ctx, lb, "project")
			Expect(err).To(match.APIError(400, "LoadBalancerNotFound"))
			var notFound *elbtypes.AccessPointNotFoundException
			Expect(errors.As(err, &notFound)).To(BeTrue(), "got %T", err)
		})
	})

	Context("DescribeTags", func() {
		It("answers one description per load balancer named, each with its name and its own tags", Behaviour("TAG-DESCRIBE-MANY"), func(ctx SpecContext) {
			a := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)
			b := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)
			Expect(f.AddTags(ctx, a, fixtures.Tag("project", "lima"))).To(Succeed())
			Expect(f.AddTags(ctx, b, fixtures.Tag("project", "paris"))).To(Succeed())

			Eventually(func() (map[string]map[string]string, error) { return f.TagsOf(ctx, a, b) }).WithContext(ctx).Should(Equal(map[string]map[string]string{
				a: with(fixtures.Tag("project", "lima")),
				b: with(fixtures.Tag("project", "paris")),
			}))
			out, err := f.ELB.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: []string{a, b}})
			Expect(err).NotTo(HaveOccurred())
			Expect(out.TagDescriptions).To(HaveLen(2))
		})

		It("refuses more than 20 load balancer names with ValidationError (HTTP 400)", Behaviour("TAG-DESCRIBE-MAX-20"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithDefaultHealthCheck(ctx, zone)
			names := make([]string, 21)
			for i := range names {
				names[i] = lb
			}

			_, err := f.ELB.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: names})
			Expect(err).To(match.APIError(400, "ValidationError"))
		})

		It("refuses a request without LoadBalancerNames with ValidationError (HTTP 400)", Behaviour("TAG-DESCRIBE-REQUIRED"), func(ctx SpecContext) {
			// The SDK will not send it (the member is required), so on the wire.
			Expect(f.Wire.Do(ctx, wire.ELBRequest("DescribeTags"))).To(match.ELBError(400, "ValidationError"))
		})

		It("refuses an unknown load balancer with AccessPointNotFoundException (LoadBalancerNotFound, HTTP 400)", Behaviour("TAG-DESCRIBE-ERR-LB-NOT-FOUND"), func(ctx SpecContext) {
			lb := f.UnknownLoadBalancerName()

			_, err := f.TagsOf(ctx, lb)
			Expect(err).To(match.APIError(400, "LoadBalancerNotFound"))
			var notFound *elbtypes.AccessPointNotFoundException
			Expect(errors.As(err, &notFound)).To(BeTrue(), "got %T", err)
		})
	})
})
