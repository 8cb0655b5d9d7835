package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/elbconform/elbconform/emulator/internal/modes"
)

// The certificate faults (docs/sources.md 21).

// httpsLB creates load balancer name with an HTTPS:443 listener using a new certificate and
// answers the certificate and its ARN.
func httpsLB(t *testing.T, e *env, name string) (testCert, string) {
	t.Helper()
	c, arn := e.uploadNew(name + "-cert")
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String(name), Listeners: []elbtypes.Listener{httpsListener(arn)}, AvailabilityZones: []string{"us-east-1a"}}))
	return c, arn
}

func init() {
	faultTests[modes.FaultUnknownCertificateAccepted] = func(t *testing.T, e *env) {
		unknown := "arn:aws:iam::123456789012:server-certificate/unknown"
		e.createLB("lb", "us-east-1a")
		if err := e.createListeners("lb", httpsListener(unknown)); err != nil {
			t.Errorf("CreateLoadBalancerListeners with an unknown certificate: %v, want it accepted", err)
		}
		if got := e.listenerCertificateID("lb", 443); got != unknown {
			t.Errorf("the listener's certificate %q, want the unknown one stored", got)
		}
	}
	faultTests[modes.FaultSetCertificateNoop] = func(t *testing.T, e *env) {
		_, first := httpsLB(t, e, "lb")
		_, second := e.uploadNew("second")
		if err := e.setCertificate("lb", 443, second); err != nil {
			t.Fatal(err)
		}
		if got := e.listenerCertificateID("lb", 443); got != first {
			t.Errorf("the listener's certificate %q, want the first one kept", got)
		}
	}
	faultTests[modes.FaultHTTPSNotTerminated] = func(t *testing.T, e *env) {
		c, _ := httpsLB(t, e, "lb")
		addr := hostPort(e.listenerURL("lb", 443))
		got, err := servedLeaf(t, addr)
		if err != nil {
			t.Fatalf("handshake: %v", err)
		}
		if string(got) == string(c.der) {
			t.Error("the listener presents its own certificate, want another")
		}
	}
	faultTests[modes.FaultIAMDeleteInUseAccepted] = func(t *testing.T, e *env) {
		httpsLB(t, e, "lb")
		if err := e.deleteCert("lb-cert"); err != nil {
			t.Errorf("deleting a certificate in use: %v, want it deleted", err)
		}
	}
}
