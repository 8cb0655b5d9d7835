package emulator

import (
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
