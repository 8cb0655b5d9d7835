package target

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/smithy-go"

	"github.com/elbconform/elbconform/harness/clients"
)

// Preflight makes one cheap call to each service before any spec runs, with no
// retries and a short deadline, so that an unreachable endpoint, a TLS
// problem, a wrong region or missing credentials stop the run at once with
// one message instead of a hundred timeouts.
func Preflight(ctx context.Context, c *clients.Clients, ep clients.Endpoint) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := c.ELB.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(1)}, func(o *elb.Options) { o.Retryer = throttlingOnly() }); err != nil {
		return fmt.Errorf("the ELB endpoint %s does not answer DescribeLoadBalancers: %w", where(ep.ELBURL, "elasticloadbalancing", ep.Region), Explain(err, "elasticloadbalancing", ep.Region))
	}
	if _, err := c.EC2.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}, func(o *ec2.Options) { o.Retryer = throttlingOnly() }); err != nil {
		return fmt.Errorf("the EC2 endpoint %s does not answer DescribeAvailabilityZones (the fixtures need EC2 instances): %w", where(ep.EC2URL, "ec2", ep.Region), Explain(err, "ec2", ep.Region))
	}
	return nil
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
