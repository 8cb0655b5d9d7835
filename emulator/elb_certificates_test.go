package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// Unknown certificates on CreateLoadBalancer and CreateLoadBalancerListeners
// (elb_certificates.go).
func TestListenerCertificatesMustExist(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	_, arn := e.uploadNew("known")
	unknown := "arn:aws:iam::123456789012:server-certificate/unknown"
	acm := "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
	ssl := func(arn string) elbtypes.Listener {
		return elbtypes.Listener{Protocol: aws.String("SSL"), LoadBalancerPort: 8443, InstancePort: aws.Int32(80), SSLCertificateId: aws.String(arn)}
	}
	create := func(name string, ls ...elbtypes.Listener) error {
		_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String(name), Listeners: ls, AvailabilityZones: []string{"us-east-1a"}})
		return err
	}
	for _, bad := range []string{unknown, acm} {
		wantCode(t, create("bad", httpsListener(bad)), "CertificateNotFound", 400)
		wantCode(t, create("bad", ssl(bad)), "CertificateNotFound", 400)
	}
	if _, err := e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"bad"}}); apiCode(err) != "LoadBalancerNotFound" {
		t.Errorf("a refused CreateLoadBalancer created it: %v", err)
	}
	if err := create("good", httpsListener(arn), ssl(arn)); err != nil {
		t.Fatalf("known certificate: %v", err)
	}
	if got := e.listenerCertificateID("good", 443); got != arn {
		t.Errorf("SSLCertificateId %q, want %s", got, arn)
	}

	e.createLB("lsn", "us-east-1a")
	wantCode(t, e.createListeners("lsn", httpsListener(unknown)), "CertificateNotFound", 400)
	wantCode(t, e.createListeners("lsn", ssl(arn), httpsListener(acm)), "CertificateNotFound", 400)
	if ls := e.describedListeners("lsn"); len(ls) != 1 {
		t.Errorf("a refused call added listeners: %+v", ls)
	}
	wantCode(t, e.createListeners("nope", httpsListener(unknown)), "LoadBalancerNotFound", 400)
	// HTTP and TCP listeners have no certificate to look up.
	plain := elbtypes.Listener{Protocol: aws.String("TCP"), LoadBalancerPort: 9000, InstancePort: aws.Int32(80), SSLCertificateId: aws.String(unknown)}
	if err := e.createListeners("lsn", plain); err != nil {
		t.Errorf("a TCP listener naming an unknown certificate: %v", err)
	}
}
