package elb

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
)

// Policies: the policy types ELB defines, the policies of a load balancer, stickiness
// policies, and putting policies in force on a listener or an instance port. Only the
// control plane: what stickiness does to requests is the traffic specs' subject.
var _ = Describe("Load balancer policies", func() {
	var zone string
	BeforeEach(func(ctx SpecContext) { zone = f.Zones(ctx, 1)[0] })

	// refusedByClient matches an error answered with a 4xx status, whatever its code: for
	// refusals the documentation states without naming the error.
	refusedByClient := func() OmegaMatcher {
		return WithTransform(func(err error) int { return match.Status(err) }, And(BeNumerically(">=", 400), BeNumerically("<", 500)))
	}
	listenerPolicies := func(ctx context.Context, lb string, port int32) func() ([]string, error) {
		return func() ([]string, error) { return f.ListenerPolicies(ctx, lb, port) }
	}

	Describe("DescribeLoadBalancerPolicyTypes", func() {
		It("lists the two stickiness policy types among all the types ELB defines, with their attributes", Behaviour("POL-TYPES-STICKINESS"), func(ctx SpecContext) {
			out, err := f.ELB.DescribeLoadBalancerPolicyTypes(ctx, &elb.DescribeLoadBalancerPolicyTypesInput{})
			Expect(err).NotTo(HaveOccurred())
			types := map[string]elbtypes.PolicyTypeDescription{}
			for _, t := range out.PolicyTypeDescriptions {
				types[aws.ToString(t.PolicyTypeName)] = t
			}
			// AWS may define more types than these, and more attributes of them,
			// in any order: only these two types and their documented attribute are
			// asserted.
			attribute := func(typeName, attributeName string) (kind, cardinality string) {
				t, ok := types[typeName]
				if !ok {
					return "no such type", ""
				}
				for _, a := range t.PolicyAttributeTypeDescriptions {
					if aws.ToString(a.AttributeName) == attributeName {
						return aws.ToString(a.AttributeType), aws.ToString(a.Cardinality)
					}
				}
				return "no such attribute", ""
			}
			kind, card := attribute("LBCookieStickinessPolicyType", "CookieExpirationPeriod")
			Expect([]string{kind, card}).To(Equal([]string{"Long", "ZERO_OR_ONE"}), "LBCookieStickinessPolicyType's CookieExpirationPeriod")
			kind, card = attribute("AppCookieStickinessPolicyType", "CookieName")
			Expect([]string{kind, card}).To(Equal([]string{"String", "ONE"}), "AppCookieStickinessPolicyType's CookieName")
		})

		It("describes just the policy types named", Behaviour("POL-TYPES-BY-NAME"), func(ctx SpecContext) {
			out, err := f.ELB.DescribeLoadBalancerPolicyTypes(ctx, &elb.DescribeLoadBalancerPolicyTypesInput{PolicyTypeNames: []string{"ProxyProtocolPolicyType"}})
			Expect(err).NotTo(HaveOccurred())
			Expect(out.PolicyTypeDescriptions).To(HaveLen(1))
			Expect(aws.ToString(out.PolicyTypeDescriptions[0].PolicyTypeName)).To(Equal("ProxyProtocolPolicyType"))
		})

		It("refuses a policy type that does not exist with PolicyTypeNotFound", Behaviour("POL-TYPES-ERR-NOT-FOUND"), func(ctx SpecContext) {
			_, err := f.ELB.DescribeLoadBalancerPolicyTypes(ctx, &elb.DescribeLoadBalancerPolicyTypesInput{PolicyTypeNames: []string{"NoSuchElbconformPolicyType"}})
			Expect(err).To(match.APIError(400, "PolicyTypeNotFound"))
		})
	})

	Describe("CreateLoadBalancerPolicy and DescribeLoadBalancerPolicies", func() {
		It("creates a policy that DescribeLoadBalancerPolicies describes with its type and attributes, and DescribeLoadBalancers lists among the other policies", Behaviour("POL-CREATE-DESCRIBED"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			Expect(f.CreateProxyProtocolPolicy(ctx, lb, "ec-proxy", "true")).To(Succeed())

			Eventually(func() (map[string]elbtypes.PolicyDescription, error) { return f.Policies(ctx, lb, "ec-proxy") }).WithContext(ctx).Should(
				HaveKeyWithValue("ec-proxy", WithTransform(func(p elbtypes.PolicyDescription) []string {
					return []string{aws.ToString(p.PolicyTypeName), fixtures.PolicyAttributes(p)["ProxyProtocol"]}
				}, Equal([]string{"ProxyProtocolPolicyType", "true"}))))
			Eventually(func() ([]string, error) {
				d, err := f.Describe(ctx, lb)
				if err != nil || d.Policies == nil {
					return nil, err
				}
				return d.Policies.OtherPolicies, nil
			}).WithContext(ctx).Should(ContainElement("ec-proxy"))
		})

		It("refuses a second policy of the same name with DuplicatePolicyName and keeps the first", Behaviour("POL-CREATE-ERR-DUPLICATE"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			Expect(f.CreateProxyProtocolPolicy(ctx, lb, "ec-proxy", "true")).To(Succeed())

			Expect(f.CreateProxyProtocolPolicy(ctx, lb, "ec-proxy", "false")).To(match.APIError(400, "DuplicatePolicyName"))
			Consistently(func() (string, error) {
				m, err := f.Policies(ctx, lb, "ec-proxy")
				return fixtures.PolicyAttributes(m["ec-proxy"])["ProxyProtocol"], err
			}).WithContext(ctx).WithTimeout(settle()).Should(Equal("true"))
		})

		It("refuses a policy type that does not exist with PolicyTypeNotFound", Behaviour("POL-CREATE-ERR-TYPE-NOT-FOUND"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			_, err := f.ELB.CreateLoadBalancerPolicy(ctx, &elb.CreateLoadBalancerPolicyInput{
				LoadBalancerName: aws.String(lb), PolicyName: aws.String("ec-nothing"), PolicyTypeName: aws.String("NoSuchElbconformPolicyType")})
			Expect(err).To(match.APIError(400, "PolicyTypeNotFound"))
		})

		It("describes every policy created for a load balancer when none is named, and just those named otherwise", Behaviour("POL-DESCRIBE-BY-NAME"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			fixtures.MustCreate("LB cookie policy", f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(60)))
			fixtures.MustCreate("Proxy Protocol policy", f.CreateProxyProtocolPolicy(ctx, lb, "ec-proxy", "true"))

			Eventually(func() (map[string]elbtypes.PolicyDescription, error) { return f.Policies(ctx, lb) }).WithContext(ctx).Should(
				And(HaveKey("ec-sticky"), HaveKey("ec-proxy")))
			Expect(f.Policies(ctx, lb, "ec-proxy")).To(And(HaveLen(1), HaveKey("ec-proxy")))
		})

		It("refuses a policy name the load balancer does not have with PolicyNotFound", Behaviour("POL-DESCRIBE-ERR-POLICY-NOT-FOUND"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			_, err := f.Policies(ctx, lb, "ec-no-such-policy")
			Expect(err).To(match.APIError(400, "PolicyNotFound"))
		})

		It("describes the sample policies without a load balancer name: some named ELBSample-, none of a load balancer's own", Behaviour("POL-DESCRIBE-SAMPLES"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			own := lb + "-own" // a name no sample policy has
			fixtures.MustCreate("Proxy Protocol policy", f.CreateProxyProtocolPolicy(ctx, lb, own, "true"))

			samples, err := f.Policies(ctx, "")
			Expect(err).NotTo(HaveOccurred())
			Expect(samples).NotTo(HaveKey(own))
			var names []string
			for n := range samples {
				names = append(names, n)
			}
			Expect(names).To(ContainElement(HavePrefix("ELBSample-")))
		})

		It("describes the predefined security policy ELBSecurityPolicy-2016-08 by name as an SSL negotiation policy enabling TLS 1.2", Behaviour("POL-DESCRIBE-PREDEFINED"), func(ctx SpecContext) {
			m, err := f.Policies(ctx, "", "ELBSecurityPolicy-2016-08")
			Expect(err).NotTo(HaveOccurred())
			Expect(m).To(HaveKey("ELBSecurityPolicy-2016-08"))
			p := m["ELBSecurityPolicy-2016-08"]
			Expect(aws.ToString(p.PolicyTypeName)).To(Equal("SSLNegotiationPolicyType"))
			Expect(fixtures.PolicyAttributes(p)).To(HaveKeyWithValue("Protocol-TLSv1.2", "true"))
		})
	})

	Describe("DeleteLoadBalancerPolicy", func() {
		It("deletes a policy that is not in force, which is then no longer described", Behaviour("POL-DELETE-REMOVES"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			fixtures.MustCreate("Proxy Protocol policy", f.CreateProxyProtocolPolicy(ctx, lb, "ec-proxy", "true"))

			_, err := f.ELB.DeleteLoadBalancerPolicy(ctx, &elb.DeleteLoadBalancerPolicyInput{LoadBalancerName: aws.String(lb), PolicyName: aws.String("ec-proxy")})
			Expect(err).NotTo(HaveOccurred())
			Eventually(func() error { _, err := f.Policies(ctx, lb, "ec-proxy"); return err }).WithContext(ctx).Should(match.APIError(400, "PolicyNotFound"))
		})

		It("refuses to delete a policy enabled on a listener with InvalidConfigurationRequest (409), and the policy stays", Behaviour("POL-DELETE-IN-USE-REFUSED"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			fixtures.MustCreate("LB cookie policy", f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(60)))
			fixtures.MustCreate("SetLoadBalancerPoliciesOfListener", f.SetListenerPolicies(ctx, lb, 80, "ec-sticky"))
			Eventually(listenerPolicies(ctx, lb, 80)).WithContext(ctx).Should(ConsistOf("ec-sticky"))

			_, err := f.ELB.DeleteLoadBalancerPolicy(ctx, &elb.DeleteLoadBalancerPolicyInput{LoadBalancerName: aws.String(lb), PolicyName: aws.String("ec-sticky")})
			Expect(err).To(match.APIError(409, "InvalidConfigurationRequest"))
			Expect(f.Policies(ctx, lb, "ec-sticky")).To(HaveKey("ec-sticky"))
			Expect(f.ListenerPolicies(ctx, lb, 80)).To(ConsistOf("ec-sticky"))
		})
	})

	Describe("Stickiness policies", func() {
		It("creates a duration-based stickiness policy that DescribeLoadBalancers lists with its expiration period and DescribeLoadBalancerPolicies describes as an LBCookieStickinessPolicyType", Behaviour("POL-STICKY-LB-DESCRIBED"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			Expect(f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(60))).To(Succeed())

			Eventually(func() ([]elbtypes.LBCookieStickinessPolicy, error) {
				d, err := f.Describe(ctx, lb)
				if err != nil || d.Policies == nil {
					return nil, err
				}
				return d.Policies.LBCookieStickinessPolicies, nil
			}).WithContext(ctx).Should(ContainElement(elbtypes.LBCookieStickinessPolicy{PolicyName: aws.String("ec-sticky"), CookieExpirationPeriod: aws.Int64(60)}))
			m, err := f.Policies(ctx, lb, "ec-sticky")
			Expect(err).NotTo(HaveOccurred())
			Expect(aws.ToString(m["ec-sticky"].PolicyTypeName)).To(Equal("LBCookieStickinessPolicyType"))
			Expect(fixtures.PolicyAttributes(m["ec-sticky"])).To(HaveKeyWithValue("CookieExpirationPeriod", "60"))
		})

		It("creates a duration-based stickiness policy without an expiration period, for the browser session", Behaviour("POL-STICKY-LB-SESSION"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			Expect(f.CreateLBCookiePolicy(ctx, lb, "ec-session", nil)).To(Succeed())

			// Whether the period is then left out or answered as 0 is not documented.
			Eventually(func() ([]elbtypes.LBCookieStickinessPolicy, error) {
				d, err := f.Describe(ctx, lb)
				if err != nil || d.Policies == nil {
					return nil, err
				}
				return d.Policies.LBCookieStickinessPolicies, nil
			}).WithContext(ctx).Should(ContainElement(SatisfyAll(
				WithTransform(func(p elbtypes.LBCookieStickinessPolicy) string { return aws.ToString(p.PolicyName) }, Equal("ec-session")),
				WithTransform(func(p elbtypes.LBCookieStickinessPolicy) int64 { return aws.ToInt64(p.CookieExpirationPeriod) }, BeZero()),
			)))
		})

		It("creates an application-controlled stickiness policy that DescribeLoadBalancers lists with its cookie name and DescribeLoadBalancerPolicies describes as an AppCookieStickinessPolicyType", Behaviour("POL-STICKY-APP-DESCRIBED"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			Expect(f.CreateAppCookiePolicy(ctx, lb, "ec-app", "ECSESSION")).To(Succeed())

			Eventually(func() ([]elbtypes.AppCookieStickinessPolicy, error) {
				d, err := f.Describe(ctx, lb)
				if err != nil || d.Policies == nil {
					return nil, err
				}
				return d.Policies.AppCookieStickinessPolicies, nil
			}).WithContext(ctx).Should(ContainElement(elbtypes.AppCookieStickinessPolicy{PolicyName: aws.String("ec-app"), CookieName: aws.String("ECSESSION")}))
			m, err := f.Policies(ctx, lb, "ec-app")
			Expect(err).NotTo(HaveOccurred())
			Expect(aws.ToString(m["ec-app"].PolicyTypeName)).To(Equal("AppCookieStickinessPolicyType"))
			Expect(fixtures.PolicyAttributes(m["ec-app"])).To(HaveKeyWithValue("CookieName", "ECSESSION"))
		})

		It("refuses a stickiness policy under a name the load balancer already uses with DuplicatePolicyName", Behaviour("POL-STICKY-ERR-DUPLICATE"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			fixtures.MustCreate("LB cookie policy", f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(60)))

			Expect(f.CreateAppCookiePolicy(ctx, lb, "ec-sticky", "ECSESSION")).To(match.APIError(400, "DuplicatePolicyName"))
			Expect(f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(120))).To(match.APIError(400, "DuplicatePolicyName"))
			Expect(f.Policies(ctx, lb, "ec-sticky")).To(HaveKeyWithValue("ec-sticky", WithTransform(fixtures.PolicyAttributes, HaveKeyWithValue("CookieExpirationPeriod", "60"))))
		})
	})

	Describe("SetLoadBalancerPoliciesOfListener", func() {
		It("puts a stickiness policy in force on an HTTP listener, which DescribeLoadBalancers then lists for that listener", Behaviour("POL-SET-LISTENER-ENABLES"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			fixtures.MustCreate("LB cookie policy", f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(60)))

			Expect(f.SetListenerPolicies(ctx, lb, 80, "ec-sticky")).To(Succeed())
			Eventually(listenerPolicies(ctx, lb, 80)).WithContext(ctx).Should(ConsistOf("ec-sticky"))
		})

		It("replaces the listener's policies with those named: one not named is no longer in force", Behaviour("POL-SET-LISTENER-REPLACES"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			fixtures.MustCreate("LB cookie policy", f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(60)))
			fixtures.MustCreate("app cookie policy", f.CreateAppCookiePolicy(ctx, lb, "ec-app", "ECSESSION"))
			fixtures.MustCreate("SetLoadBalancerPoliciesOfListener", f.SetListenerPolicies(ctx, lb, 80, "ec-sticky"))
			Eventually(listenerPolicies(ctx, lb, 80)).WithContext(ctx).Should(ConsistOf("ec-sticky"))

			Expect(f.SetListenerPolicies(ctx, lb, 80, "ec-app")).To(Succeed())
			Eventually(listenerPolicies(ctx, lb, 80)).WithContext(ctx).Should(ConsistOf("ec-app"))
		})

		It("removes every policy from the listener when the list is empty", Behaviour("POL-SET-LISTENER-EMPTY"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			fixtures.MustCreate("LB cookie policy", f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(60)))
			fixtures.MustCreate("SetLoadBalancerPoliciesOfListener", f.SetListenerPolicies(ctx, lb, 80, "ec-sticky"))
			Eventually(listenerPolicies(ctx, lb, 80)).WithContext(ctx).Should(ConsistOf("ec-sticky"))

			Expect(f.SetListenerPolicies(ctx, lb, 80)).To(Succeed())
			Eventually(listenerPolicies(ctx, lb, 80)).WithContext(ctx).Should(BeEmpty())
		})

		It("refuses a name that is not a policy of the load balancer with PolicyNotFound, and the listener keeps its policies", Behaviour("POL-SET-LISTENER-ERR-POLICY-NOT-FOUND"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			fixtures.MustCreate("LB cookie policy", f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(60)))
			fixtures.MustCreate("SetLoadBalancerPoliciesOfListener", f.SetListenerPolicies(ctx, lb, 80, "ec-sticky"))
			Eventually(listenerPolicies(ctx, lb, 80)).WithContext(ctx).Should(ConsistOf("ec-sticky"))

			Expect(f.SetListenerPolicies(ctx, lb, 80, "ec-no-such-policy")).To(match.APIError(400, "PolicyNotFound"))
			Consistently(listenerPolicies(ctx, lb, 80)).WithContext(ctx).WithTimeout(settle()).Should(ConsistOf("ec-sticky"))
		})

		It("refuses a port without a listener with ListenerNotFound", Behaviour("POL-SET-LISTENER-ERR-LISTENER-NOT-FOUND"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			fixtures.MustCreate("LB cookie policy", f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(60)))

			Expect(f.SetListenerPolicies(ctx, lb, 8081, "ec-sticky")).To(match.APIError(400, "ListenerNotFound"))
		})

		It("refuses a stickiness policy on a TCP listener (stickiness is for HTTP/HTTPS listeners only), and the listener stays without policies", Behaviour("POL-SET-LISTENER-STICKY-HTTP-ONLY"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithTCPListener(ctx, zone)
			fixtures.MustCreate("LB cookie policy", f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(60)))
			fixtures.MustCreate("app cookie policy", f.CreateAppCookiePolicy(ctx, lb, "ec-app", "ECSESSION"))
			port := fixtures.TCPPolicyListener.LoadBalancerPort

			// The code of the refusal is not documented; InvalidConfigurationRequest is believed.
			Expect(f.SetListenerPolicies(ctx, lb, port, "ec-sticky")).To(refusedByClient())
			Expect(f.SetListenerPolicies(ctx, lb, port, "ec-app")).To(refusedByClient())
			Consistently(listenerPolicies(ctx, lb, port)).WithContext(ctx).WithTimeout(settle()).Should(BeEmpty())
		})

		It("refuses a Proxy Protocol policy on a listener with InvalidConfigurationRequest (409): it belongs on an instance port", Behaviour("POL-SET-LISTENER-ERR-WRONG-TYPE"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			fixtures.MustCreate("Proxy Protocol policy", f.CreateProxyProtocolPolicy(ctx, lb, "ec-proxy", "true"))

			Expect(f.SetListenerPolicies(ctx, lb, 80, "ec-proxy")).To(match.APIError(409, "InvalidConfigurationRequest"))
			Expect(f.ListenerPolicies(ctx, lb, 80)).To(BeEmpty())
		})

		It("either refuses an LB cookie and an app cookie policy together on one listener, changing nothing, or puts both in force", Behaviour("POL-SET-LISTENER-ONE-STICKY"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			fixtures.MustCreate("LB cookie policy", f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(60)))
			fixtures.MustCreate("app cookie policy", f.CreateAppCookiePolicy(ctx, lb, "ec-app", "ECSESSION"))

			err := f.SetListenerPolicies(ctx, lb, 80, "ec-sticky", "ec-app")
			if err != nil {
				Expect(err).To(refusedByClient())
				Consistently(listenerPolicies(ctx, lb, 80)).WithContext(ctx).WithTimeout(settle()).Should(BeEmpty())
				return
			}
			Eventually(listenerPolicies(ctx, lb, 80)).WithContext(ctx).Should(ConsistOf("ec-sticky", "ec-app"))
		})
	})

	Describe("SetLoadBalancerPoliciesForBackendServer", func() {
		It("puts a Proxy Protocol policy in force on an instance port, which DescribeLoadBalancers lists in BackendServerDescriptions until an empty list removes it", Behaviour("POL-SET-BACKEND-DESCRIBED"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerWithTCPListener(ctx, zone)
			fixtures.MustCreate("Proxy Protocol policy", f.CreateProxyProtocolPolicy(ctx, lb, "ec-proxy", "true"))
			port := aws.ToInt32(fixtures.TCPPolicyListener.InstancePort)
			backends := func() (map[int32][]string, error) { return f.BackendPolicies(ctx, lb) }

			Expect(f.SetBackendPolicies(ctx, lb, port, "ec-proxy")).To(Succeed())
			Eventually(backends).WithContext(ctx).Should(HaveKeyWithValue(port, ConsistOf("ec-proxy")))
			Expect(f.SetBackendPolicies(ctx, lb, port)).To(Succeed())
			Eventually(backends).WithContext(ctx).Should(BeEmpty())
		})

		It("refuses a name that is not a policy of the load balancer with PolicyNotFound", Behaviour("POL-SET-BACKEND-ERR-POLICY-NOT-FOUND"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zone)
			Expect(f.SetBackendPolicies(ctx, lb, aws.ToInt32(fixtures.HTTPListener.InstancePort), "ec-no-such-policy")).To(match.APIError(400, "PolicyNotFound"))
			Expect(f.BackendPolicies(ctx, lb)).To(BeEmpty())
		})
	})

	DescribeTable("refuse an unknown load balancer with LoadBalancerNotFound (HTTP 400)",
		func(ctx SpecContext, call func(ctx context.Context, lb string) error) {
			Expect(call(ctx, f.UnknownLoadBalancerName())).To(match.APIError(400, "LoadBalancerNotFound"))
		},
		Entry("CreateLoadBalancerPolicy", Behaviour("POL-CREATE-ERR-LB-NOT-FOUND"), func(ctx context.Context, lb string) error {
			return f.CreateProxyProtocolPolicy(ctx, lb, "ec-proxy", "true")
		}),
		Entry("DescribeLoadBalancerPolicies", Behaviour("POL-DESCRIBE-ERR-LB-NOT-FOUND"), func(ctx context.Context, lb string) error {
			_, err := f.Policies(ctx, lb)
			return err
		}),
		Entry("DeleteLoadBalancerPolicy", Behaviour("POL-DELETE-ERR-LB-NOT-FOUND"), func(ctx context.Context, lb string) error {
			_, err := f.ELB.DeleteLoadBalancerPolicy(ctx, &elb.DeleteLoadBalancerPolicyInput{LoadBalancerName: aws.String(lb), PolicyName: aws.String("ec-proxy")})
			return err
		}),
		Entry("CreateLBCookieStickinessPolicy", Behaviour("POL-STICKY-ERR-LB-NOT-FOUND"), func(ctx context.Context, lb string) error {
			return f.CreateLBCookiePolicy(ctx, lb, "ec-sticky", aws.Int64(60))
		}),
		Entry("CreateAppCookieStickinessPolicy", Behaviour("POL-STICKY-ERR-LB-NOT-FOUND"), func(ctx context.Context, lb string) error {
			return f.CreateAppCookiePolicy(ctx, lb, "ec-app", "ECSESSION")
		}),
		Entry("SetLoadBalancerPoliciesOfListener", Behaviour("POL-SET-LISTENER-ERR-LB-NOT-FOUND"), func(ctx context.Context, lb string) error {
			return f.SetListenerPolicies(ctx, lb, 80)
		}),
		Entry("SetLoadBalancerPoliciesForBackendServer", Behaviour("POL-SET-BACKEND-ERR-LB-NOT-FOUND"), func(ctx context.Context, lb string) error {
			return f.SetBackendPolicies(ctx, lb, 80)
		}),
	)
})
