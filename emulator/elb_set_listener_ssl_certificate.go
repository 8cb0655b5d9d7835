package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// setLoadBalancerListenerSSLCertificate replaces the certificate of the HTTPS or SSL listener
// on LoadBalancerPort (docs/sources.md 21e): "The specified certificate replaces any prior
// certificate that was used on the same load balancer and port." DescribeLoadBalancers shows
// the new SSLCertificateId at once, and the listener's nodes present the new certificate on
// every TLS handshake from then on (the data plane asks for it per handshake:
// dataplane.go); connections already open keep the one they negotiated.
//
// Errors, in the order checked: a malformed request (ValidationError), an unknown load
// balancer (LoadBalancerNotFound), no listener on the port (ListenerNotFound, 400), a
// listener that is not HTTPS or SSL (InvalidConfigurationRequest, 409: it has no SSL
// connections to terminate; the model lists the code, no capture shows which AWS answers,
// believed), an ARN that names no server certificate (CertificateNotFound, 400). On error
// nothing changes.
func (h *handler) setLoadBalancerListenerSSLCertificate(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name := p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	rawPort, ok := p["LoadBalancerPort"]
	if !ok || rawPort == "" {
		return errMissingParam("LoadBalancerPort")
	}
	port, err := strconv.Atoi(rawPort)
	if err != nil || port < 1 || port > 65535 {
		return errValidation("LoadBalancerPort must be an integer between 1 and 65535: '%s' is not.", wire.Truncate(rawPort, 20))
	}
	arn := p["SSLCertificateId"]
	if arn == "" {
		return errMissingParam("SSLCertificateId")
	}
	return h.changeLB(name, func(lb *loadBalancer) *wire.Error {
		i := slices.IndexFunc(lb.listeners, func(l listener) bool { return l.LoadBalancerPort == port })
		if i < 0 {
			return wire.NewError(http.StatusBadRequest, "ListenerNotFound",
				"There is no listener on port %d of load balancer %s.", port, lb.name)
		}
		if l := lb.listeners[i]; !isSecure(l.Protocol) {
			return errInvalidConfiguration("The listener on port %d of %s is %s: only HTTPS and SSL listeners have a certificate.", port, lb.name, l.Protocol)
		}
		if e := h.checkCertificate(arn); e != nil {
			return e
		}
		h.dev.SetListenerCertificate(func() {
			next := slices.Clone(lb.listeners) // others may hold the old slice (idempotency checks)
			next[i].SSLCertificateID = strings.Clone(arn)
			lb.listeners = next
		})
		return nil
	})
}
