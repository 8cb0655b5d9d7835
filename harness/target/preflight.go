package target

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/elbconform/elbconform/harness/clients"
)

// Preflight makes one cheap call to each service before any spec runs, with no
// retries and a short deadline, so that an unreachable endpoint, a TLS
// problem, a wrong region, missing credentials or a server that is no AWS
// endpoint at all stop the run at once with one message instead of a
// hundred timeouts.
func Preflight(ctx context.Context, c *clients.Clients, ep clients.Endpoint) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var elbAnswer answer
	_, err := c.ELB.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(1)}, func(o *elb.Options) {
		o.Retryer = throttlingOnly()
		o.HTTPClient = elbAnswer.recording(o.HTTPClient)
	})
	if err = elbAnswer.check(err, "DescribeLoadBalancers"); err != nil {
		return fmt.Errorf("the ELB endpoint %s does not answer DescribeLoadBalancers: %w", where(ep.ELBURL, "elasticloadbalancing", ep.Region), Explain(err, "elasticloadbalancing", ep.Region))
	}
	var ec2Answer answer
	_, err = c.EC2.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}, func(o *ec2.Options) {
		o.Retryer = throttlingOnly()
		o.HTTPClient = ec2Answer.recording(o.HTTPClient)
	})
	if err = ec2Answer.check(err, "DescribeAvailabilityZones"); err != nil {
		return fmt.Errorf("the EC2 endpoint %s does not answer DescribeAvailabilityZones (the fixtures need EC2 instances): %w", where(ep.EC2URL, "ec2", ep.Region), Explain(err, "ec2", ep.Region))
	}
	return nil
}

// answer is what an endpoint answered a preflight call, recorded below the
// SDK so that an answer that is not the AWS query protocol (a web server's
// HTML page, a JSON API) can be named for what it is: the SDK only says that
// it could not parse it, or (EC2) takes an HTML page for an empty answer.
type answer struct {
	mu          sync.Mutex
	seen        bool
	url         string
	status      int
	contentType string
	head        []byte
}

// headSize is how much of a body is kept: enough to see the root element of
// an XML answer, and to quote the start of anything else.
const headSize = 512

func (a *answer) recording(inner aws.HTTPClient) aws.HTTPClient {
	if inner == nil {
		inner = http.DefaultClient
	}
	return recordingClient{inner: inner, a: a}
}

type recordingClient struct {
	inner aws.HTTPClient
	a     *answer
}

func (c recordingClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.inner.Do(req)
	if resp == nil {
		return resp, err
	}
	c.a.mu.Lock()
	c.a.seen, c.a.url, c.a.status, c.a.contentType, c.a.head = true, endpointOf(req.URL), resp.StatusCode, resp.Header.Get("Content-Type"), nil
	c.a.mu.Unlock()
	if resp.Body != nil {
		resp.Body = &headRecorder{ReadCloser: resp.Body, a: c.a}
	}
	return resp, err
}

// headRecorder keeps the first headSize bytes read from a body.
type headRecorder struct {
	io.ReadCloser
	a *answer
}

func (h *headRecorder) Read(p []byte) (int, error) {
	n, err := h.ReadCloser.Read(p)
	h.a.mu.Lock()
	if room := headSize - len(h.a.head); room > 0 && n > 0 {
		h.a.head = append(h.a.head, p[:min(n, room)]...)
	}
	h.a.mu.Unlock()
	return n, err
}

// check returns err with the recorded answer attached (for Explain), or,
// when the SDK accepted the answer, an error if it was not the action's
// AWS query XML answer after all.
func (a *answer) check(err error, action string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.seen {
		return err
	}
	rec := &answerError{url: a.url, status: a.status, contentType: a.contentType, head: slices.Clone(a.head), headKnown: true, err: err}
	if err == nil {
		if bytes.Contains(a.head, []byte("<"+action+"Response")) {
			return nil
		}
		rec.notQuery = true
	}
	return rec
}

// answerError is an SDK error (or nil, for an answer the SDK accepted) with
// what the endpoint answered. Its message is the SDK error's.
type answerError struct {
	url         string
	status      int
	contentType string
	head        []byte
	headKnown   bool
	notQuery    bool // the SDK accepted it, but it is not the action's answer
	err         error
}

func (e *answerError) Error() string {
	if e.err != nil {
		return e.err.Error()
	}
	return fmt.Sprintf("%s answered HTTP %d %s", e.url, e.status, e.contentType)
}

func (e *answerError) Unwrap() error { return e.err }

// endpointOf is the URL as a user writes it in AWS_ENDPOINT_URL: no query,
// no trailing slash.
func endpointOf(u *url.URL) string {
	if u == nil {
		return "the endpoint"
	}
	s := u.Scheme + "://" + u.Host
	if p := strings.TrimSuffix(u.Path, "/"); p != "" {
		s += p
	}
	return s
}

// throttlingOnly retries what the SDK retries for throttling, and nothing
// else: a target that throttles is healthy, while one that refuses
// connections or fails should stop the run now, not after backoffs.
func throttlingOnly() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.Retryables = []retry.IsErrorRetryable{retry.RetryableErrorCode{Codes: retry.DefaultThrottleErrorCodes}}
	})
}

func where(u, service, region string) string {
	if u != "" {
		return u
	}
	return fmt.Sprintf("https://%s.%s.amazonaws.com", service, region)
}

// Explain turns a client error into a sentence that names the likely fix.
func Explain(err error, service, region string) error {
	var (
		dnsErr  *net.DNSError
		opErr   *net.OpError
		certErr *tls.CertificateVerificationError
		uaErr   x509.UnknownAuthorityError
		hostErr x509.HostnameError
		urlErr  *url.Error
		apiErr  smithy.APIError
	)
	msg := err.Error()
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("no answer within the deadline: is the endpoint up, and is AWS_ENDPOINT_URL right? (%w)", err)
	case errors.As(err, &dnsErr):
		return fmt.Errorf("host %q does not resolve: check the endpoint URL, or AWS_REGION=%s if you meant real AWS (%w)", dnsErr.Name, region, err)
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		return fmt.Errorf("the endpoint speaks plain HTTP, not TLS: use http:// in AWS_ENDPOINT_URL (%w)", err)
	case errors.As(err, &certErr), errors.As(err, &uaErr), errors.As(err, &hostErr), strings.Contains(msg, "tls:"), strings.Contains(msg, "x509:"):
		return fmt.Errorf("TLS failed: the endpoint's certificate is not trusted or does not match its name. Use http:// for a local endpoint, or AWS_CA_BUNDLE=/path/ca.pem for a private CA (%w)", err)
	case errors.As(err, &opErr) && strings.Contains(msg, "connection refused"):
		return fmt.Errorf("connection refused: nothing listens there. Start the server, or fix AWS_ENDPOINT_URL (%w)", err)
	case strings.Contains(msg, "failed to retrieve credentials"), strings.Contains(msg, "failed to refresh cached credentials"), strings.Contains(msg, "no EC2 IMDS role"):
		return fmt.Errorf("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (LocalStack and moto accept any values, e.g. test/test) (%w)", err)
	case notAnEndpoint(err, service) != nil:
		return notAnEndpoint(err, service)
	case errors.As(err, &apiErr):
		switch apiErr.ErrorCode() {
		case "SignatureDoesNotMatch", "InvalidSignatureException", "IncompleteSignature":
			if e := explainWrongRegion(apiErr, region, err); e != nil {
				return e
			}
			return fmt.Errorf("the credentials were rejected (%s): check AWS_PROFILE / AWS_ACCESS_KEY_ID, and that AWS_REGION=%s is the region the endpoint signs for (%w)", apiErr.ErrorCode(), region, err)
		case "InvalidClientTokenId", "UnrecognizedClientException", "AuthFailure", "ExpiredToken", "ExpiredTokenException":
			return fmt.Errorf("the credentials were rejected (%s): check AWS_PROFILE / AWS_ACCESS_KEY_ID, and that AWS_REGION=%s is the region the endpoint signs for (%w)", apiErr.ErrorCode(), region, err)
		case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation":
			return fmt.Errorf("the credentials may not call %s (%s): grant the suite's IAM permissions (see README) (%w)", service, apiErr.ErrorCode(), err)
		case "InvalidAction":
			return fmt.Errorf("the endpoint does not implement this %s action (%w)", service, err)
		}
	case errors.As(err, &urlErr):
		return fmt.Errorf("the request did not reach the endpoint: %w", err)
	}
	return err
}

// AWS refuses a request signed for another region than the endpoint's with
// SignatureDoesNotMatch (403) "Credential should be scoped to a valid region,
// not 'eu-west-1'. " (https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html),
// naming the region the client signed for. The elbconform emulator adds
// "The elbconform emulator serves region 'us-east-1'.", the region it wants.
var (
	scopedRegionPattern = regexp.MustCompile(`(?i)scoped to a valid region[,.]?\s*(?:not\s+'([^']*)')?`)
	servedRegionPattern = regexp.MustCompile(`(?i)serves region '([a-z0-9-]+)'`)
)

// explainWrongRegion names the fix when err says the credential scope's region
// is wrong, and returns nil otherwise.
func explainWrongRegion(apiErr smithy.APIError, region string, err error) error {
	m := scopedRegionPattern.FindStringSubmatch(apiErr.ErrorMessage())
	if m == nil {
		return nil
	}
	signed := m[1]
	if signed == "" {
		signed = region
	}
	if s := servedRegionPattern.FindStringSubmatch(apiErr.ErrorMessage()); s != nil {
		return fmt.Errorf("wrong region: the endpoint signs for region %s, the suite signed for %s: set AWS_REGION=%s (%w)", s[1], signed, s[1], err)
	}
	return fmt.Errorf("wrong region: the endpoint does not accept requests signed for region %s: set AWS_REGION to the endpoint's region (for AWS, the region in its host name, e.g. elasticloadbalancing.eu-west-1.amazonaws.com) (%w)", signed, err)
}

// notAnEndpoint explains an answer that is not the AWS query protocol's XML
// (a plain web server's page, a JSON API, a proxy's error page), naming the
// URL and what came back; it returns nil for any other error.
func notAnEndpoint(err error, service string) error {
	var (
		ans    *answerError
		resp   *smithyhttp.ResponseError
		deser  *smithy.DeserializationError
		apiErr smithy.APIError
	)
	var (
		where, contentType string
		status             int
		head               []byte
		headKnown          bool
	)
	switch {
	case errors.As(err, &ans):
		where, status, contentType, head, headKnown = ans.url, ans.status, ans.contentType, ans.head, ans.headKnown
	case errors.As(err, &resp) && resp.Response != nil && resp.Response.Response != nil:
		where, status, contentType = "the endpoint", resp.HTTPStatusCode(), resp.Response.Header.Get("Content-Type")
		if req := resp.Response.Request; req != nil {
			where = endpointOf(req.URL)
		}
	default:
		return nil
	}
	// An XML answer with an AWS root element (<ActionResponse>,
	// <ErrorResponse>, EC2's <Response>) is the endpoint's, even if the SDK
	// could not read all of it; without the body, only a content type that
	// is not XML tells.
	unread := errors.As(err, &deser) || !errors.As(err, &apiErr) || apiErr.ErrorCode() == "UnknownError"
	switch {
	case ans != nil && ans.notQuery:
	case headKnown && !looksLikeQueryXML(head):
	case !headKnown && unread && !strings.Contains(contentType, "xml"):
	default:
		return nil
	}
	what, check := "an AWS "+service+" endpoint", "AWS_ENDPOINT_URL"
	switch service {
	case "elasticloadbalancing":
		what = "an ELB Classic endpoint"
	case "ec2":
		what, check = "an EC2 endpoint", "AWS_ENDPOINT_URL_EC2 or AWS_ENDPOINT_URL"
	case "sts":
		what, check = "an STS endpoint", "AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL"
	}
	mediaType, _, _ := strings.Cut(contentType, ";")
	mediaType = strings.TrimSpace(mediaType)
	if mediaType == "" {
		mediaType = "without a content type"
	}
	msg := fmt.Sprintf("%s answered HTTP %d %s, not an AWS query XML answer: it is not %s (check %s)", where, status, mediaType, what, check)
	switch {
	case headKnown && len(bytes.TrimSpace(head)) == 0:
		msg += "; the body was empty"
	case headKnown:
		msg += "; the body starts: " + quoteHead(head)
	}
	return &notEndpointError{msg: msg, err: err}
}

// notEndpointError says what an endpoint answered instead of the SDK's parse
// error, which only confuses; the SDK error stays in the chain.
type notEndpointError struct {
	msg string
	err error
}

func (e *notEndpointError) Error() string { return e.msg }
func (e *notEndpointError) Unwrap() error { return e.err }

// looksLikeQueryXML reports whether a body starts like an answer of the AWS
// query protocols: XML (not an HTML page) whose root element is an AWS one.
func looksLikeQueryXML(head []byte) bool {
	b := bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	lower := bytes.ToLower(b[:min(len(b), 15)])
	if !bytes.HasPrefix(b, []byte("<")) || bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) {
		return false
	}
	return bytes.Contains(b, []byte("Response"))
}

// quoteHead shows the start of a body on one line: whitespace and control
// characters folded into single spaces, at most 80 characters.
func quoteHead(head []byte) string {
	s := strings.ToValidUTF8(string(head), "\uFFFD")
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}
