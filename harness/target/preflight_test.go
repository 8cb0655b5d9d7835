package target

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

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
