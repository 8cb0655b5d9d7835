package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/elbconform/elbconform/emulator"
	"github.com/elbconform/elbconform/harness/sweep"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestRefusesRealAWSWithoutOptIn(t *testing.T) {
	for _, env := range []map[string]string{
		{},
		{"AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING": "http://127.0.0.1:1"}, // EC2 would still go to AWS
		{"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), nil, envOf(env), &stdout, &stderr); code != 1 {
			t.Errorf("%v: exit %d, want 1", env, code)
		}
		if !strings.Contains(stderr.String(), "refusing to sweep real AWS") || !strings.Contains(stderr.String(), "CONFORMANCE_ALLOW_AWS=1") {
			t.Errorf("%v: stderr %q", env, stderr.String())
		}
	}
}

func TestUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"extra"}, envOf(nil), &stdout, &stderr); code != 2 {
		t.Errorf("exit %d for an unexpected argument, want 2", code)
	}
}

// TestSweepsEmulatorFromTheEnvironment runs the command as `make sweep` does,
// against an emulator named by AWS_ENDPOINT_URL only.
func TestSweepsEmulatorFromTheEnvironment(t *testing.T) {
	srv, err := emulator.Start(emulator.Options{Region: "us-east-1", InstanceStartDelay: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": srv.URL(), "AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_PROFILE": "",
		"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
		"AWS_CONFIG_FILE": t.TempDir() + "/c", "AWS_SHARED_CREDENTIALS_FILE": t.TempDir() + "/c",
		"AWS_EC2_METADATA_DISABLED": "true", "CONFORMANCE_ALLOW_AWS": "",
	} {
		t.Setenv(k, v)
	}
	ctx := context.Background()
	c := elb.New(elb.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL()), Credentials: credentials.NewStaticCredentialsProvider("a", "b", "")})
	for name, tags := range map[string][]elbtypes.Tag{
		"mine":   {{Key: aws.String(sweep.OwnerTag), Value: aws.String(sweep.OwnerValue)}, {Key: aws.String(sweep.RunIDTag), Value: aws.String("r1")}},
		"theirs": nil,
	} {
		_, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{
			LoadBalancerName:  aws.String(name),
			Listeners:         []elbtypes.Listener{{Protocol: aws.String("TCP"), LoadBalancerPort: 80, InstancePort: aws.Int32(80)}},
			AvailabilityZones: []string{"us-east-1a"}, Tags: tags,
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"-region", "us-east-1", "-dry-run"}, os.LookupEnv, &stdout, &stderr); code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, stderr.String())
	}
	t.Logf("dry run:\n%s", stdout.String())
	if !strings.Contains(stdout.String(), "would delete load balancer mine (run r1)") {
		t.Errorf("dry run output: %s", stdout.String())
	}
	stdout.Reset()
	if code := run(ctx, []string{"-region", "us-east-1", "-run-id", "r1"}, os.LookupEnv, &stdout, &stderr); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr.String())
	}
	t.Logf("sweep:\n%s", stdout.String())
	out, err := c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.LoadBalancerDescriptions) != 1 || aws.ToString(out.LoadBalancerDescriptions[0].LoadBalancerName) != "theirs" {
		t.Errorf("after the sweep: %d load balancers, want only theirs", len(out.LoadBalancerDescriptions))
	}

	// Without -region and AWS_REGION there is no region to sweep.
	stderr.Reset()
	if code := run(ctx, nil, os.LookupEnv, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "no region") {
		t.Errorf("without a region: exit %d, %q", code, stderr.String())
	}
}
