package emulator

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// HTTPS and SSL listeners terminate TLS with the listener's server certificate
// (internal/dataplane/tls.go) and proxy as HTTP and TCP listeners do.

// tlsClient is an HTTPS client that does not verify the self-signed chain but fails unless the
// leaf served is want.
func tlsClient(want []byte) *http.Client {
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true, TLSClientConfig: &tls.Config{
		InsecureSkipVerify: true, //nolint:gosec // self-signed test certificate, checked below
		VerifyConnection: func(cs tls.ConnectionState) error {
			if !bytes.Equal(cs.PeerCertificates[0].Raw, want) {
				return fmt.Errorf("served another certificate")
			}
			return nil
		},
	}}}
}

func TestHTTPSListenerTerminatesTLS(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{HealthCheckScale: testHealthCheckScale})
	c, arn := e.uploadNew("web")
	proto := make(chan string, 8)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			select {
			case proto <- r.Header.Get("X-Forwarded-Proto") + " " + r.Header.Get("X-Forwarded-Port") + " " + fmt.Sprint(r.TLS != nil):
			default:
			}
		}
		io.WriteString(w, "backend")
	}))
	t.Cleanup(backend.Close)
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("web"), Listeners: []elbtypes.Listener{httpsListener(arn)}, AvailabilityZones: []string{"us-east-1a"}}))
	e.quickHealthCheck("web", "HTTP:80/healthz")
	id := e.launchBacked("us-east-1a", strings.TrimPrefix(backend.URL, "http://"))
	e.inService("web", id)

	_, a := e.listenersOf("web")
	if len(a.Listeners) != 1 || !a.Listeners[0].Served || a.Listeners[0].Address == "" {
		t.Fatalf("the HTTPS listener is not served: %+v", a)
	}
	base := "https://" + a.Listeners[0].Address
	res, err := tlsClient(c.der).Get(base + "/")
	if err != nil {
		t.Fatalf("HTTPS through the listener: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "backend" {
		t.Errorf("answer %d %q", res.StatusCode, body)
	}
	if got := <-proto; got != "https 443 false" {
		t.Errorf("the backend saw X-Forwarded-Proto, X-Forwarded-Port, TLS = %q, want https 443 over plain HTTP", got)
	}
	// Plain HTTP on the HTTPS port gets no answer from the backend.
	if got := ask(noKeepAlive(), "http://"+a.Listeners[0].Address+"/"); got == "backend" {
		t.Error("plain HTTP on the HTTPS listener reached the backend")
	}
	// TLS 1.3 is not offered (Classic's security policies stop at TLS 1.2).
	conn, err := tls.Dial("tcp", a.Listeners[0].Address, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // test
	if err != nil {
		t.Fatal(err)
	}
	if v := conn.ConnectionState().Version; v != tls.VersionTLS12 {
		t.Errorf("negotiated TLS version %x, want 1.2", v)
	}
	conn.Close()
}

func TestSSLListenerTerminatesTLS(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{HealthCheckScale: testHealthCheckScale})
	c, arn := e.uploadNew("raw")
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName:  aws.String("raw"),
		Listeners:         []elbtypes.Listener{{Protocol: aws.String("SSL"), LoadBalancerPort: 8443, InstanceProtocol: aws.String("TCP"), InstancePort: aws.Int32(7000), SSLCertificateId: aws.String(arn)}},
		AvailabilityZones: []string{"us-east-1a"},
	}))
	e.quickHealthCheck("raw", "TCP:7000")
	id := e.launchBacked("us-east-1a", tcpBackend(t, "b1"))
	e.inService("raw", id)
	_, a := e.listenersOf("raw")
	addr := a.Listeners[0].Address
	if !serves(t, addr, c.der) {
		t.Fatal("the SSL listener does not present its certificate")
	}
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", addr, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // test
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	fmt.Fprintf(conn, "hello\n")
	if line, err := bufio.NewReader(conn).ReadString('\n'); err != nil || line != "b1:hello\n" {
		t.Errorf("through the SSL listener: %q, %v", line, err)
	}
	// A plain TCP client gets nothing from the backend.
	if line, err := exchange(addr, "hello"); err == nil && strings.HasPrefix(line, "b1:") {
		t.Errorf("plain TCP on the SSL listener reached the backend: %q", line)
	}
}
