package target

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/elbconform/elbconform/harness/clients"
	"github.com/elbconform/elbconform/harness/config"
)

// ErrAWSNotAllowed is returned when the aws target is chosen without the
// explicit opt-in: a conformance run creates load balancers and instances,
// which cost money, so it never does so by accident.
var ErrAWSNotAllowed = errors.New("refusing to run against real AWS: this creates load balancers and EC2 instances in your account (billed). " +
	"Set CONFORMANCE_ALLOW_AWS=1 to opt in; the run creates only resources named and tagged with its run ID, and `make sweep` removes leftovers")

// awsTarget checks the opt-in, then says which account and region it will
// use and what it will create, before anything is created.
func awsTarget(ctx context.Context, cfg *config.Config, log io.Writer) (*Running, error) {
	if !cfg.AllowAWS {
		return nil, ErrAWSNotAllowed
	}
	if cfg.AWS.ImageID == "" {
		return nil, errors.New("the aws target needs an AMI for its test instances: set CONFORMANCE_AWS_AMI=ami-… (any small Linux AMI of the region) or aws.imageId in the aws profile of ginkgo.yml")
	}
	ep := clients.Endpoint{Region: cfg.Region}
	awsCfg, err := clients.LoadConfig(ctx, ep, nil)
	if err != nil {
		return nil, err
	}
	id, err := sts.NewFromConfig(awsCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, fmt.Errorf("cannot confirm the AWS account (sts:GetCallerIdentity): %w. Check AWS_PROFILE / AWS_ACCESS_KEY_ID and AWS_REGION", Explain(err, "sts", cfg.Region))
	}
	fmt.Fprintf(log, "elbconform: REAL AWS — account %s (%s), region %s.\n", deref(id.Account), deref(id.Arn), cfg.Region)
	fmt.Fprintf(log, "elbconform: each spec creates Classic load balancers and %s instances from %s in the default VPC (plus one VPC and subnet for the other-VPC spec), named ec-<run>-… and tagged elbconform:run-id; it deletes them when the spec ends. It touches nothing else.\n",
		cfg.AWS.InstanceType, cfg.AWS.ImageID)
	return &Running{
		Endpoint:    ep,
		Description: fmt.Sprintf("AWS account %s, region %s", deref(id.Account), cfg.Region),
		Stop:        func(context.Context) error { return nil },
	}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
