package emulator

import (
	"crypto/tls"
	"net/http"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Server certificates as ELB sees them (docs/sources.md 21): an HTTPS or SSL listener names
// its certificate by ARN (SSLCertificateId), which must name a server certificate uploaded
// to IAM (iam_state.go) when the listener is created (CreateLoadBalancer,
// CreateLoadBalancerListeners) or its certificate replaced
// (SetLoadBalancerListenerSSLCertificate); otherwise CertificateNotFound (400). AWS also
// accepts the ARN of an AWS Certificate Manager certificate; the emulator has no ACM, so an
// ACM ARN names no certificate it can serve and is refused the same way, as AWS refuses an
// ACM ARN that names no certificate (the model's CertificateNotFoundException: "does not
// refer to a valid SSL certificate in AWS Identity and Access Management (IAM) or AWS
// Certificate Manager (ACM)"). HTTP and TCP listeners have no certificate: an
// SSLCertificateId on one is stored as given and never looked up.

// certificates is what ELB reads of IAM (certificateReader). The caller holds the store lock.
func (h *handler) certificates() certificateReader { return h.st.iam }

// errCertificateNotFound is CertificateNotFound (model: CertificateNotFoundException, 400),
// with AWS's wording (docs/sources.md 21d).
func errCertificateNotFound(arn string) *wire.Error {
	return wire.NewError(http.StatusBadRequest, "CertificateNotFound", "Server Certificate not found for the key: %s", wire.Truncate(arn, 2048))
}

// isSecure reports whether a front-end protocol terminates TLS at the load balancer.
func isSecure(protocol string) bool { return protocol == "HTTPS" || protocol == "SSL" }

// checkCertificate answers CertificateNotFound unless arn names a server certificate. The
// caller holds the store lock.
func (h *handler) checkCertificate(arn string) *wire.Error {
	if _, ok := h.certificates().ServerCertificate(arn); ok {
		return nil
	}
	return h.dev.UnknownCertificate(errCertificateNotFound(arn))
}

// checkListenerCertificates checks the certificate of every HTTPS and SSL listener of ls.
// The caller holds the store lock.
func (h *handler) checkListenerCertificates(ls []listener) *wire.Error {
	for _, l := range ls {
		if !isSecure(l.Protocol) {
			continue
		}
		if e := h.checkCertificate(l.SSLCertificateID); e != nil {
			return e
		}
	}
	return nil
}

// listenerCertificate is the key pair lb's listener on port serves: its certificate's, while
// that is a server certificate (always, unless a fault let an unknown one in or deleted one
// in use). The caller holds the store lock.
func (h *handler) listenerCertificate(lb *loadBalancer, port int) (*tls.Certificate, bool) {
	for _, l := range lb.listeners {
		if l.LoadBalancerPort == port && isSecure(l.Protocol) {
			return h.certificates().ServerCertificate(l.SSLCertificateID)
		}
	}
	return nil, false
}

// CertificateUser answers IAM (certificateUsers): the first load balancer, by name, with a
// secure listener using arn.
func (e elbSide) CertificateUser(arn string) (string, bool) {
	found := ""
	for name, lb := range e.h.st.elb.lbs {
		for _, l := range lb.listeners {
			if isSecure(l.Protocol) && l.SSLCertificateID == arn && (found == "" || name < found) {
				found = name
			}
		}
	}
	return found, found != ""
}
