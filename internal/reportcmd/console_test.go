package reportcmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// The verdict line quotes failure messages; from a coloured run they carry
// terminal escapes, which the console line must not.
func TestVerdictLineIsPlainText(t *testing.T) {
	const red, bold, reset = "\x1b[38;5;9m", "\x1b[1m", "\x1b[0m"
	setup := types.SpecReport{
		LeafNodeType: types.NodeTypeSynchronizedBeforeSuite, State: types.SpecStateFailed, ParallelProcess: 1,
		Failure: types.Failure{Message: bold + red + "target \"emulator\": cannot start" + reset + "\nmore", FailureNodeType: types.NodeTypeSynchronizedBeforeSuite},
	}
	raw, err := json.Marshal([]types.Report{{SpecReports: types.SpecReports{setup}, SpecialSuiteFailureReasons: []string{red + "Interrupted by User" + reset}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "report.json")
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd(t, "-json", p, "-catalogue", cat, "-out", dir)
	if code != exitGate {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if strings.ContainsRune(stdout+stderr, '\x1b') {
		t.Errorf("console output carries terminal escapes: %q", stdout+stderr)
	}
	for _, want := range []string{`INCOMPLETE: `, `Suite setup SynchronizedBeforeSuite failed: target "emulator": cannot start …`, "The run was interrupted by a signal"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("verdict line lacks %q: %s", want, stdout)
		}
	}
}
