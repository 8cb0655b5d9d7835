// Package wire sends raw, SigV4-signed awsQuery requests and reads the XML
// answers as a tree, for the specs that check what travels on the wire: the
// SDK clients hide it, and refuse to send the malformed requests some specs
// need. Signing is the SDK's own v4 signer; retries follow the SDK's standard
// retryer, so a target that throttles is treated as the SDK would treat it.
package wire

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go"
)

// ELBVersion is the API version of Elastic Load Balancing Classic.
const ELBVersion = "2012-06-01"

// ELBNamespace is the XML namespace of every ELB Classic answer.
const ELBNamespace = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"

// Client sends signed form requests to one service endpoint.
type Client struct {
	URL         string // the service endpoint, e.g. https://elasticloadbalancing.us-east-1.amazonaws.com
	Service     string // the SigV4 signing name, e.g. "elasticloadbalancing"
	Region      string
	Credentials aws.CredentialsProvider
	HTTP        aws.HTTPClient // the SDK's HTTP client (TLS settings, AWS_CA_BUNDLE); nil = http.DefaultClient
	// Retryer decides, as in the SDK, whether an error answer is retried.
	// Nil means the SDK's standard retryer.
	Retryer aws.Retryer
	// OnRetry, if set, is told of every retry (for the run's retry count).
	OnRetry func(error)
}

// Response is one answer as it came off the wire.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Doc is the parsed XML body, or nil when the body is not XML.
	Doc *Node
	// ParseError says why Doc is nil.
	ParseError error
}

// ELBRequest starts a form for an ELB Classic action.
func ELBRequest(action string) url.Values {
	return url.Values{"Action": {action}, "Version": {ELBVersion}}
}

// Do signs and posts form, retrying throttled or transient answers as the
// SDK's standard retryer would, and returns the final answer.
func (c *Client) Do(ctx context.Context, form url.Values) (*Response, error) {
	r := c.Retryer
	if r == nil {
		r = retry.NewStandard()
	}
	for attempt := 1; ; attempt++ {
		resp, err := c.once(ctx, form)
		if err != nil {
			return nil, err
		}
		apiErr := resp.apiError()
		if apiErr == nil || attempt >= r.MaxAttempts() || !r.IsErrorRetryable(apiErr) {
			return resp, nil
		}
		delay, err := r.RetryDelay(attempt, apiErr)
		if err != nil {
			return resp, nil
		}
		if c.OnRetry != nil {
			c.OnRetry(apiErr)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(delay):
		}
	}
}

func (c *Client) once(ctx context.Context, form url.Values) (*Response, error) {
	body := form.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	creds, err := c.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("retrieving credentials to sign the request: %w", err)
	}
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), c.Service, c.Region, time.Now()); err != nil {
		return nil, fmt.Errorf("signing the request: %w", err)
	}
	var hc aws.HTTPClient = http.DefaultClient
	if c.HTTP != nil {
		hc = c.HTTP
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	out := &Response{Status: res.StatusCode, Header: res.Header, Body: raw}
	out.Doc, out.ParseError = Parse(raw)
	return out, nil
}

// apiError is the answer as the SDK's retryer sees it: nil for success, else
// an API error with the wire code and a status, so the standard retryer's
// throttle and transient rules apply unchanged.
func (r *Response) apiError() error {
	if r.Status < 300 {
		return nil
	}
	return &statusError{GenericAPIError: smithy.GenericAPIError{Code: r.ErrorCode()}, status: r.Status}
}

type statusError struct {
	smithy.GenericAPIError
	status int
}

// HTTPStatusCode lets the retryer's transient-status rule see the status.
func (e *statusError) HTTPStatusCode() int { return e.status }

// ErrorCode is the Code of an ELB (ErrorResponse/Error/Code) or EC2
// (Response/Errors/Error/Code) error answer, or "".
func (r *Response) ErrorCode() string {
	if r.Doc == nil {
		return ""
	}
	if n := r.Doc.Find("Error", "Code"); n != nil {
		return n.Text
	}
	if n := r.Doc.Find("Errors", "Error", "Code"); n != nil {
		return n.Text
	}
	return ""
}

// Node is an XML element: its name with namespace, its children in order and
// its text. It keeps everything the target sent, extra elements included, so
// a check can look for what it needs and ignore what it does not.
type Node struct {
	Name     xml.Name
	Children []*Node
	Text     string
}

// Parse reads an XML document into a Node tree.
func Parse(raw []byte) (*Node, error) {
	dec := xml.NewDecoder(bytes.NewReader(raw))
	var stack []*Node
	var root *Node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &Node{Name: t.Name}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.Children = append(parent.Children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += strings.TrimSpace(string(t))
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("no XML element in the body")
	}
	return root, nil
}

// Child returns the first child element with the local name, or nil.
func (n *Node) Child(local string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name.Local == local {
			return c
		}
	}
	return nil
}

// ChildrenNamed returns every child element with the local name.
func (n *Node) ChildrenNamed(local string) []*Node {
	if n == nil {
		return nil
	}
	var out []*Node
	for _, c := range n.Children {
		if c.Name.Local == local {
			out = append(out, c)
		}
	}
	return out
}

// Find follows a path of local names from n, or returns nil.
func (n *Node) Find(path ...string) *Node {
	for _, p := range path {
		n = n.Child(p)
	}
	return n
}
