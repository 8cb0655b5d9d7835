package wire

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

const throttled = `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>`

const ok = `<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">
  <DescribeLoadBalancersResult><LoadBalancerDescriptions/></DescribeLoadBalancersResult>
  <ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>`

func client(url string) *Client {
	return &Client{URL: url, Service: "elasticloadbalancing", Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		// No backoff wait in tests; the retry decisions stay the SDK's.
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) { o.Backoff = noBackoff{} })}
}

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

func TestSignsAndRetriesThrottlingAsTheSDK(t *testing.T) {
	var calls atomic.Int32
	var auth, body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		auth, body = r.Header.Get("Authorization"), string(b)
		w.Header().Set("Content-Type", "text/xml")
		if calls.Add(1) == 1 {
			w.WriteHeader(400)
			io.WriteString(w, throttled)
			return
		}
		io.WriteString(w, ok)
	}))
	defer srv.Close()
	var retried []string
	c := client(srv.URL)
	c.OnRetry = func(err error) { retried = append(retried, err.Error()) }

	res, err := c.Do(context.Background(), ELBRequest("DescribeLoadBalancers"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || calls.Load() != 2 || len(retried) != 1 {
		t.Fatalf("status %d after %d calls, %d retries; want 200 after 2 calls, 1 retry", res.Status, calls.Load(), len(retried))
	}
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKID/") || !strings.Contains(auth, "/us-east-1/elasticloadbalancing/aws4_request") {
		t.Errorf("not SigV4-signed for elasticloadbalancing: %q", auth)
	}
	if body != "Action=DescribeLoadBalancers&Version=2012-06-01" {
		t.Errorf("body %q", body)
	}
	if res.Doc.Name.Space != ELBNamespace || res.Doc.Find("ResponseMetadata", "RequestId").Text != "r2" {
		t.Errorf("parsed %+v", res.Doc)
	}
}

func TestDoesNotRetryClientErrors(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(400)
		io.WriteString(w, strings.Replace(throttled, "Throttling", "LoadBalancerNotFound", 1))
	}))
	defer srv.Close()
	res, err := client(srv.URL).Do(context.Background(), ELBRequest("DescribeLoadBalancers"))
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 || res.ErrorCode() != "LoadBalancerNotFound" {
		t.Errorf("%d calls, code %q", calls.Load(), res.ErrorCode())
	}
}

func TestParseKeepsUnknownElementsAndReportsNonXML(t *testing.T) {
	doc, err := Parse([]byte(`<A xmlns="n"><B><member><C>1</C><Extra>x</Extra></member><member><C>2</C></member></B></A>`))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(doc.Find("B").ChildrenNamed("member")); got != 2 {
		t.Errorf("members %d", got)
	}
	if doc.Find("B", "member", "Extra").Text != "x" || doc.Name.Space != "n" {
		t.Errorf("tree %+v", doc)
	}
	if _, err := Parse([]byte("not xml")); err == nil {
		t.Error("non-XML parsed")
	}
}
