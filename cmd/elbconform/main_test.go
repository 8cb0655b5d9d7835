package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/elbconform/elbconform/reports"
)

// The binary is built once, with CGO off as a release is, and every test runs
// it from a folder of its own with no checkout above it: what a user who
// downloaded or `go install`ed it has.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "elbconform-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "elbconform")
	// -buildvcs=auto: the commit is the version of a binary built from a
	// checkout, whatever GOFLAGS says.
	// CGO off and no -trimpath: the configuration of every other build here
	// (the Makefile's), so the SDK is compiled once for all of them.
	build := exec.Command("go", "build", "-buildvcs=auto", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic("building elbconform: " + err.Error())
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// runBinary runs the binary in a new empty folder outside the repository
// and returns its exit status, output and the folder.
func runBinary(t *testing.T, env []string, args ...string) (code int, out string, dir string) {
	t.Helper()
	dir = t.TempDir()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), env...)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), buf.String(), dir
	} else if err != nil {
		t.Fatalf("running elbconform %s: %v", strings.Join(args, " "), err)
	}
	return 0, buf.String(), dir
}

// cleanEnv is the test's environment without the suite's own variables, so
// that a developer's CONFORMANCE_PROFILE or AWS_ENDPOINT_URL does not leak in.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "CONFORMANCE_") || strings.HasPrefix(kv, "AWS_ENDPOINT_URL") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// From an empty folder the binary runs the suite against the embedded
// emulator, with the embedded catalogue and profiles, and writes every
// report. One behaviour keeps it short: the rest are "not run", so the
// verdict is PARTIAL, never CONFORMANT, while the gate (exit status) passes
// what ran.
func TestRunFromAnEmptyFolder(t *testing.T) {
	code, out, dir := runBinary(t, nil, "run", "--report-dir", "out", "--procs", "2", "--", "--label-filter=REG-RESP-MEMBERSHIP")
	if code != 0 {
		t.Fatalf("a run of one passing behaviour: exit %d, want 0\n%s", code, out)
	}
	for _, name := range []string{"junit.xml", "report.json", "run.log", reports.YAMLFile, reports.JSONFile, reports.HTMLFile, reports.MarkdownFile} {
		if _, err := os.Stat(filepath.Join(dir, "out", name)); err != nil {
			t.Errorf("no %s in the report folder: %v", name, err)
		}
	}
	r, err := reports.ParseJSON(mustRead(t, filepath.Join(dir, "out", reports.JSONFile)))
	if err != nil {
		t.Fatalf("conformance.json does not read back as the report contract: %v", err)
	}
	if r.Verdict != reports.Partial {
		t.Errorf("verdict %s, want PARTIAL: 191 behaviours were not run", r.Verdict)
	}
	if r.Target.Profile != "emulator" || r.Target.Target != "emulator" {
		t.Errorf("target %+v, want the embedded emulator's profile", r.Target)
	}
	passed := false
	for _, b := range r.Behaviours {
		if b.ID == "REG-RESP-MEMBERSHIP" && b.Result == reports.Passed {
			passed = true
		}
	}
	if !passed {
		t.Errorf("REG-RESP-MEMBERSHIP did not pass in the report\n%s", out)
	}
	if !regexp.MustCompile(`Ran [1-9]\d* of \d+ Specs`).MatchString(out) {
		t.Errorf("Ginkgo's summary is missing from the output:\n%s", out)
	}
}

// Mistakes in what to run are one message and exit status 2, before any
// spec: an unknown profile, a profiles file that is not there, a stray
// argument, an unknown command.
func TestUsageMistakes(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--profile", "nosuch"}, `CONFORMANCE_PROFILE=nosuch: no such profile in`},
		{[]string{"run", "--profile", "./vendor.yml"}, `--profile ./vendor.yml: no such file`},
		{[]string{"run", "extra"}, `unexpected argument "extra"`},
		{[]string{"run", "--procs", "0"}, `--procs 0: want at least 1`},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{nil, "usage: elbconform COMMAND"},
	}
	for _, c := range cases {
		code, out, dir := runBinary(t, nil, c.args...)
		if code != exitUsage || !strings.Contains(out, c.want) {
			t.Errorf("elbconform %s: exit %d, output %q; want exit 2 saying %q", strings.Join(c.args, " "), code, out, c.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "reports")); err == nil {
			t.Errorf("elbconform %s wrote a report folder although it ran nothing", strings.Join(c.args, " "))
		}
	}
}

// A vendor's own profiles file replaces the built-in ones: its only profile is
// chosen, and a mistake in it is named with the file's own name and line.
func TestVendorProfilesFile(t *testing.T) {
	vendor := filepath.Join(t.TempDir(), "acme.yml")
	if err := os.WriteFile(vendor, []byte("profiles:\n  acme:\n    target: endpoint\n    eventualy: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runBinary(t, nil, "run", "--profile", vendor)
	if code != exitUsage || !strings.Contains(out, vendor+`:4: profile "acme": unknown field "eventualy"`) {
		t.Errorf("a mistake in a vendor's profiles file: exit %d, output %q", code, out)
	}
}

func TestProfilesAndVersion(t *testing.T) {
	code, out, _ := runBinary(t, nil, "profiles")
	if code != 0 || !strings.Contains(out, "emulator ") || !strings.Contains(out, "moto ") {
		t.Errorf("elbconform profiles: exit %d, output %q", code, out)
	}
	code, out, _ = runBinary(t, nil, "profiles", "--yaml")
	if code != 0 || !strings.HasPrefix(out, "# Target profiles") {
		t.Errorf("elbconform profiles --yaml: exit %d, does not print ginkgo.yml: %q", code, out[:min(len(out), 80)])
	}
	code, out, _ = runBinary(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "elbconform ") || strings.Contains(out, "unknown") {
		t.Errorf("elbconform version: exit %d, output %q (the build's commit, not unknown)", code, out)
	}
}

// verify is the report tool's: a bundle that is not there is exit 2.
func TestVerifyMissingBundle(t *testing.T) {
	code, out, _ := runBinary(t, nil, "verify", "nosuch.tar.gz")
	if code != exitUsage || !strings.HasPrefix(out, "elbconform: ") {
		t.Errorf("elbconform verify nosuch.tar.gz: exit %d, output %q", code, out)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// A run against real AWS uses awsProcs processes unless --procs says otherwise; any
// other target defaultProcs. Without CONFORMANCE_ALLOW_AWS the aws run stops before
// any spec (touching nothing), after Ginkgo has started its processes.
func TestRunChoosesProcessesByTarget(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"--profile", "aws"}, awsProcs},
		{[]string{"--profile", "aws", "--procs", "3"}, 3},
		{[]string{"--", "--label-filter=REG-RESP-MEMBERSHIP"}, defaultProcs},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			_, out, _ := runBinary(t, nil, append([]string{"run", "--report-dir", "out"}, c.args...)...)
			want := fmt.Sprintf("Running in parallel across %d processes", c.want)
			if plain := reports.StripTerminal(out); !strings.Contains(plain, want) {
				t.Errorf("the run does not say %q:\n%s", want, tail(plain, 20))
			}
		})
	}
}
