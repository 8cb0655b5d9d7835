package config

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSuiteStopsWithOneLine runs the compiled conformance suite (serially,
// and with the ginkgo CLI on 3 processes) in a folder whose ginkgo.yml or
// environment is wrong, and checks that it stops before any spec with the
// configuration error as its one line: no Gomega dump, and no echo of it
// from the other processes.
func TestSuiteStopsWithOneLine(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to compile the suite with")
	}
	root := repoRoot(t)
	bin := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for _, args := range [][]string{
		{"test", "-c", "-o", filepath.Join(bin, "elb.test"), "./suites/elb"},
		{"build", "-o", filepath.Join(bin, "ginkgo"), "github.com/onsi/ginkgo/v2/ginkgo"},
	} {
		cmd := exec.CommandContext(ctx, goBin, args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0") // the Makefile's build configuration: one SDK compile
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	cases := []struct {
		name, file string
		env        []string
		want       string
	}{
		{"malformed YAML",
			"profiles:\n  emulator:\n    target: emulator\n    eventually: timeout: 10s\n", nil,
			"ginkgo.yml:4: mapping values are not allowed in this context"},
		{"misspelt field",
			"profiles:\n  emulator:\n    target: emulator\n    eventualy: {timeout: 10s, polling: 50ms}\n", nil,
			`ginkgo.yml:4: profile "emulator": unknown field "eventualy" (fields: description, target, endpoint, region, eventually, emulator, aws, lacks, claims, emulatorExtensions, deviations, quotaBudget)`},
		{"unknown profile",
			okProfile, []string{"CONFORMANCE_PROFILE=nonexistent"},
			"CONFORMANCE_PROFILE=nonexistent: no such profile in ginkgo.yml (profiles: emulator)"},
		{"bad duration",
			okProfile, []string{"CONFORMANCE_EVENTUALLY_TIMEOUT=abc"},
			"CONFORMANCE_EVENTUALLY_TIMEOUT=abc: not a duration (write e.g. 30s, 2m or 250ms)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, File), []byte(c.file), 0o644); err != nil {
				t.Fatal(err)
			}
			// The suite reads its catalogue from its working folder, and
			// the ginkgo CLI runs a compiled suite in the suite's folder.
			for link, target := range map[string]string{
				"behaviours.yaml": filepath.Join(root, "suites", "elb", "behaviours.yaml"),
				"elb.test":        filepath.Join(bin, "elb.test"),
			} {
				if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
					t.Fatal(err)
				}
			}
			for _, run := range []struct {
				how  string
				argv []string
			}{
				{"serial", []string{"./elb.test", "-test.run", "^TestConformance$", "-ginkgo.no-color"}},
				{"3 processes", []string{filepath.Join(bin, "ginkgo"), "--procs=3", "--no-color", "./elb.test"}},
			} {
				cmd := exec.CommandContext(ctx, run.argv[0], run.argv[1:]...)
				cmd.Dir = dir
				cmd.Env = append(suiteEnv(), c.env...)
				out, err := cmd.CombinedOutput()
				log := string(out)
				if err == nil {
					t.Errorf("%s: the suite passed with a configuration error:\n%s", run.how, log)
				}
				if n := strings.Count(log, "[ABORTED] "+c.want+"\n"); n != 1 {
					t.Errorf("%s: the line %q appears %d times, want once:\n%s", run.how, "[ABORTED] "+c.want, n, log)
				}
				for _, bad := range []string{"Unexpected error", "<*errors", "reading the run configuration", "failed on Ginkgo parallel process"} {
					if strings.Contains(log, bad) {
						t.Errorf("%s: output contains %q:\n%s", run.how, bad, log)
					}
				}
				if !strings.Contains(log, "Ran 0 of ") {
					t.Errorf("%s: specs ran:\n%s", run.how, log)
				}
			}
		})
	}
}

// suiteEnv is the environment without anything that would choose a target
// or change Ginkgo's output.
func suiteEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "CONFORMANCE_") && !strings.HasPrefix(kv, "GINKGO_") {
			env = append(env, kv)
		}
	}
	return env
}
