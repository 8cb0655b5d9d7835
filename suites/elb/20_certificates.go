package elb

import (
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
)

// Server certificates and secure listeners: an HTTPS or SSL listener names a
// server certificate by ARN (a certificate uploaded to IAM, or one of AWS
// Certificate Manager), which must exist; SetLoadBalancerListenerSSLCertificate
// replaces it; IAM will not delete a certificate a listener uses; and an HTTPS
// listener terminates TLS with its certificate. Every spec uploads its own
// self-signed certificate first, so that it is deleted after the spec's load
// balancers.
var _ = Describe("Server certificates and secure listeners", func() {
	var zone string
	BeforeEach(func(ctx SpecContext) { zone = f.Zones(ctx, 1)[0] })

	certificateOf := func(ctx SpecContext, lb string) func() (string, error) {
		return func() (string, error) { return f.ListenerCertificate(ctx, lb, fixtures.HTTPSPort) }
	}

	It("refuses to create a load balancer whose HTTPS listener names no certificate with CertificateNotFound, and creates nothing",
		Behaviour("CERT-CREATE-LB-UNKNOWN"), func(ctx SpecContext) {
			cert := f.UploadServerCertificate(ctx) // for the account the unknown ARN is in
			name := f.Name()
			_, err := f.TryCreateLoadBalancer(ctx, name, elb.CreateLoadBalancerInput{AvailabilityZones: []string{zone},
				Listeners: []elbtypes.Listener{fixtures.HTTPListener, fixtures.HTTPSListener(fixtures.UnknownCertificateARN(cert))}})
			Expect(err).To(match.APIError(400, "CertificateNotFound"))
			_, err = f.Describe(ctx, name)
			Expect(err).To(match.APIError(400, "LoadBalancerNotFound"), "the refused call created no load balancer")
		})

	It("refuses an HTTPS listener whose certificate ARN, of IAM or of ACM, names no certificate with CertificateNotFound, and adds no listener",
		Behaviour("CERT-CREATE-LISTENERS-UNKNOWN"), func(ctx SpecContext) {
			cert := f.UploadServerCertificate(ctx)
			lb := f.CreateLoadBalancer(ctx, zone)
			for _, arn := range []string{fixtures.UnknownCertificateARN(cert), fixtures.UnknownACMCertificateARN(cert, f.Run.Endpoint.Region)} {
				Expect(f.CreateListeners(ctx, lb, fixtures.HTTPSListener(arn))).To(match.APIError(400, "CertificateNotFound"), "certificate %s", arn)
			}
			ls, err := f.Listeners(ctx, lb)
			Expect(err).NotTo(HaveOccurred())
			Expect(fixtures.ListenerPorts(ls)).To(ConsistOf(fixtures.HTTPListener.LoadBalancerPort), "the refused calls added no listener")
		})

	Describe("SetLoadBalancerListenerSSLCertificate", func() {
		It("replaces the certificate of the HTTPS listener on the port, as DescribeLoadBalancers then shows, and changes nothing else of it",
			Behaviour("CERT-SET-REPLACES"), func(ctx SpecContext) {
				first := f.UploadServerCertificate(ctx)
				second := f.UploadServerCertificate(ctx)
				lb := f.CreateLoadBalancer(ctx, zone)
				f.AddHTTPSListener(ctx, lb, first)
				Eventually(certificateOf(ctx, lb)).WithContext(ctx).Should(Equal(first.ARN))

				f.ReplaceCertificate(ctx, lb, fixtures.HTTPSPort, second)
				Eventually(certificateOf(ctx, lb)).WithContext(ctx).Should(Equal(second.ARN))
				ls, err := f.Listeners(ctx, lb)
				Expect(err).NotTo(HaveOccurred())
				Expect(ls).To(ContainElement(SatisfyAll(
					HaveField("LoadBalancerPort", fixtures.HTTPSPort),
					HaveField("Protocol", HaveValue(Equal("HTTPS"))),
					HaveField("InstancePort", HaveValue(BeEquivalentTo(80))),
				)), "the listener keeps its protocol and ports")
			})

		It("refuses a certificate ARN that names no certificate with CertificateNotFound, and the listener keeps its certificate",
			Behaviour("CERT-SET-UNKNOWN"), func(ctx SpecContext) {
				cert := f.UploadServerCertificate(ctx)
				lb := f.CreateLoadBalancer(ctx, zone)
				f.AddHTTPSListener(ctx, lb, cert)

				err := f.SetListenerCertificate(ctx, lb, fixtures.HTTPSPort, fixtures.UnknownCertificateARN(cert))
				Expect(err).To(match.APIError(400, "CertificateNotFound"))
				Expect(certificateOf(ctx, lb)()).To(Equal(cert.ARN))
			})

		It("refuses a port with no listener with ListenerNotFound",
			Behaviour("CERT-SET-LISTENER-NOT-FOUND"), func(ctx SpecContext) {
				cert := f.UploadServerCertificate(ctx)
				lb := f.CreateLoadBalancer(ctx, zone)
				Expect(f.SetListenerCertificate(ctx, lb, fixtures.HTTPSPort, cert.ARN)).To(match.APIError(400, "ListenerNotFound"))
			})

		It("refuses an unknown load balancer with LoadBalancerNotFound",
			Behaviour("CERT-SET-LB-NOT-FOUND"), func(ctx SpecContext) {
				cert := f.UploadServerCertificate(ctx)
				Expect(f.SetListenerCertificate(ctx, f.UnknownLoadBalancerName(), fixtures.HTTPSPort, cert.ARN)).To(match.APIError(400, "LoadBalancerNotFound"))
			})
	})

	It("keeps IAM from deleting a certificate a listener uses (DeleteConflict) until the listener is deleted",
		Behaviour("CERT-DELETE-IN-USE"), func(ctx SpecContext) {
			cert := f.UploadServerCertificate(ctx)
			lb := f.CreateLoadBalancer(ctx, zone)
			f.AddHTTPSListener(ctx, lb, cert)

			Expect(f.DeleteServerCertificate(ctx, cert)).To(match.APIError(409, "DeleteConflict"))
			Expect(f.DeleteListeners(ctx, lb, fixtures.HTTPSPort)).To(Succeed())
			Eventually(f.DeleteServerCertificate).WithContext(ctx).WithArguments(cert).Should(
				SatisfyAny(Succeed(), match.APIError(404, "NoSuchEntity")),
				"once no listener uses it, the certificate can be deleted")
		})

	It("terminates TLS on an HTTPS listener with its certificate, carries the requests to the InService instances, and presents a replaced certificate to new connections",
		Behaviour("DATA-HTTPS-TERMINATES"), Behaviour("DATA-HTTPS-SET-CERTIFICATE"), func(ctx SpecContext) {
			const sample = 10
			first := f.UploadServerCertificate(ctx)
			second := f.UploadServerCertificate(ctx)
			lb := f.CreateLoadBalancer(ctx, zone)
			f.AddHTTPSListener(ctx, lb, first)
			ids := f.RunningInstances(ctx, zone, 1)
			f.Registered(ctx, lb, ids...)
			f.AwaitInService(ctx, lb, ids...)

			Eventually(f.TLSTraffic).WithContext(ctx).WithArguments(lb, fixtures.HTTPSPort, sample, first.Leaf).
				Should(Equal(map[string]int{ids[0]: sample}), "every HTTPS request, over TLS with %s's certificate, reaches %s", first.Name, ids[0])

			f.ReplaceCertificate(ctx, lb, fixtures.HTTPSPort, second)
			Eventually(f.TLSTraffic).WithContext(ctx).WithArguments(lb, fixtures.HTTPSPort, sample, second.Leaf).
				Should(Equal(map[string]int{ids[0]: sample}), "new connections get the replacing certificate %s", second.Name)
		})
})
