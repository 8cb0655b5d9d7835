package target

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/smithy-go"

	"github.com/elbconform/elbconform/emulator"
	"github.com/elbconform/elbconform/harness/clients"
)

// startRegionEmulator starts the reference emulator in process for region.
func startRegionEmulator(t *testing.T, region string) string {
	t.Helper()
	srv, err := emulator.Start(emulator.Options{Region: region, InstanceStartDelay: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv.URL()
}

// preflight runs Preflight against ep with the clients the suite would build
// for it, isolated from the caller's AWS files.
func preflight(t *testing.T, ep clients.Endpoint) error {
	t.Helper()
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/credentials")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := clients.New(ctx, ep)
	if err != nil {
		t.Fatal(err)
	}
	return Preflight(ctx, c, ep)
}

func TestPreflightRightRegion(t *testing.T) {
	url := startRegionEmulator(t, "eu-west-1")
	if err := preflight(t, clients.Endpoint{ELBURL: url, EC2URL: url, Region: "eu-west-1", StaticCredentials: true}); err != nil {
		t.Fatalf("Preflight against an emulator of the suite's region: %v", err)
	}
}

func TestPreflightWrongRegionELB(t *testing.T) {
	url := startRegionEmulator(t, "eu-west-1")
	err := preflight(t, clients.Endpoint{ELBURL: url, EC2URL: url, Region: "us-east-1", StaticCredentials: true})
	if err == nil {
		t.Fatal("Preflight passed with clients signing for us-east-1 against an eu-west-1 emulator")
	}
	msg := err.Error()
	t.Log(msg)
	for _, want := range []string{
		"the ELB endpoint " + url,
		"the endpoint signs for region eu-west-1, the suite signed for us-east-1: set AWS_REGION=eu-west-1",
		"SignatureDoesNotMatch",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("Preflight error lacks %q:\n%s", want, msg)
		}
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "SignatureDoesNotMatch" {
		t.Errorf("Preflight error does not wrap the API error: %v", err)
	}
}

func TestPreflightWrongRegionEC2(t *testing.T) {
	elbURL := startRegionEmulator(t, "us-east-1")
	ec2URL := startRegionEmulator(t, "ap-southeast-2")
	err := preflight(t, clients.Endpoint{ELBURL: elbURL, EC2URL: ec2URL, Region: "us-east-1", StaticCredentials: true})
	if err == nil {
		t.Fatal("Preflight passed with EC2 clients signing for us-east-1 against an ap-southeast-2 emulator")
	}
	msg := err.Error()
	for _, want := range []string{
		"the EC2 endpoint " + ec2URL,
		"the endpoint signs for region ap-southeast-2, the suite signed for us-east-1: set AWS_REGION=ap-southeast-2",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("Preflight error lacks %q:\n%s", want, msg)
		}
	}
}

func TestExplainSignatureErrors(t *testing.T) {
	cases := []struct {
		name, code, message string
		want                string
	}{
		{"AWS wording names the signed region", "SignatureDoesNotMatch",
			"Credential should be scoped to a valid region, not 'eu-west-1'. ",
			"wrong region: the endpoint does not accept requests signed for region eu-west-1: set AWS_REGION to the endpoint's region"},
		{"IAM guide wording", "SignatureDoesNotMatch",
			"Credential should be scoped to a valid Region, not 'us-west-1'.",
			"requests signed for region us-west-1"},
		{"no region in the message: the suite's", "InvalidSignatureException",
			"Credential should be scoped to a valid region. ",
			"requests signed for region us-east-1"},
		{"emulator wording, reworded", "SignatureDoesNotMatch",
			"Request rejected (SignatureDoesNotMatch). Details: credential should be scoped to a valid region, not 'us-east-1'. the elbconform emulator serves region 'eu-west-2'.",
			"the endpoint signs for region eu-west-2, the suite signed for us-east-1: set AWS_REGION=eu-west-2"},
		{"another signature problem", "SignatureDoesNotMatch",
			"The request signature we calculated does not match the signature you provided.",
			"the credentials were rejected (SignatureDoesNotMatch): check AWS_PROFILE / AWS_ACCESS_KEY_ID, and that AWS_REGION=us-east-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := &smithy.GenericAPIError{Code: c.code, Message: c.message}
			got := Explain(in, "elasticloadbalancing", "us-east-1")
			if !strings.Contains(got.Error(), c.want) {
				t.Errorf("Explain(%s: %q) =\n%s\nwant it to contain %q", c.code, c.message, got, c.want)
			}
			if !errors.Is(got, in) {
				t.Errorf("Explain does not wrap the error")
			}
		})
	}
}

// webServer is a plain web server that answers every request as handler does.
func webServer(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// What `python3 -m http.server` answers a POST.
const pythonHTTPServer501 = `<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: 501</p>
        <p>Message: Unsupported method ('POST').</p>
    </body>
</html>
`

func TestPreflightPlainWebServer(t *testing.T) {
	files := httptest.NewServer(http.FileServer(http.Dir(t.TempDir())))
	t.Cleanup(files.Close)
	cases := []struct {
		name, url, want string
	}{
		{"python3 -m http.server", webServer(t, 501, "text/html;charset=utf-8", pythonHTTPServer501),
			`answered HTTP 501 text/html, not an AWS query XML answer: it is not an ELB Classic endpoint (check AWS_ENDPOINT_URL); the body starts: <!DOCTYPE HTML> <html lang="en"> <head> <meta charset="utf-8"> <title>Error resp…`},
		{"a file server's directory listing", files.URL,
			`answered HTTP 200 text/html, not an AWS query XML answer: it is not an ELB Classic endpoint (check AWS_ENDPOINT_URL); the body starts: <!doctype html>`},
		{"a JSON API", webServer(t, 200, "application/json", `{"status":"ok"}`),
			`answered HTTP 200 application/json, not an AWS query XML answer: it is not an ELB Classic endpoint (check AWS_ENDPOINT_URL); the body starts: {"status":"ok"}`},
		{"a JSON error", webServer(t, 400, "application/json", `{"error":"bad request"}`),
			`answered HTTP 400 application/json, not an AWS query XML answer: it is not an ELB Classic endpoint (check AWS_ENDPOINT_URL); the body starts: {"error":"bad request"}`},
		{"an empty answer the SDK accepts", webServer(t, 200, "", ""),
			`answered HTTP 200 without a content type, not an AWS query XML answer: it is not an ELB Classic endpoint (check AWS_ENDPOINT_URL); the body was empty`},
		{"XML of something else", webServer(t, 200, "text/xml", `<rss version="2.0"><channel/></rss>`),
			`answered HTTP 200 text/xml, not an AWS query XML answer: it is not an ELB Classic endpoint (check AWS_ENDPOINT_URL); the body starts: <rss version="2.0"><channel/></rss>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := preflight(t, clients.Endpoint{ELBURL: c.url, EC2URL: c.url, Region: "us-east-1", StaticCredentials: true})
			if err == nil {
				t.Fatal("Preflight passed against a plain web server")
			}
			want := "the ELB endpoint " + c.url + " does not answer DescribeLoadBalancers: " + c.url + " " + c.want
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Preflight error\n  %s\nwant it to start with\n  %s", err, want)
			}
			if strings.Contains(err.Error(), "deserialization failed") || strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("Preflight error is not one plain line: %q", err)
			}
		})
	}
}

// The EC2 endpoint is checked the same way; the SDK takes an HTML page
// answered with 200 for an empty EC2 answer, so this is Preflight's own check.
func TestPreflightEC2IsAWebServer(t *testing.T) {
	elbURL := startRegionEmulator(t, "us-east-1")
	ec2URL := webServer(t, 200, "text/html; charset=utf-8", "<html><body>It works!</body></html>")
	err := preflight(t, clients.Endpoint{ELBURL: elbURL, EC2URL: ec2URL, Region: "us-east-1", StaticCredentials: true})
	want := "the EC2 endpoint " + ec2URL + " does not answer DescribeAvailabilityZones (the fixtures need EC2 instances): " + ec2URL +
		" answered HTTP 200 text/html, not an AWS query XML answer: it is not an EC2 endpoint (check AWS_ENDPOINT_URL_EC2 or AWS_ENDPOINT_URL); the body starts: <html><body>It works!</body></html>"
	if err == nil || err.Error() != want {
		t.Errorf("Preflight error\n  %v\nwant\n  %s", err, want)
	}
}

// Explain names what came back from the SDK error alone, without the body,
// when it did not pass through Preflight's recorder; real API errors are
// still explained as such.
func TestExplainNotAnEndpoint(t *testing.T) {
	url := webServer(t, 501, "text/html", pythonHTTPServer501)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	c, err := clients.New(context.Background(), clients.Endpoint{ELBURL: url, EC2URL: url, Region: "us-east-1", StaticCredentials: true})
	if err != nil {
		t.Fatal(err)
	}
	for service, call := range map[string]func() error{
		"elasticloadbalancing": func() error {
			_, err := c.ELB.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{}, func(o *elb.Options) { o.Retryer = throttlingOnly() })
			return err
		},
		"ec2": func() error {
			_, err := c.EC2.DescribeAvailabilityZones(context.Background(), &ec2.DescribeAvailabilityZonesInput{}, func(o *ec2.Options) { o.Retryer = throttlingOnly() })
			return err
		},
	} {
		sdkErr := call()
		got := Explain(sdkErr, service, "us-east-1")
		if !strings.HasPrefix(got.Error(), url+" answered HTTP 501 text/html, not an AWS query XML answer: it is not an ") {
			t.Errorf("%s: Explain(%v) = %v", service, sdkErr, got)
		}
		if !errors.Is(got, sdkErr) {
			t.Errorf("%s: Explain does not wrap the SDK error", service)
		}
	}
	// An XML error of the query protocol is the endpoint's answer, not a sign of a web server.
	api := &smithy.GenericAPIError{Code: "InvalidAction", Message: "no such action"}
	if got := Explain(api, "elasticloadbalancing", "us-east-1"); !strings.Contains(got.Error(), "does not implement this elasticloadbalancing action") {
		t.Errorf("Explain(InvalidAction) = %v", got)
	}
}
