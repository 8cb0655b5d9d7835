package run

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/internal/procid"
)

// The runner is tested as a program (its signals are the process's), with
// a fake Ginkgo CLI and a fake conformance-report beside it: they record
// which signals reach them, so the tests can count interrupts and see what
// the reports were made from. The real suite, make and the container
// target are tested in cmd/elbconform-run.

const fakeGinkgo = `#!/usr/bin/env bash
# fake ginkgo: records the signals it gets, cleans up for 300 ms on SIGINT.
out=""
for a in "$@"; do case "$a" in --output-dir=*) out="${a#--output-dir=}";; esac; done
log="$out/ginkgo.signals"
trap 'echo INT >>"$log"; sleep 0.3; echo cleaned >>"$log"; printf "[{\"SuiteDescription\":\"fake\",\"SpecialSuiteFailureReasons\":[\"Interrupted by User\"]}]" >"$out/report.json"; exit 1' INT
trap 'echo TERM >>"$log"' TERM
echo "fake ginkgo running in $(pwd) with TMPDIR=$TMPDIR"
[ -n "$FAKE_FINISH" ] && { printf "[{\"SuiteDescription\":\"fake\",\"SuiteSucceeded\":true}]" >"$out/report.json"; exit 0; }
while :; do sleep 0.05; done
`

const fakeReport = `#!/usr/bin/env bash
# fake conformance-report: INCOMPLETE when report.json records an interrupt.
json="" out=""
while [ $# -gt 0 ]; do case "$1" in -json) json="$2"; shift;; -out) out="$2"; shift;; esac; shift; done
echo "report started" >>"$out/report.calls"
sleep "${FAKE_REPORT_SLEEP:-0}"
if grep -q "Interrupted by User" "$json" 2>/dev/null; then v=INCOMPLETE; else v=CONFORMANT; fi
echo "# $v" >"$out/conformance.md"
grep -o 'Interrupted by User[^"]*' "$json" >>"$out/conformance.md" || true
echo "$v"
[ "$v" = CONFORMANT ]
`

type fixture struct {
	bin, ginkgo, dir, tmp string
}

// binDir holds the runner, built once by TestMain, with the fake
// conformance-report beside it (the runner runs the one beside itself).
var binDir string

func TestMain(m *testing.M) {
	os.Exit(func() int {
		dir, err := os.MkdirTemp("", "elbconform-runner-test-")
		if err != nil {
			panic(err)
		}
		defer os.RemoveAll(dir)
		build := exec.Command("go", "build", "-o", filepath.Join(dir, "elbconform-run"), "../../cmd/elbconform-run")
		if out, err := build.CombinedOutput(); err != nil {
			panic(fmt.Sprintf("go build: %v\n%s", err, out))
		}
		for name, text := range map[string]string{"ginkgo": fakeGinkgo, "conformance-report": fakeReport} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o755); err != nil {
				panic(err)
			}
		}
		binDir = dir
		return m.Run()
	}())
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	f := fixture{bin: binDir, ginkgo: filepath.Join(binDir, "ginkgo"), dir: t.TempDir(), tmp: t.TempDir()}
	// An earlier run's verdict, which no later run may leave in place.
	for _, n := range []string{"conformance.md", "conformance.html", "conformance.yaml", "junit.xml", "report.json"} {
		if err := os.WriteFile(filepath.Join(f.dir, n), []byte("# CONFORMANT (an earlier run)\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

type started struct {
	cmd   *exec.Cmd
	lines chan string
	out   *syncBuffer
}

// syncBuffer is the runner's output so far, shared with the goroutine
// that reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) WriteString(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b.WriteString(s)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// start runs the runner in a process group of its own, as a terminal runs a
// foreground job.
func (f fixture) start(t *testing.T, env ...string) *started {
	t.Helper()
	cmd := exec.Command(filepath.Join(f.bin, "elbconform-run"), "-out", f.dir, "-ginkgo", f.ginkgo, "--", "./suite")
	cmd.Env = append(os.Environ(), append([]string{"TMPDIR=" + f.tmp}, env...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	s := &started{cmd: cmd, lines: make(chan string, 100), out: &syncBuffer{}}
	go func() {
		defer close(s.lines)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			s.out.WriteString(sc.Text() + "\n")
			select {
			case s.lines <- sc.Text():
			default:
			}
		}
	}()
	t.Cleanup(func() { procid.KillGroup(cmd.Process.Pid, syscall.SIGKILL); _ = cmd.Wait() })
	return s
}

func (s *started) waitFor(t *testing.T, sub string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-s.lines:
			if !ok {
				t.Fatalf("output ended before %q:\n%s", sub, s.out)
			}
			if strings.Contains(l, sub) {
				return
			}
		case <-deadline:
			t.Fatalf("no %q in 20s:\n%s", sub, s.out)
		}
	}
}

func (s *started) wait(t *testing.T) int {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- s.cmd.Wait() }()
	select {
	case err := <-errc:
		return exitCode(err)
	case <-time.After(30 * time.Second):
		t.Fatalf("the runner did not exit within 30s:\n%s", s.out)
	}
	return -1
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (f fixture) assertClean(t *testing.T) {
	t.Helper()
	if ents, _ := os.ReadDir(f.tmp); len(ents) > 0 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("TMPDIR not empty after the run: %v", names)
	}
}

// A signal while Ginkgo runs reaches it exactly once, as SIGINT, whether
// it was sent to the group (a terminal's Ctrl-C, SIGTERM to the group) or to
// the runner alone, and the runner waits for Ginkgo's cleanup.
func TestInterruptReachesGinkgoOnce(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sig   syscall.Signal
		group bool
		code  int
	}{
		{"SIGINT to the group", syscall.SIGINT, true, 130},
		{"SIGTERM to the group", syscall.SIGTERM, true, 143},
		{"SIGTERM to the runner", syscall.SIGTERM, false, 143},
		{"SIGHUP to the runner", syscall.SIGHUP, false, 129},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			s := f.start(t)
			s.waitFor(t, "fake ginkgo running")
			pid := s.cmd.Process.Pid
			if tc.group {
				_ = syscall.Kill(-pid, tc.sig)
			} else {
				_ = syscall.Kill(pid, tc.sig)
			}
			// The same signal again at once (make relays SIGTERM to its
			// children) is the same interrupt.
			_ = syscall.Kill(pid, tc.sig)
			if code := s.wait(t); code != tc.code {
				t.Errorf("exit status %d, want %d\n%s", code, tc.code, s.out)
			}
			if got := read(t, filepath.Join(f.dir, "ginkgo.signals")); got != "INT\ncleaned\n" {
				t.Errorf("Ginkgo got %q, want one SIGINT and time to clean up", got)
			}
			if md := read(t, filepath.Join(f.dir, "conformance.md")); !strings.HasPrefix(md, "# INCOMPLETE") {
				t.Errorf("conformance.md: %q", md)
			}
			if _, err := os.Stat(filepath.Join(f.dir, "junit.xml")); err == nil {
				t.Error("the earlier run's junit.xml is still there")
			}
			if !strings.Contains(read(t, filepath.Join(f.dir, LogFile)), "fake ginkgo running") {
				t.Error("run.log lacks Ginkgo's output")
			}
			f.assertClean(t)
		})
	}
}

// An interrupt while the reports are written lets them finish, records the
// interrupt in report.json and writes them again: INCOMPLETE, not the
// verdict of the run that had just ended.
func TestInterruptWhileReporting(t *testing.T) {
	f := newFixture(t)
	s := f.start(t, "FAKE_FINISH=1", "FAKE_REPORT_SLEEP=0.5")
	s.waitFor(t, "elbconform: writing the reports")
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(f.dir, "report.calls")); err == nil {
			break
		}
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	if code := s.wait(t); code != 143 {
		t.Errorf("exit status %d, want 143\n%s", code, s.out)
	}
	md := read(t, filepath.Join(f.dir, "conformance.md"))
	if !strings.HasPrefix(md, "# INCOMPLETE") || !strings.Contains(md, "Interrupted by User (SIGTERM while the reports were written)") {
		t.Errorf("conformance.md: %q", md)
	}
	if calls := strings.Count(read(t, filepath.Join(f.dir, "report.calls")), "report started"); calls != 2 {
		t.Errorf("the reports were written %d times, want 2 (the second after the interrupt)", calls)
	}
	f.assertClean(t)
}

// A run that is not interrupted keeps the gate's status and leaves nothing.
func TestUninterruptedRun(t *testing.T) {
	f := newFixture(t)
	s := f.start(t, "FAKE_FINISH=1")
	if code := s.wait(t); code != 0 {
		t.Errorf("exit status %d, want 0\n%s", code, s.out)
	}
	if md := read(t, filepath.Join(f.dir, "conformance.md")); !strings.HasPrefix(md, "# CONFORMANT\n") {
		t.Errorf("conformance.md: %q", md)
	}
	if !strings.Contains(s.out.String(), "TMPDIR="+f.tmp+"/"+runDirPrefix) {
		t.Errorf("Ginkgo should run with TMPDIR in the run's folder:\n%s", s.out)
	}
	f.assertClean(t)
}

// A third signal abandons Ginkgo's cleanup; the run still ends INCOMPLETE.
func TestThirdSignalAbandonsCleanup(t *testing.T) {
	f := newFixture(t)
	f.ginkgo = filepath.Join(t.TempDir(), "slow-ginkgo")
	if err := os.WriteFile(f.ginkgo, []byte(strings.Replace(fakeGinkgo, "sleep 0.3", "sleep 30", 1)), 0o755); err != nil {
		t.Fatal(err)
	}
	s := f.start(t)
	s.waitFor(t, "fake ginkgo running")
	t0 := time.Now()
	for i := 0; i < 3; i++ {
		_ = syscall.Kill(s.cmd.Process.Pid, syscall.SIGINT)
		time.Sleep(2 * duplicateWindow)
	}
	if code := s.wait(t); code != 130 {
		t.Errorf("exit status %d, want 130\n%s", code, s.out)
	}
	if d := time.Since(t0); d > 10*time.Second {
		t.Errorf("took %s after the third signal", d)
	}
	if md := read(t, filepath.Join(f.dir, "conformance.md")); !strings.HasPrefix(md, "# INCOMPLETE") {
		t.Errorf("conformance.md: %q", md)
	}
	for _, want := range []string{"interrupting the run", "still being stopped", "abandoning the cleanup"} {
		if !strings.Contains(s.out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, s.out)
		}
	}
	f.assertClean(t)
}

func TestMarkInterrupted(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.json")
	started := time.Now().Add(-time.Minute)
	load := func() []types.Report {
		var runs []types.Report
		if err := json.Unmarshal([]byte(read(t, p)), &runs); err != nil {
			t.Fatal(err)
		}
		return runs
	}

	// No report: the suite never ran; one is written with the reason.
	if err := markInterrupted(p, "Interrupted by User (SIGINT as the run started)", started); err != nil {
		t.Fatal(err)
	}
	runs := load()
	if len(runs) != 1 || runs[0].SuiteSucceeded || len(runs[0].SpecialSuiteFailureReasons) != 1 || !runs[0].StartTime.Equal(started) {
		t.Fatalf("written report: %+v", runs)
	}

	// An interrupt recorded with its details: nothing is added.
	if err := markInterrupted(p, "Interrupted by User (again)", started); err != nil {
		t.Fatal(err)
	}
	if got := load()[0].SpecialSuiteFailureReasons; len(got) != 1 {
		t.Errorf("reasons %q, want the first only", got)
	}

	// Ginkgo recorded the interrupt in its words: they get the details.
	b, _ := json.Marshal([]types.Report{{SpecialSuiteFailureReasons: []string{"Interrupted by User"}}})
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := markInterrupted(p, "Interrupted by User (SIGTERM while the suite ran)", started); err != nil {
		t.Fatal(err)
	}
	if got := load()[0].SpecialSuiteFailureReasons; strings.Join(got, "|") != "Interrupted by User (SIGTERM while the suite ran)" {
		t.Errorf("reasons %q, want Ginkgo's with the details", got)
	}

	// A passing report: the reason is added and the suite no longer succeeded.
	spec := types.SpecReport{LeafNodeText: "passes", State: types.SpecStatePassed, LeafNodeType: types.NodeTypeIt}
	b, _ = json.Marshal([]types.Report{{SuiteSucceeded: true, SpecReports: types.SpecReports{spec}}})
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := markInterrupted(p, "Interrupted by User (SIGTERM while the reports were written)", started); err != nil {
		t.Fatal(err)
	}
	runs = load()
	if runs[0].SuiteSucceeded || len(runs[0].SpecReports) != 1 || runs[0].SpecReports[0].State != types.SpecStatePassed ||
		strings.Join(runs[0].SpecialSuiteFailureReasons, "|") != "Interrupted by User (SIGTERM while the reports were written)" {
		t.Errorf("marked report: %+v", runs[0])
	}
}

func TestSweepRunDirs(t *testing.T) {
	parent := t.TempDir()
	files := t.TempDir()
	mk := func(owner procid.Owner, started time.Time, file string) string {
		t.Helper()
		dir, err := newRunDir(parent, "r", started, []string{file})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(runOwner{Owner: owner, RunID: "r", Started: started, Files: []string{file}})
		if err := os.WriteFile(filepath.Join(dir, ownerFile), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte("compiled suite"), 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := procid.Self()
	dead.PID, dead.Start = cmd.Process.Pid, ""
	foreign := dead
	foreign.Host = "another-machine.example"
	now := time.Now()

	gone := mk(dead, now, filepath.Join(files, "gone.test"))
	live := mk(procid.Self(), now, filepath.Join(files, "live.test"))
	elsewhere := mk(foreign, now, filepath.Join(files, "elsewhere.test"))
	// A compiled suite older than the dead run is not its own.
	old := mk(dead, now.Add(time.Hour), filepath.Join(files, "old.test"))
	noOwner := filepath.Join(parent, runDirPrefix+"x-1")
	if err := os.Mkdir(noOwner, 0o755); err != nil {
		t.Fatal(err)
	}

	msgs := SweepRunDirs(parent)
	if len(msgs) != 2 {
		t.Errorf("swept %q, want the two folders of the dead runner", msgs)
	}
	for dir, want := range map[string]bool{gone: false, old: false, live: true, elsewhere: true, noOwner: true} {
		if _, err := os.Stat(dir); (err == nil) != want {
			t.Errorf("%s: exists=%v, want %v", filepath.Base(dir), err == nil, want)
		}
	}
	for f, want := range map[string]bool{"gone.test": false, "old.test": true, "live.test": true, "elsewhere.test": true} {
		if _, err := os.Stat(filepath.Join(files, f)); (err == nil) != want {
			t.Errorf("%s: exists=%v, want %v", f, err == nil, want)
		}
	}
}
