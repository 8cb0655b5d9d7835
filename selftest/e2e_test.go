package selftest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The real thing, on one fault mode and one variant: compile the suite, run
// it against three emulators (baseline, fault, variant) and check the
// verdicts and the files.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end self-test skipped under -short: it compiles the suite and runs it against three emulators (about 30 s)")
	}
	root, err := FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	const fault, variant = "register-returns-sent-only", "shuffle-order"
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	var progress strings.Builder
	o := Defaults
	o.Root, o.Out, o.Only, o.Progress = root, out, []string{fault, variant}, &progress
	s, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(out, s); err != nil {
		t.Fatal(err)
	}
	var tbl strings.Builder
	Table(&tbl, s)
	t.Logf("progress:\n%s\n%s", progress.String(), tbl.String())

	if s.Baseline == nil || s.Baseline.Verdict != Passed {
		t.Errorf("baseline: %+v", s.Baseline)
	}
	if len(s.Faults) != 1 || s.Faults[0].Name != fault || s.Faults[0].Verdict != Killed {
		t.Errorf("fault: %+v", s.Faults)
	} else if !strings.Contains(strings.Join(s.Faults[0].Behaviours, ","), "REG-RESP-MEMBERSHIP") {
		t.Errorf("fault %s killed by %v, want REG-RESP-MEMBERSHIP among them", fault, s.Faults[0].Behaviours)
	}
	if len(s.Variants) != 1 || s.Variants[0].Name != variant || s.Variants[0].Verdict != Held {
		t.Errorf("variant: %+v", s.Variants)
	}
	if !s.OK {
		t.Errorf("not OK: %q", s.Problems)
	}
	for _, f := range []string{MarkdownFile, YAMLFile, filepath.Join(RunsDir, BaselineName, "report.json"), filepath.Join(RunsDir, fault, "run.log")} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
}
