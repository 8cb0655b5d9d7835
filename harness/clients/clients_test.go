package clients

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// A throttled first attempt is retried by the SDK's standard retryer, the
// call succeeds, and the counter sees one throttled retry.
func TestThrottlingIsRetriedAndCounted(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		if calls.Add(1) == 1 {
			w.WriteHeader(400)
			io.WriteString(w, `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>a</RequestId></ErrorResponse>`)
			return
		}
		io.WriteString(w, `<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"><DescribeLoadBalancersResult><LoadBalancerDescriptions/></DescribeLoadBalancersResult><ResponseMetadata><RequestId>b</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>`)
	}))
	defer srv.Close()

	c, err := New(context.Background(), Endpoint{ELBURL: srv.URL, EC2URL: srv.URL, Region: "us-east-1", StaticCredentials: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ELB.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{}); err != nil {
		t.Fatalf("the retry should have succeeded: %v", err)
	}
	if calls.Load() != 2 || c.Retries.Retries() != 1 || c.Retries.Throttled() != 1 {
		t.Errorf("%d calls, %d retries, %d throttled; want 2, 1, 1", calls.Load(), c.Retries.Retries(), c.Retries.Throttled())
	}
}
