package dataplane

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"time"
)

// TLS termination of HTTPS and SSL listeners (listen.go). The certificate is the control
// plane's, asked on every handshake (GetCertificate), never cached: a listener whose
// certificate is replaced presents the new one to the next client. The protocol versions are
// those of Classic Load Balancers' security policies, TLS 1.0 to 1.2 (Classic guide,
// elb-security-policy-table.html: no policy lists TLS 1.3); Go's own default minimum
// applies below. HTTP/2 is not offered (Classic HTTPS listeners speak HTTP/1.x).

// handshakeTimeout bounds an SSL listener's handshake before the backend is chosen.
const handshakeTimeout = 10 * time.Second

// errNoCertificate fails a handshake on a listener without a usable certificate.
var errNoCertificate = errors.New("the listener has no server certificate")

// serverTLS is the TLS configuration of node n's listener.
func (dp *Plane) serverTLS(rt *lbRuntime, n *Bound) *tls.Config {
	port := n.Listener.LoadBalancerPort
	return &tls.Config{
		MaxVersion: tls.VersionTLS12,
		NextProtos: []string{"http/1.1"},
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			var cert *tls.Certificate
			ok := false
			dp.cp.View(func() { cert, ok = dp.cp.Certificate(rt.lb, port) })
			if !ok || cert == nil {
				return nil, errNoCertificate
			}
			return cert, nil
		},
	}
}

// handshake terminates TLS on an SSL listener's client connection and answers the
// decrypted connection, or nil (and closes it) when the handshake fails.
func (dp *Plane) handshake(rt *lbRuntime, n *Bound, c *trackedConn) net.Conn {
	tc := tls.Server(c, dp.serverTLS(rt, n))
	ctx, cancel := context.WithTimeout(context.Background(), handshakeTimeout)
	defer cancel()
	if err := tc.HandshakeContext(ctx); err != nil {
		dp.cfg.Log.Debug("data plane: TLS handshake failed", "port", n.Listener.LoadBalancerPort, "err", err)
		_ = c.Close()
		return nil
	}
	return tc
}
