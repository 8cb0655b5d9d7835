package emulator

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

func TestConfigureHealthCheck(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("hc", "us-east-1a")
	hc := &elbtypes.HealthCheck{Target: aws.String("HTTP:8080/health"), Interval: aws.Int32(10), Timeout: aws.Int32(3),
		UnhealthyThreshold: aws.Int32(3), HealthyThreshold: aws.Int32(4)}
	out := must[*elb.ConfigureHealthCheckOutput](t)(e.elb.ConfigureHealthCheck(e.ctx, &elb.ConfigureHealthCheckInput{
		LoadBalancerName: aws.String("hc"), HealthCheck: hc}))
	if aws.ToString(out.HealthCheck.Target) != "HTTP:8080/health" || aws.ToInt32(out.HealthCheck.Interval) != 10 {
		t.Errorf("answer %+v", out.HealthCheck)
	}
	d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{})).LoadBalancerDescriptions[0]
	if aws.ToInt32(d.HealthCheck.HealthyThreshold) != 4 || aws.ToString(d.HealthCheck.Target) != "HTTP:8080/health" {
		t.Errorf("describe shows %+v", d.HealthCheck)
	}
	bad := []*elbtypes.HealthCheck{
		{Target: aws.String("HTTP:8080"), Interval: aws.Int32(10), Timeout: aws.Int32(3), UnhealthyThreshold: aws.Int32(3), HealthyThreshold: aws.Int32(4)},
		{Target: aws.String("TCP:80"), Interval: aws.Int32(10), Timeout: aws.Int32(10), UnhealthyThreshold: aws.Int32(3), HealthyThreshold: aws.Int32(4)},
		{Target: aws.String("TCP:80"), Interval: aws.Int32(1), Timeout: aws.Int32(2), UnhealthyThreshold: aws.Int32(3), HealthyThreshold: aws.Int32(4)},
		{Target: aws.String("FTP:21"), Interval: aws.Int32(10), Timeout: aws.Int32(3), UnhealthyThreshold: aws.Int32(3), HealthyThreshold: aws.Int32(4)},
	}
	for _, b := range bad {
		_, err := e.elb.ConfigureHealthCheck(e.ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String("hc"), HealthCheck: b})
		wantCode(t, err, "ValidationError", 400)
	}
	_, err := e.elb.ConfigureHealthCheck(e.ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String("nope"), HealthCheck: hc})
	wantCode(t, err, "LoadBalancerNotFound", 400)
}

// TestConfigureHealthCheckRanges: the ends of every range are accepted, one past them is a
// ValidationError that changes nothing, and so is a malformed target (docs/sources.md 23b).
func TestConfigureHealthCheckRanges(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("hc", "us-east-1a")
	check := func(target string, interval, timeout, unhealthy, healthy int32) *elbtypes.HealthCheck {
		return &elbtypes.HealthCheck{Target: aws.String(target), Interval: aws.Int32(interval), Timeout: aws.Int32(timeout),
			UnhealthyThreshold: aws.Int32(unhealthy), HealthyThreshold: aws.Int32(healthy)}
	}
	configure := func(hc *elbtypes.HealthCheck) error {
		_, err := e.elb.ConfigureHealthCheck(e.ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String("hc"), HealthCheck: hc})
		return err
	}
	inForce := func() elbtypes.HealthCheck {
		d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"hc"}}))
		return *d.LoadBalancerDescriptions[0].HealthCheck
	}
	for _, hc := range []*elbtypes.HealthCheck{
		check("TCP:1", 5, 2, 2, 2), check("SSL:65535", 300, 60, 10, 10), check("HTTP:80/", 5, 4, 3, 3),
		check("HTTPS:443/a/b", 61, 60, 5, 5), check("http:80/"+strings.Repeat("x", 1024-len("http:80/")), 30, 5, 2, 10),
	} {
		if err := configure(hc); err != nil {
			t.Errorf("%s %d/%d: %v", aws.ToString(hc.Target), aws.ToInt32(hc.Interval), aws.ToInt32(hc.Timeout), err)
		}
	}
	want := *check("TCP:80", 30, 5, 2, 10)
	if err := configure(&want); err != nil {
		t.Fatal(err)
	}
	for _, hc := range []*elbtypes.HealthCheck{
		check("TCP:80", 4, 2, 2, 10), check("TCP:80", 301, 5, 2, 10), check("TCP:80", 30, 1, 2, 10), check("TCP:80", 120, 61, 2, 10),
		check("TCP:80", 30, 5, 1, 10), check("TCP:80", 30, 5, 11, 10), check("TCP:80", 30, 5, 2, 1), check("TCP:80", 30, 5, 2, 11),
		check("TCP:80", 10, 10, 2, 10), check("TCP:80", 10, 20, 2, 10),
		check("TCP:80/", 30, 5, 2, 10), check("SSL:443/x", 30, 5, 2, 10), check("HTTP:80", 30, 5, 2, 10), check("HTTPS:443", 30, 5, 2, 10),
		check("TCP:0", 30, 5, 2, 10), check("TCP:65536", 30, 5, 2, 10), check("TCP:+80", 30, 5, 2, 10), check("TCP:", 30, 5, 2, 10),
		check("TCP", 30, 5, 2, 10), check("UDP:53", 30, 5, 2, 10),
		check("HTTP:80/"+strings.Repeat("é", 1024-len("HTTP:80/")+1), 30, 5, 2, 10), // 1025 UTF-16 code units
	} {
		err := configure(hc)
		wantCode(t, err, "ValidationError", 400)
	}
	if got := inForce(); !reflect.DeepEqual(got, want) {
		t.Errorf("after the refused calls the health check is %+v, want %+v", got, want)
	}
	// The range errors carry the constraint wording AWS answers.
	err := configure(check("TCP:80", 30, 5, 1, 10))
	if err == nil || !strings.Contains(err.Error(), "Value '1' at 'healthCheck.unhealthyThreshold' failed to satisfy constraint: Member must have value greater than or equal to 2") {
		t.Errorf("range error %v", err)
	}
}
