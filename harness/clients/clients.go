// Package clients builds the aws-sdk-go-v2 clients the specs use, for any
// target, keeping the SDK's standard retryer (so throttling is retried as real
// clients retry it) and counting the retries it makes.
package clients

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"
)

// Endpoint is where a run sends its requests. It is plain data, so the first
// Ginkgo process can hand it to the others.
type Endpoint struct {
	// ELBURL and EC2URL are explicit endpoints; empty means the SDK resolves
	// them (from AWS_ENDPOINT_URL*, the shared config, or the AWS default).
	ELBURL string `json:"elbURL,omitempty"`
	EC2URL string `json:"ec2URL,omitempty"`
	// IAMURL is IAM's (server certificates for HTTPS listeners); empty: resolved as above.
	IAMURL string `json:"iamURL,omitempty"`
	Region string `json:"region"`
	// StaticCredentials makes the clients sign with fixed dummy credentials:
	// the reference emulator accepts any, and needs no AWS account.
	StaticCredentials bool `json:"staticCredentials,omitempty"`
}

// Clients are one process's SDK clients for a target.
type Clients struct {
	ELB     *elb.Client
	EC2     *ec2.Client
	IAM     *iam.Client
	Config  aws.Config
	Retries *RetryCounter
}

// RetryCounter counts the retries the SDK's standard retryer decides to make.
// The suite reports them but never fails on them: a target may throttle, and
// a well-behaved client retries.
type RetryCounter struct {
	retries   atomic.Int64
	throttled atomic.Int64
}

func (c *RetryCounter) Retries() int64   { return c.retries.Load() }
func (c *RetryCounter) Throttled() int64 { return c.throttled.Load() }

// Count records one retry caused by err.
func (c *RetryCounter) Count(err error) {
	c.retries.Add(1)
	var api smithy.APIError
	if errors.As(err, &api) && (retry.ThrottleErrorCode{Codes: retry.DefaultThrottleErrorCodes}).IsErrorThrottle(err).Bool() {
		c.throttled.Add(1)
	}
}

// LoadConfig resolves the AWS configuration for an endpoint: the standard
// chain (environment, shared files, profiles) with the region and, for the
// emulators, fixed credentials.
func LoadConfig(ctx context.Context, ep Endpoint, counter *RetryCounter) (aws.Config, error) {
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRegion(ep.Region),
		awsconfig.WithRetryer(func() aws.Retryer {
			return &retryer{RetryerV2: retry.NewStandard(), counter: counter}
		}),
	}
	if ep.StaticCredentials {
		opts = append(opts, awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("elbconform", "elbconform", "")))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading AWS configuration: %w", err)
	}
	return cfg, nil
}

// New builds the clients for an endpoint.
func New(ctx context.Context, ep Endpoint) (*Clients, error) {
	counter := &RetryCounter{}
	cfg, err := LoadConfig(ctx, ep, counter)
	if err != nil {
		return nil, err
	}
	return &Clients{
		ELB: elb.NewFromConfig(cfg, func(o *elb.Options) {
			if ep.ELBURL != "" {
				o.BaseEndpoint = aws.String(ep.ELBURL)
			}
		}),
		EC2: ec2.NewFromConfig(cfg, func(o *ec2.Options) {
			if ep.EC2URL != "" {
				o.BaseEndpoint = aws.String(ep.EC2URL)
			}
		}),
		IAM: iam.NewFromConfig(cfg, func(o *iam.Options) {
			if ep.IAMURL != "" {
				o.BaseEndpoint = aws.String(ep.IAMURL)
			}
		}),
		Config:  cfg,
		Retries: counter,
	}, nil
}
