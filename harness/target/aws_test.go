package target

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/elbconform/elbconform/harness/config"
)

// recorder is an endpoint that records every request: STS, ELB and EC2 are
// all pointed at it, so any call the aws target makes shows up here.
type recorder struct {
	mu   sync.Mutex
	reqs []string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req.Method+" "+req.URL.String()+" "+req.Header.Get("Authorization"))
	r.mu.Unlock()
	http.Error(w, "recorder", http.StatusInternalServerError)
}

func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.reqs...)
}

// awsEnv points every AWS endpoint of this process at a recorder, with fake
// credentials, no shared files, no IMDS and no retries.
func awsEnv(t *testing.T) *recorder {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            srv.URL,
		"AWS_ENDPOINT_URL_STS":        srv.URL,
		"AWS_ACCESS_KEY_ID":           "AKIDELBCONFORMTEST",
		"AWS_SECRET_ACCESS_KEY":       "secret",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_REGION":                  "us-east-1",
		"AWS_CONFIG_FILE":             t.TempDir() + "/config",
		"AWS_SHARED_CREDENTIALS_FILE": t.TempDir() + "/credentials",
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_MAX_ATTEMPTS":            "1",
	} {
		t.Setenv(k, v)
	}
	return rec
}

// awsConfig is the aws profile of ginkgo.yml, read as the suite reads it.
func awsConfig(t *testing.T, env map[string]string) *config.Config {
	t.Helper()
	env["CONFORMANCE_TARGET"] = config.TargetAWS
	cfg, err := config.Load(".", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestAWSTargetRefusesWithoutOptIn(t *testing.T) {
	rec := awsEnv(t)
	for _, v := range []string{"", "0", "no", "false"} {
		cfg := awsConfig(t, map[string]string{"CONFORMANCE_ALLOW_AWS": v, "CONFORMANCE_AWS_AMI": "ami-12345678"})
		if cfg.AllowAWS {
			t.Fatalf("CONFORMANCE_ALLOW_AWS=%q allows AWS", v)
		}
		var log bytes.Buffer
		run, err := Start(context.Background(), cfg, &log)
		if run != nil || !errors.Is(err, ErrAWSNotAllowed) {
			t.Errorf("CONFORMANCE_ALLOW_AWS=%q: got %v, %v; want ErrAWSNotAllowed", v, run, err)
		}
		if log.Len() != 0 {
			t.Errorf("CONFORMANCE_ALLOW_AWS=%q: printed %q before refusing", v, log.String())
		}
	}
	if reqs := rec.requests(); len(reqs) != 0 {
		t.Fatalf("the refusal made %d request(s): %v", len(reqs), reqs)
	}
	if !strings.Contains(ErrAWSNotAllowed.Error(), "CONFORMANCE_ALLOW_AWS=1") {
		t.Errorf("the refusal does not name the opt-in: %v", ErrAWSNotAllowed)
	}
}

func TestAWSTargetRefusesWithoutAMI(t *testing.T) {
	rec := awsEnv(t)
	cfg := awsConfig(t, map[string]string{"CONFORMANCE_ALLOW_AWS": "1"})
	cfg.AWS.ImageID = "" // whatever ginkgo.yml says
	run, err := Start(context.Background(), cfg, &bytes.Buffer{})
	if run != nil || err == nil {
		t.Fatalf("got %v, %v; want a refusal", run, err)
	}
	if errors.Is(err, ErrAWSNotAllowed) || !strings.Contains(err.Error(), "CONFORMANCE_AWS_AMI") {
		t.Errorf("want the missing-AMI message naming CONFORMANCE_AWS_AMI, got: %v", err)
	}
	if reqs := rec.requests(); len(reqs) != 0 {
		t.Fatalf("the refusal made %d request(s): %v", len(reqs), reqs)
	}
}

// TestAWSTargetRecorderSeesCalls is the control: with the opt-in and an AMI,
// the same set-up does reach the recorder (sts:GetCallerIdentity), so the
// empty recordings above mean that no call was made.
func TestAWSTargetRecorderSeesCalls(t *testing.T) {
	rec := awsEnv(t)
	cfg := awsConfig(t, map[string]string{"CONFORMANCE_ALLOW_AWS": "1", "CONFORMANCE_AWS_AMI": "ami-12345678"})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := Start(ctx, cfg, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "sts:GetCallerIdentity") {
		t.Errorf("want the account check to fail against the recorder, got %v", err)
	}
	reqs := rec.requests()
	if len(reqs) == 0 {
		t.Fatal("the recorder saw no request: the refusal tests prove nothing")
	}
	if !strings.Contains(reqs[0], "AKIDELBCONFORMTEST") {
		t.Errorf("the request was not signed with the test credentials: %s", reqs[0])
	}
}
