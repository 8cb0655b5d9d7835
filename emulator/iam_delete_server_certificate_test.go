package emulator

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func (e *env) deleteCert(name string) error {
	_, err := e.iam().DeleteServerCertificate(e.ctx, &iam.DeleteServerCertificateInput{ServerCertificateName: aws.String(name)})
	return err
}

func TestDeleteServerCertificate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	wantCode(t, e.deleteCert("nope"), "NoSuchEntity", 404)

	_, arn := e.uploadNew("used")
	e.createLB("lb", "us-east-1a")
	if err := e.createListeners("lb", httpsListener(arn)); err != nil {
		t.Fatal(err)
	}
	err := e.deleteCert("used")
	wantCode(t, err, "DeleteConflict", 409)
	if !strings.Contains(err.Error(), "is currently in use by arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/lb") {
		t.Errorf("message %v", err)
	}
	if _, err := e.iam().GetServerCertificate(e.ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("used")}); err != nil {
		t.Errorf("a refused delete removed it: %v", err)
	}
	if err := e.deleteListeners("lb", 443); err != nil {
		t.Fatal(err)
	}
	if err := e.deleteCert("used"); err != nil {
		t.Errorf("once the listener is gone: %v", err)
	}
	wantCode(t, e.deleteCert("used"), "NoSuchEntity", 404)
	// Deleting the load balancer frees its certificates too.
	_, arn = e.uploadNew("second")
	if err := e.createListeners("lb", httpsListener(arn)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.deleteCert("second"), "DeleteConflict", 409)
	must[*elb.DeleteLoadBalancerOutput](t)(e.elb.DeleteLoadBalancer(e.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("lb")}))
	if err := e.deleteCert("second"); err != nil {
		t.Errorf("once the load balancer is gone: %v", err)
	}
}
