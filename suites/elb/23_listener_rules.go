package elb

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/harness/match"
)

// The listeners CreateLoadBalancer takes (API reference Listener; the Classic guide's
// "Listeners for your Classic Load Balancer"): "If the front-end connection uses TCP or SSL,
// then your back-end connections can use either TCP or SSL. If the front-end connection uses
// HTTP or HTTPS, then your back-end connections can use either HTTP or HTTPS. Back-end
// instances can listen on ports 1-65535. Load balancers can listen on the following ports:
// 1-65535" (a load balancer in a VPC; EC2-Classic, with its shorter list, is retired). Only
// insecure front ends here: HTTPS and SSL ones need a server certificate.
var _ = Describe("Parameter rules: CreateLoadBalancer listeners", func() {
	var zone string
	BeforeEach(func(ctx SpecContext) { zone = f.Zones(ctx, 1)[0] })

	listener := func(proto string, port int32, instProto string, instPort int32) elbtypes.Listener {
		l := elbtypes.Listener{Protocol: aws.String(proto), LoadBalancerPort: port, InstancePort: aws.Int32(instPort)}
		if instProto != "" {
			l.InstanceProtocol = aws.String(instProto)
		}
		return l
	}
	create := func(ctx SpecContext, name string, ls ...elbtypes.Listener) error {
		_, err := f.TryCreateLoadBalancer(ctx, name, elb.CreateLoadBalancerInput{AvailabilityZones: []string{zone}, Listeners: ls})
		return err
	}
	// described answers (front-end protocol, back-end protocol) by load balancer port, in
	// upper case: the protocols are not case-sensitive.
	type protocols struct{ Front, Back string }
	described := func(ctx SpecContext, name string) (map[int32]protocols, error) {
		ls, err := f.Listeners(ctx, name)
		out := map[int32]protocols{}
		for _, l := range ls {
			out[l.LoadBalancerPort] = protocols{strings.ToUpper(aws.ToString(l.Protocol)), strings.ToUpper(aws.ToString(l.InstanceProtocol))}
		}
		return out, err
	}

	It("refuses a listener whose back-end protocol is not of its front end's layer (HTTP to TCP, TCP to HTTP) with a client error, and creates nothing", Behaviour("LSN-PROTO-PAIRS"), func(ctx SpecContext) {
		// The rule is documented; which error breaking it gets is not captured: the
		// operation's InvalidConfigurationRequest (409) or a 400 (ValidationError).
		var names []string
		for _, l := range []elbtypes.Listener{listener("HTTP", 80, "TCP", 80), listener("TCP", 80, "HTTP", 80)} {
			name := f.Name()
			err := create(ctx, name, l)
			Expect(err).To(SatisfyAny(match.ClientError(400), match.ClientError(409)),
				"front end %s, back end %s", aws.ToString(l.Protocol), aws.ToString(l.InstanceProtocol))
			names = append(names, name)
		}
		noneCreated(ctx, names...)
	})

	It("accepts every back-end protocol of the front end's layer (HTTP to HTTP or HTTPS, TCP to TCP or SSL)", Behaviour("LSN-PROTO-COMPATIBLE"), func(ctx SpecContext) {
		name := f.Name()
		Expect(create(ctx, name, listener("HTTP", 80, "HTTP", 80), listener("HTTP", 81, "HTTPS", 443),
			listener("TCP", 82, "TCP", 82), listener("TCP", 83, "SSL", 443))).To(Succeed())
		Eventually(described).WithContext(ctx).WithArguments(name).Should(Equal(map[int32]protocols{
			80: {"HTTP", "HTTP"}, 81: {"HTTP", "HTTPS"}, 82: {"TCP", "TCP"}, 83: {"TCP", "SSL"},
		}))
	})

	It("takes the protocols in any case", Behaviour("LSN-PROTO-CASE"), func(ctx SpecContext) {
		name := f.Name()
		Expect(create(ctx, name, listener("http", 80, "Http", 80), listener("tcp", 8080, "tcp", 80))).To(Succeed())
		Eventually(described).WithContext(ctx).WithArguments(name).Should(Equal(map[int32]protocols{
			80: {"HTTP", "HTTP"}, 8080: {"TCP", "TCP"},
		}))
	})

	It("gives a listener created without InstanceProtocol a back-end protocol of its front end's layer", Behaviour("LSN-PROTO-DEFAULT-INSTANCE"), func(ctx SpecContext) {
		name := f.Name()
		Expect(create(ctx, name, listener("HTTP", 80, "", 80), listener("TCP", 8080, "", 80))).To(Succeed())
		// Which protocol of the layer is not documented (HTTP and TCP are expected), nor
		// that it is described at all.
		Eventually(described).WithContext(ctx).WithArguments(name).Should(SatisfyAll(
			HaveKeyWithValue(int32(80), HaveField("Back", BeElementOf("HTTP", "HTTPS", ""))),
			HaveKeyWithValue(int32(8080), HaveField("Back", BeElementOf("TCP", "SSL", ""))),
		))
	})

	It("accepts any load balancer port from 1 through 65535", Behaviour("LSN-PORT-ANY"), func(ctx SpecContext) {
		name := f.Name()
		Expect(create(ctx, name, listener("TCP", 1, "TCP", 1), listener("TCP", 1023, "TCP", 1023), listener("TCP", 65535, "TCP", 65535))).To(Succeed())
		Eventually(described).WithContext(ctx).WithArguments(name).Should(HaveLen(3))
		Expect(described(ctx, name)).To(SatisfyAll(HaveKey(int32(1)), HaveKey(int32(1023)), HaveKey(int32(65535))))
	})

	It("refuses a load balancer port or instance port outside 1-65535 with a client error, and creates nothing", Behaviour("LSN-PORT-RANGE"), func(ctx SpecContext) {
		var names []string
		for _, l := range []elbtypes.Listener{listener("TCP", 65536, "TCP", 80), listener("TCP", 80, "TCP", 0), listener("TCP", 80, "TCP", 65536)} {
			name := f.Name()
			err := create(ctx, name, l)
			Expect(err).To(SatisfyAny(match.ClientError(400), match.ClientError(409)),
				"load balancer port %d, instance port %d", l.LoadBalancerPort, aws.ToInt32(l.InstancePort))
			names = append(names, name)
		}
		noneCreated(ctx, names...)
	})
})
