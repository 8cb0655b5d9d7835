package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// The repository's own ginkgo.yml is what users run with, so the tests read it.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := findRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestProfileSelection(t *testing.T) {
	root := repoRoot(t)
	cases := []struct {
		name    string
		env     map[string]string
		profile string
		target  string
	}{
		{"default is the embedded emulator", nil, "emulator", TargetEmulator},
		{"AWS_ENDPOINT_URL picks endpoint", map[string]string{"AWS_ENDPOINT_URL": "http://localhost:9"}, "endpoint", TargetEndpoint},
		{"per-service endpoint picks endpoint", map[string]string{"AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING": "http://localhost:9"}, "endpoint", TargetEndpoint},
		{"CONFORMANCE_TARGET wins over the URL", map[string]string{"AWS_ENDPOINT_URL": "http://x", "CONFORMANCE_TARGET": "container"}, "container", TargetContainer},
		{"CONFORMANCE_PROFILE wins over all", map[string]string{"CONFORMANCE_TARGET": "container", "CONFORMANCE_PROFILE": "moto"}, "moto", TargetEndpoint},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Load(root, envOf(c.env))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Name != c.profile || cfg.Target != c.target {
				t.Errorf("profile %q target %q, want %q %q", cfg.Name, cfg.Target, c.profile, c.target)
			}
		})
	}
}

func TestOverridesAndOptIn(t *testing.T) {
	cfg, err := Load(repoRoot(t), envOf(map[string]string{
		"CONFORMANCE_TARGET": "aws", "AWS_REGION": "eu-west-1", "CONFORMANCE_EVENTUALLY_TIMEOUT": "42s",
		"CONFORMANCE_EVENTUALLY_POLLING": "3s", "CONFORMANCE_ALLOW_AWS": "1", "CONFORMANCE_AWS_AMI": "ami-1",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "eu-west-1" || cfg.Eventually.Timeout.D() != 42*time.Second || cfg.Eventually.Polling.D() != 3*time.Second {
		t.Errorf("overrides not applied: %+v", cfg)
	}
	if !cfg.AllowAWS || cfg.AWS.ImageID != "ami-1" {
		t.Errorf("opt-in or AMI not read: allow=%v ami=%q", cfg.AllowAWS, cfg.AWS.ImageID)
	}
	if _, lacks := cfg.LacksLabel("backend-control"); !lacks {
		t.Error("the aws profile declares it lacks backend-control")
	}

	cfg, err = Load(repoRoot(t), envOf(map[string]string{"CONFORMANCE_TARGET": "aws"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.AllowAWS {
		t.Error("AllowAWS without CONFORMANCE_ALLOW_AWS")
	}
	// The emulators ignore AWS_REGION: their zones are fixed by the profile.
	cfg, _ = Load(repoRoot(t), envOf(map[string]string{"AWS_REGION": "eu-west-1"}))
	if cfg.Region != "us-east-1" {
		t.Errorf("emulator region %q", cfg.Region)
	}
}

func TestClearErrors(t *testing.T) {
	root := repoRoot(t)
	for env, want := range map[string]string{
		"CONFORMANCE_PROFILE=nope":            `no such profile in ginkgo.yml (profiles: aws, aws-timings, container`,
		"CONFORMANCE_EVENTUALLY_TIMEOUT=soon": `CONFORMANCE_EVENTUALLY_TIMEOUT=soon: not a duration`,
	} {
		k, v, _ := strings.Cut(env, "=")
		_, err := Load(root, envOf(map[string]string{k: v}))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to contain %q", env, err, want)
		}
	}
	if _, err := Load(t.TempDir(), envOf(nil)); err == nil || !strings.Contains(err.Error(), "no ginkgo.yml found") {
		t.Errorf("outside the repository: %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, File), []byte("profiles:\n  emulator: {target: nowhere, eventually: {timeout: 1s, polling: 1s}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir, envOf(nil)); err == nil || !strings.Contains(err.Error(), `target "nowhere"`) {
		t.Errorf("bad target: %v", err)
	}
}
