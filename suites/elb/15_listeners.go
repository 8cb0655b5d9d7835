package elb

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
	"github.com/elbconform/elbconform/harness/wire"
)

// CreateLoadBalancerListeners and DeleteLoadBalancerListeners change a load
// balancer's listeners; DescribeLoadBalancers shows them. What the listeners
// then serve is for the traffic specs.
var _ = Describe("Listeners", func() {
	var zone string
	BeforeEach(func(ctx SpecContext) { zone = f.Zones(ctx, 1)[0] })

	ports := func(ctx SpecContext, lb string) func() ([]int32, error) {
		return func() ([]int32, error) {
			ls, err := f.Listeners(ctx, lb)
			return fixtures.ListenerPorts(ls), err
		}
	}

	It("adds a listener on a new port, which DescribeLoadBalancers then shows with its settings", Behaviour("LSN-CREATE-ADDS"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)

		Expect(f.CreateListeners(ctx, lb, fixtures.TCPListener)).To(Succeed())
		Eventually(func() ([]elbtypes.Listener, error) { return f.Listeners(ctx, lb) }).WithContext(ctx).
			Should(ConsistOf(fixtures.HTTPListener, fixtures.TCPListener))
	})

	It("succeeds in creating a listener identical to one the load balancer has, and does not list it twice", Behaviour("LSN-CREATE-IDEMPOTENT"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)

		Expect(f.CreateListeners(ctx, lb, fixtures.HTTPListener)).To(Succeed())
		Consistently(ports(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(ConsistOf(fixtures.HTTPListener.LoadBalancerPort))
	})

	It("refuses a listener on a port in use with other settings with DuplicateListener, and keeps the listener it has", Behaviour("LSN-CREATE-DUPLICATE"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		other := fixtures.HTTPListener
		other.InstancePort = aws.Int32(8080)

		err := f.CreateListeners(ctx, lb, other)
		Expect(err).To(match.APIError(400, "DuplicateListener"))
		var dup *elbtypes.DuplicateListenerException
		Expect(errors.As(err, &dup)).To(BeTrue(), "the SDK maps DuplicateListener to DuplicateListenerException; got %T", err)
		Consistently(func() ([]elbtypes.Listener, error) { return f.Listeners(ctx, lb) }).WithContext(ctx).WithTimeout(settle()).
			Should(ConsistOf(fixtures.HTTPListener))
	})

	It("refuses a listener whose protocol is not HTTP, HTTPS, TCP or SSL with a client error, and adds nothing", Behaviour("LSN-CREATE-UNSUPPORTED-PROTOCOL"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		ftp := elbtypes.Listener{Protocol: aws.String("FTP"), LoadBalancerPort: 21, InstancePort: aws.Int32(21)}

		// Only the four protocols are documented; which error another gets is not
		// (UnsupportedProtocol and ValidationError are 400, the operation's
		// InvalidConfigurationRequest 409), so any of those statuses is accepted.
		Expect(f.CreateListeners(ctx, lb, ftp)).To(SatisfyAny(match.ClientError(400), match.ClientError(409)))
		Consistently(ports(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(ConsistOf(fixtures.HTTPListener.LoadBalancerPort))
	})

	It("removes the listener on a port, which DescribeLoadBalancers then no longer shows", Behaviour("LSN-DELETE-REMOVES"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		Expect(f.CreateListeners(ctx, lb, fixtures.TCPListener)).To(Succeed())
		Eventually(ports(ctx, lb)).WithContext(ctx).Should(ConsistOf(fixtures.HTTPListener.LoadBalancerPort, fixtures.TCPListener.LoadBalancerPort))

		Expect(f.DeleteListeners(ctx, lb, fixtures.TCPListener.LoadBalancerPort)).To(Succeed())
		Eventually(ports(ctx, lb)).WithContext(ctx).Should(ConsistOf(fixtures.HTTPListener.LoadBalancerPort))
	})

	It("leaves the listeners as they are when asked to delete a port that has none: the call succeeds, or is refused with a 400 client error", Behaviour("LSN-DELETE-MISSING"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)

		err := f.DeleteListeners(ctx, lb, 8081)
		if err != nil {
			Expect(err).To(match.ClientError(400))
		}
		Consistently(ports(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(ConsistOf(fixtures.HTTPListener.LoadBalancerPort))
	})

	It("either removes a load balancer's last listener, leaving it none, or refuses with a client error and keeps it", Behaviour("LSN-DELETE-LAST"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)

		err := f.DeleteListeners(ctx, lb, fixtures.HTTPListener.LoadBalancerPort)
		if err != nil {
			Expect(err).To(SatisfyAny(match.ClientError(400), match.ClientError(409)))
			Consistently(ports(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(ConsistOf(fixtures.HTTPListener.LoadBalancerPort))
			return
		}
		Eventually(ports(ctx, lb)).WithContext(ctx).Should(BeEmpty())
	})

	Context("on an unknown load balancer", func() {
		It("refuses CreateLoadBalancerListeners with AccessPointNotFoundException (LoadBalancerNotFound, HTTP 400)", Behaviour("LSN-CREATE-ERR-LB-NOT-FOUND"), func(ctx SpecContext) {
			lb := f.UnknownLoadBalancerName()

			err := f.CreateListeners(ctx, lb, fixtures.TCPListener)
			Expect(err).To(match.APIError(400, "LoadBalancerNotFound"))
			var notFound *elbtypes.AccessPointNotFoundException
			Expect(errors.As(err, &notFound)).To(BeTrue(), "got %T", err)

			form := wire.ELBRequest("CreateLoadBalancerListeners")
			form.Set("LoadBalancerName", lb)
			form.Set("Listeners.member.1.Protocol", "TCP")
			form.Set("Listeners.member.1.LoadBalancerPort", "8080")
			form.Set("Listeners.member.1.InstancePort", "80")
			Expect(f.Wire.Do(ctx, form)).To(match.ELBError(400, "LoadBalancerNotFound"))
		})

		It("refuses DeleteLoadBalancerListeners with AccessPointNotFoundException (LoadBalancerNotFound, HTTP 400)", Behaviour("LSN-DELETE-ERR-LB-NOT-FOUND"), func(ctx SpecContext) {
			lb := f.UnknownLoadBalancerName()

			err := f.DeleteListeners(ctx, lb, 80)
			Expect(err).To(match.APIError(400, "LoadBalancerNotFound"))
			var notFound *elbtypes.AccessPointNotFoundException
			Expect(errors.As(err, &notFound)).To(BeTrue(), "got %T", err)

			form := wire.ELBRequest("DeleteLoadBalancerListeners")
			form.Set("LoadBalancerName", lb)
			form.Set("LoadBalancerPorts.member.1", "80")
			Expect(f.Wire.Do(ctx, form)).To(match.ELBError(400, "LoadBalancerNotFound"))
		})
	})
})
