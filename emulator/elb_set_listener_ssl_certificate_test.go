package emulator

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

func TestSetLoadBalancerListenerSSLCertificate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	_, first := e.uploadNew("first")
	_, second := e.uploadNew("second")
	e.createLB("lb", "us-east-1a")
	if err := e.createListeners("lb", httpsListener(first)); err != nil {
		t.Fatal(err)
	}
	if err := e.setCertificate("lb", 443, second); err != nil {
		t.Fatalf("SetLoadBalancerListenerSSLCertificate: %v", err)
	}
	ls := e.describedListeners("lb")
	for _, l := range ls {
		if l.LoadBalancerPort == 443 && (aws.ToString(l.SSLCertificateId) != second || aws.ToString(l.Protocol) != "HTTPS" || aws.ToInt32(l.InstancePort) != 80) {
			t.Errorf("listener after the call: %+v", l)
		}
	}
	// The old certificate is free, the new one is in use.
	if err := e.deleteCert("first"); err != nil {
		t.Errorf("the replaced certificate: %v", err)
	}
	wantCode(t, e.deleteCert("second"), "DeleteConflict", 409)

	unknown := "arn:aws:iam::123456789012:server-certificate/unknown"
	wantCode(t, e.setCertificate("lb", 443, unknown), "CertificateNotFound", 400)
	wantCode(t, e.setCertificate("lb", 443, "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0000-1111-2222-333344445555"), "CertificateNotFound", 400)
	if got := e.listenerCertificateID("lb", 443); got != second {
		t.Errorf("after refused calls the listener has %q, want %s", got, second)
	}
	wantCode(t, e.setCertificate("lb", 8443, second), "ListenerNotFound", 400)
	wantCode(t, e.setCertificate("lb", 80, second), "InvalidConfigurationRequest", 409)
	wantCode(t, e.setCertificate("nope", 443, second), "LoadBalancerNotFound", 400)
	for _, form := range []string{
		elbForm("SetLoadBalancerListenerSSLCertificate", "LoadBalancerName", "lb", "SSLCertificateId", second),
		elbForm("SetLoadBalancerListenerSSLCertificate", "LoadBalancerName", "lb", "LoadBalancerPort", "443"),
		elbForm("SetLoadBalancerListenerSSLCertificate", "LoadBalancerName", "lb", "LoadBalancerPort", "x", "SSLCertificateId", second),
	} {
		if r := e.post(form, ""); r.status != 400 || !strings.Contains(r.body, "ValidationError") {
			t.Errorf("%s: %d %s", form, r.status, r.body)
		}
	}
}

// The data plane presents the replaced certificate to new connections.
func TestSetCertificateServedToNewConnections(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{HealthCheckScale: testHealthCheckScale})
	a, arnA := e.uploadNew("a")
	b, arnB := e.uploadNew("b")
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("tls"), Listeners: []elbtypes.Listener{httpsListener(arnA)}, AvailabilityZones: []string{"us-east-1a"}}))
	addr := hostPort(e.listenerURL("tls", 443))
	if !serves(t, addr, a.der) {
		t.Fatal("the listener does not present its certificate")
	}
	if err := e.setCertificate("tls", 443, arnB); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Second, "the new certificate", func() bool { return serves(t, addr, b.der) })
	if got := hostPort(e.listenerURL("tls", 443)); got != addr {
		t.Errorf("the listener moved from %s to %s", addr, got)
	}
}
