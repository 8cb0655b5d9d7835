package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeConfig writes a ginkgo.yml into a fresh directory and returns it.
func writeConfig(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, File), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A valid profile, to build broken files from.
const okProfile = `profiles:
  emulator:
    description: the embedded emulator
    target: emulator
    eventually: {timeout: 10s, polling: 50ms}
`

// wantOneLine fails unless err is exactly want: one line, nothing else.
func wantOneLine(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	if got := err.Error(); got != want {
		t.Errorf("error\n  %s\nwant\n  %s", got, want)
	}
	if strings.ContainsAny(err.Error(), "\r\n") {
		t.Errorf("error is not one line: %q", err)
	}
}

func TestConfigFileErrors(t *testing.T) {
	cases := []struct {
		name, file, want string
	}{
		{"mapping value where none may be",
			"profiles:\n  emulator:\n    target: emulator\n    eventually: timeout: 10s\n",
			"ginkgo.yml:4: mapping values are not allowed in this context"},
		{"misindented key",
			"profiles:\n  emulator:\n    target: emulator\n   region: x\n",
			"ginkgo.yml:4: did not find expected key"},
		{"tab indentation",
			"profiles:\n  emulator:\n\ttarget: emulator\n",
			"ginkgo.yml:3: found character that cannot start any token"},
		{"unclosed flow mapping",
			"profiles:\n  emulator: {target: emulator\n  x: 1\n",
			"ginkgo.yml:3: did not find expected ',' or '}'"},
		{"misspelt profile field",
			"profiles:\n  emulator:\n    target: emulator\n    eventualy: {timeout: 10s, polling: 50ms}\n",
			`ginkgo.yml:4: profile "emulator": unknown field "eventualy" (fields: description, target, endpoint, region, eventually, emulator, aws, lacks, claims, emulatorExtensions, deviations, quotaBudget)`},
		{"misspelt nested field",
			"profiles:\n  emulator:\n    target: emulator\n    eventually: {timout: 10s, polling: 50ms}\n",
			`ginkgo.yml:4: profile "emulator": eventually: unknown field "timout" (fields: timeout, polling)`},
		{"misspelt field in a list",
			okProfile + "    lacks:\n      - {label: ec2, reason: none}\n      - lable: vpc\n",
			`ginkgo.yml:8: profile "emulator": lacks: unknown field "lable" (fields: label, reason)`},
		{"not a duration",
			"profiles:\n  emulator:\n    target: emulator\n    eventually:\n      timeout: abc\n      polling: 50ms\n",
			`ginkgo.yml:5: profile "emulator": eventually.timeout: "abc" is not a duration (write e.g. 10s or 250ms)`},
		{"a number for a duration",
			"profiles:\n  emulator:\n    target: emulator\n    eventually: {timeout: 10, polling: 50ms}\n",
			`ginkgo.yml:4: profile "emulator": eventually.timeout: "10" is not a duration (write e.g. 10s or 250ms)`},
		{"not a number",
			okProfile + "    emulator: {healthCheckScale: fast}\n",
			`ginkgo.yml:6: profile "emulator": emulator.healthCheckScale: want a number, not "fast"`},
		{"not a boolean",
			okProfile + "    emulatorExtensions: sometimes\n",
			`ginkgo.yml:6: profile "emulator": emulatorExtensions: want true or false, not "sometimes"`},
		{"a list where a string goes",
			okProfile + "    region: [us-east-1]\n",
			`ginkgo.yml:6: profile "emulator": region: want a string, not a list`},
		{"a field given twice",
			okProfile + "    target: container\n",
			`ginkgo.yml:6: profile "emulator": target given twice (first on line 4)`},
		{"a profile given twice",
			okProfile + "  emulator:\n    target: emulator\n",
			`ginkgo.yml:6: profile "emulator" given twice (first on line 2)`},
		{"unknown target kind",
			"profiles:\n  emulator: {target: nowhere, eventually: {timeout: 1s, polling: 1s}}\n",
			`ginkgo.yml:2: profile "emulator": target "nowhere": want one of emulator, container, endpoint, aws`},
		{"no target",
			"profiles:\n  emulator: {eventually: {timeout: 1s, polling: 1s}}\n",
			`ginkgo.yml:2: profile "emulator": no target: want one of emulator, container, endpoint, aws`},
		{"no patience",
			"profiles:\n  emulator: {target: emulator}\n",
			`ginkgo.yml:2: profile "emulator": eventually.timeout and eventually.polling must be set and positive`},
		{"a lack without a reason",
			okProfile + "    lacks: [{label: ec2}]\n",
			`ginkgo.yml:2: profile "emulator": every entry of lacks needs a label and a reason`},
		{"unknown top-level field",
			"profile:\n  emulator: {target: emulator}\n",
			`ginkgo.yml:1: unknown field "profile" (fields: profiles)`},
		{"profiles not a mapping",
			"profiles: [emulator]\n",
			`ginkgo.yml:1: profiles: want a mapping of profile names to profiles, not a list`},
		{"empty file",
			"# nothing\n",
			`ginkgo.yml: empty: it needs a profiles: mapping (see the repository's ginkgo.yml)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(writeConfig(t, c.file), envOf(nil))
			wantOneLine(t, err, c.want)
		})
	}
}

// The same file is read by Named (conformance-report finds the deviations
// file of the profile a run used), with the same messages.
func TestNamedReadsStrictly(t *testing.T) {
	_, _, err := Named(writeConfig(t, "profiles:\n  emulator:\n    target: emulator\n    eventualy: {}\n"), envOf(nil), "emulator")
	if err == nil || !strings.HasPrefix(err.Error(), `ginkgo.yml:4: profile "emulator": unknown field "eventualy"`) {
		t.Errorf("Named: %v", err)
	}
	_, _, err = Named(writeConfig(t, okProfile), envOf(nil), "moto")
	wantOneLine(t, err, `ginkgo.yml: no profile "moto" (profiles: emulator)`)
}

func TestMergeKeys(t *testing.T) {
	dir := writeConfig(t, `profiles:
  emulator: &fast
    target: emulator
    eventually: {timeout: 10s, polling: 50ms}
    region: us-east-1
  container:
    <<: *fast
    target: container
`)
	cfg, err := Load(dir, envOf(map[string]string{"CONFORMANCE_TARGET": "container"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Target != TargetContainer || cfg.Eventually.Polling.D().String() != "50ms" || cfg.Region != "us-east-1" {
		t.Errorf("merged profile: %+v", cfg.Profile)
	}
}

func TestEnvironmentErrors(t *testing.T) {
	root := repoRoot(t)
	const profiles = "aws, aws-timings, container, emulator, emulator-endpoint, endpoint, localstack, moto, selftest"
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"CONFORMANCE_PROFILE": "nonexistent"},
			"CONFORMANCE_PROFILE=nonexistent: no such profile in ginkgo.yml (profiles: " + profiles + ")"},
		{map[string]string{"CONFORMANCE_PROFILE": "nonexistent", "CONFORMANCE_TARGET": "emulator"},
			"CONFORMANCE_PROFILE=nonexistent: no such profile in ginkgo.yml (profiles: " + profiles + ")"},
		{map[string]string{"CONFORMANCE_TARGET": "x"},
			"CONFORMANCE_TARGET=x: no such target (targets: emulator, container, endpoint, aws; a profile of ginkgo.yml goes in CONFORMANCE_PROFILE: " + profiles + ")"},
		{map[string]string{"CONFORMANCE_TARGET": "x", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"},
			"CONFORMANCE_TARGET=x: no such target (targets: emulator, container, endpoint, aws; a profile of ginkgo.yml goes in CONFORMANCE_PROFILE: " + profiles + ")"},
		{map[string]string{"CONFORMANCE_PROFILE": "moto "},
			`CONFORMANCE_PROFILE="moto ": no such profile in ginkgo.yml (profiles: ` + profiles + ")"},
		{map[string]string{"CONFORMANCE_EVENTUALLY_TIMEOUT": "abc"},
			"CONFORMANCE_EVENTUALLY_TIMEOUT=abc: not a duration (write e.g. 30s, 2m or 250ms)"},
		{map[string]string{"CONFORMANCE_EVENTUALLY_TIMEOUT": "30"},
			"CONFORMANCE_EVENTUALLY_TIMEOUT=30: not a duration (write e.g. 30s, 2m or 250ms)"},
		{map[string]string{"CONFORMANCE_QUOTA_BUDGET": "many"},
			"CONFORMANCE_QUOTA_BUDGET=many: not a number of load balancers (write e.g. 30)"},
		{map[string]string{"CONFORMANCE_EVENTUALLY_POLLING": "0s"},
			"CONFORMANCE_EVENTUALLY_POLLING=0s: must be longer than 0"},
		{map[string]string{"CONFORMANCE_EVENTUALLY_POLLING": "-1s"},
			"CONFORMANCE_EVENTUALLY_POLLING=-1s: must be longer than 0"},
		{map[string]string{"CONFORMANCE_ALLOW_AWS": "maybe"},
			"CONFORMANCE_ALLOW_AWS=maybe: want 1 to allow creating resources on real AWS, or 0"},
	}
	for _, c := range cases {
		_, err := Load(root, envOf(c.env))
		wantOneLine(t, err, c.want)
	}
	// Empty values are unset: make passes CONFORMANCE_TARGET= without TARGET.
	cfg, err := Load(root, envOf(map[string]string{"CONFORMANCE_PROFILE": "", "CONFORMANCE_TARGET": "", "CONFORMANCE_EVENTUALLY_TIMEOUT": ""}))
	if err != nil || cfg.Name != "emulator" {
		t.Errorf("empty settings: %v, %v", cfg, err)
	}
}

// CONFORMANCE_PROFILES_FILE replaces the repository's ginkgo.yml: a vendor's
// own profiles, read from any folder, with their deviations paths relative to
// the file and its mistakes named by the file's own name.
func TestProfilesFile(t *testing.T) {
	elsewhere := t.TempDir() // no ginkgo.yml here or above
	vendorDir := t.TempDir()
	vendorFile := filepath.Join(vendorDir, "vendor.yml")
	if err := os.WriteFile(vendorFile, []byte("profiles:\n  acme:\n    target: endpoint\n    endpoint: http://acme.example:4580\n    eventually: {timeout: 1m, polling: 1s}\n    deviations: acme-deviations.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := envOf(map[string]string{ProfilesFileEnv: vendorFile, "CONFORMANCE_PROFILE": "acme"})
	c, err := Load(elsewhere, env)
	if err != nil {
		t.Fatalf("Load with %s: %v", ProfilesFileEnv, err)
	}
	if c.Name != "acme" || c.Endpoint != "http://acme.example:4580" {
		t.Errorf("profile %q endpoint %q, want acme at http://acme.example:4580", c.Name, c.Endpoint)
	}
	if got, want := c.DeviationsPath(), filepath.Join(vendorDir, "acme-deviations.yaml"); got != want {
		t.Errorf("deviations path %q, want %q (relative to the profiles file)", got, want)
	}
	if _, root, err := Named(elsewhere, env, "acme"); err != nil || root != vendorDir {
		t.Errorf("Named: root %q, %v; want %q", root, err, vendorDir)
	}

	if c, err := Load(elsewhere, envOf(map[string]string{ProfilesFileEnv: vendorFile})); err != nil || c.Name != "acme" {
		t.Errorf("a profiles file with one profile: want it chosen without CONFORMANCE_PROFILE, got %v", err)
	}
	_, err = Load(elsewhere, envOf(map[string]string{ProfilesFileEnv: vendorFile, "CONFORMANCE_PROFILE": "moto"}))
	wantOneLine(t, err, `CONFORMANCE_PROFILE=moto: no such profile in `+vendorFile+` (profiles: acme)`)

	bad := filepath.Join(vendorDir, "bad.yml")
	if err := os.WriteFile(bad, []byte("profiles:\n  acme:\n    target: endpoint\n    eventualy: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(elsewhere, envOf(map[string]string{ProfilesFileEnv: bad}))
	if err == nil || !strings.HasPrefix(err.Error(), bad+`:4: profile "acme": unknown field "eventualy"`) {
		t.Errorf("a mistake in the profiles file: %v", err)
	}
	_, err = Load(elsewhere, envOf(map[string]string{ProfilesFileEnv: filepath.Join(vendorDir, "missing.yml")}))
	if err == nil || !strings.HasPrefix(err.Error(), ProfilesFileEnv+"=") {
		t.Errorf("a missing profiles file: %v", err)
	}
}
