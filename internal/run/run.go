// Package run is the conformance runner behind `make conformance`
// (cmd/elbconform-run). It runs the Ginkgo CLI on the suite with its output
// copied to the terminal and run.log, writes the conformance reports and
// exits with the gate's status, as the Makefile did with a pipe through tee;
// unlike the pipe, it survives an interrupt and sees it through:
//
//   - Ginkgo and everything it starts run in a process group of their own,
//     so a terminal's Ctrl-C (SIGINT to the foreground group), a SIGTERM to
//     the group or to the runner alone, or a SIGHUP, all reach them exactly
//     once, as one SIGINT the runner sends: Ginkgo interrupts the specs and
//     runs their cleanup (load balancers, instances, the emulator container),
//     and the runner waits for it. Go tools cut short leave their temporary
//     folders in the run's own temporary folder (TMPDIR and GOTMPDIR point
//     there), which the runner removes.
//   - The reports of the run replace those of the previous run, which are
//     removed before anything starts, and an interrupted run's reports say
//     INCOMPLETE: Ginkgo records the interrupt in report.json when it
//     happens during the suite; at any other phase (compiling, writing the
//     reports) the runner records it there itself.
//   - Should the runner itself be killed outright, the Ginkgo CLI is killed
//     with it and the suite's processes get SIGTERM (internal/runenv
//     Lifeline), and what a crash leaves (the run's temporary folder, its
//     compiled suite) is removed by the next run, the container by the next
//     container-target start.
//
// The exit status is the gate's (0 conformant, 1 not, 2 unusable input) or,
// for an interrupted run, 128 plus the signal's number.
package run

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/internal/procid"
	"github.com/elbconform/elbconform/internal/runenv"
)

// Names of the files a run writes in its report folder.
const (
	JUnitFile  = "junit.xml"
	JSONFile   = "report.json"
	LogFile    = "run.log"
	reportGlob = "conformance.*"
)

// InterruptedReason is the reason Ginkgo records in report.json when a
// signal interrupts the suite (interrupt_handler.InterruptCauseSignal); the
// runner records interrupts outside the suite under the same words.
const InterruptedReason = "Interrupted by User"

// Time limits of an interrupted run.
var (
	// cleanupLimit is how long Ginkgo may take to clean up after the
	// interrupt before its processes are killed (the container target's
	// own deadlines are 30 s; Ginkgo's grace period for a node is 30 s).
	cleanupLimit = 2 * time.Minute
	// lingerLimit is how long processes of Ginkgo's group may outlive the
	// CLI before they are killed.
	lingerLimit = 10 * time.Second
	// duplicateWindow: the same signal again within it is the same
	// interrupt, delivered twice.
	duplicateWindow = 500 * time.Millisecond
)

// Main runs the runner with command-line arguments (without the program
// name) and returns its exit status.
//
//	elbconform-run [-out DIR] [-catalogue FILE] [-bundle FILE] [-ginkgo CMD] -- GINKGO-FLAGS... PACKAGES...
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("elbconform-run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: elbconform-run [-out DIR] [-catalogue FILE] [-bundle FILE] [-ginkgo CMD] [-report CMD] -- [ginkgo flags] PACKAGES")
		fs.PrintDefaults()
	}
	o := options{}
	fs.StringVar(&o.dir, "out", "reports", "report folder: junit.xml, report.json, run.log and conformance.{html,md,yaml}")
	fs.StringVar(&o.catalogue, "catalogue", "suites/elb/behaviours.yaml", "behaviour catalogue")
	fs.StringVar(&o.bundle, "bundle", "", "also pack reports, run log and catalogue into this certification bundle (make certify)")
	ginkgo := fs.String("ginkgo", "go tool ginkgo", "the Ginkgo CLI command")
	report := fs.String("report", "", "the report command (cmd/conformance-report's arguments); default: conformance-report beside this binary, else go run ./cmd/conformance-report")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	o.ginkgo = strings.Fields(*ginkgo)
	o.report = strings.Fields(*report)
	o.ginkgoArgs = fs.Args()
	if len(o.ginkgo) == 0 || len(o.ginkgoArgs) == 0 {
		fs.Usage()
		return 2
	}
	return start(o, stdout, stderr)
}

// Options are the runner's settings as a program gives them, for commands
// that run the runner in process (cmd/elbconform): Main's flags, with the
// commands as argument lists, so that paths with spaces stay whole.
type Options struct {
	Dir, Catalogue, Bundle string
	// Ginkgo is the Ginkgo CLI command; Report the report command, which takes
	// cmd/conformance-report's arguments.
	Ginkgo, Report []string
	// GinkgoArgs are Ginkgo's flags and the suites to run.
	GinkgoArgs []string
}

// Run runs the runner with opts and returns its exit status, as Main does.
func Run(opts Options, stdout, stderr io.Writer) int {
	return start(options{dir: opts.Dir, catalogue: opts.Catalogue, bundle: opts.Bundle,
		ginkgo: opts.Ginkgo, report: opts.Report, ginkgoArgs: opts.GinkgoArgs}, stdout, stderr)
}

func start(o options, stdout, stderr io.Writer) int {
	r := &runner{options: o, stdout: stdout, stderr: stderr, started: time.Now(), intr: make(chan struct{}), phase: "as the run started"}
	return r.run()
}

type options struct {
	dir, catalogue, bundle     string
	ginkgo, ginkgoArgs, report []string
}

type runner struct {
	options
	stdout, stderr io.Writer
	started        time.Time

	out   *tee // terminal and run.log
	tmp   string
	runID string
	intr  chan struct{} // closed by the first interrupt

	mu    sync.Mutex
	sig   os.Signal // the first interrupt, nil if none
	sigAt string    // the phase it came in
	nsig  int
	phase string // what the run is doing, e.g. "while the reports were written"
	child *child // the child signals go to, nil if none
	relay bool   // whether an interrupt is relayed to child (not to the reports)
	suite *child // the Ginkgo CLI while it runs
}

func (r *runner) run() int {
	// From here on, SIGINT, SIGTERM and SIGHUP interrupt the run instead of
	// ending the runner. SIGPIPE, when the terminal side of stdout goes
	// away, must not end it either: run.log still gets everything.
	sigc := make(chan os.Signal, 8)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	// SIGUSR1 asks Ginkgo for a progress report: it is passed on.
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	defer signal.Stop(sigc)
	defer signal.Stop(usr1)
	go r.signals(sigc)
	go func() {
		for range usr1 {
			r.mu.Lock()
			if r.suite != nil {
				procid.KillGroup(r.suite.pid(), syscall.SIGUSR1)
			}
			r.mu.Unlock()
		}
	}()

	if err := r.prepare(); err != nil {
		fmt.Fprintf(r.stderr, "elbconform-run: %v\n", err)
		return 2
	}
	defer r.out.Close()
	defer os.RemoveAll(r.tmp)

	suiteExit := r.runSuite()
	r.cleanAfterSuite()

	code := r.reports(suiteExit)
	if r.bundle != "" {
		if c := r.certify(); c != 0 && code == 0 {
			code = c
		}
	}
	if sig := r.interrupt(); sig != nil {
		r.printf("elbconform: the run was interrupted by %s; its reports say INCOMPLETE.\n", sigName(sig))
		if s, ok := sig.(syscall.Signal); ok {
			return 128 + int(s)
		}
		return 130
	}
	return code
}

// prepare removes the previous run's results, opens run.log, removes what
// runs killed outright left behind and creates this run's temporary folder.
func (r *runner) prepare() error {
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return fmt.Errorf("report folder: %w", err)
	}
	if err := removeStaleReports(r.dir, r.bundle); err != nil {
		return err
	}
	log, err := os.Create(filepath.Join(r.dir, LogFile))
	if err != nil {
		return fmt.Errorf("run log: %w", err)
	}
	r.out = &tee{term: r.stdout, log: log}
	for _, msg := range SweepRunDirs(os.TempDir()) {
		r.printf("elbconform: %s\n", msg)
	}
	r.runID = os.Getenv(runenv.RunID)
	if r.runID == "" {
		r.runID = newRunID()
	}
	r.tmp, err = newRunDir(os.TempDir(), r.runID, r.started, r.suiteBinaries())
	return err
}

// suiteBinaries are the files the Ginkgo CLI compiles the suites into
// (PACKAGE/NAME.test), removed at the end if the CLI could not.
func (r *runner) suiteBinaries() []string {
	var out []string
	for _, a := range r.ginkgoArgs {
		if strings.HasPrefix(a, "-") {
			continue
		}
		abs, err := filepath.Abs(a)
		if err != nil {
			continue
		}
		if st, err := os.Stat(abs); err == nil && st.IsDir() {
			out = append(out, filepath.Join(abs, filepath.Base(abs)+".test"))
		}
	}
	return out
}

// runSuite runs the Ginkgo CLI and returns its exit status.
func (r *runner) runSuite() int {
	if !r.enter("as the run started", nil, true) {
		return 1
	}
	gotmp := filepath.Join(r.tmp, "tmp")
	env := append(os.Environ(),
		"TMPDIR="+gotmp, "GOTMPDIR="+gotmp,
		runenv.Lifeline+"=1", runenv.RunID+"="+r.runID)

	cli := r.resolveGinkgo(env)
	if r.interrupt() != nil {
		return 1
	}
	args := append(append([]string(nil), cli[1:]...),
		"--junit-report="+JUnitFile, "--json-report="+JSONFile, "--output-dir="+r.dir)
	args = append(args, r.ginkgoArgs...)
	cmd := exec.Command(cli[0], args...)
	cmd.Env = env
	pr, pw, err := os.Pipe()
	if err != nil {
		r.printf("elbconform: %v\n", err)
		return 1
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	c, err := startChild(cmd)
	pw.Close()
	if err != nil {
		pr.Close()
		r.printf("elbconform: cannot start the Ginkgo CLI (%s): %v\n", strings.Join(cli, " "), err)
		return 1
	}
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		r.copySuiteOutput(pr)
	}()
	r.enter("while Ginkgo compiled the suite", c, true)
	r.mu.Lock()
	r.suite = c
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.suite = nil
		r.mu.Unlock()
	}()

	var limit <-chan time.Time
	intr := r.intr
	for waiting := true; waiting; {
		select {
		case <-c.done:
			waiting = false
		case <-intr:
			intr, limit = nil, time.After(cleanupLimit)
		case <-limit:
			r.printf("elbconform: Ginkgo did not finish its cleanup within %s; killing its processes (the next container run removes a container left behind)\n", cleanupLimit)
			procid.KillGroup(c.pid(), syscall.SIGKILL)
			limit = nil
		}
	}
	// The CLI has exited; processes it started must not outlive it.
	deadline := time.Now().Add(lingerLimit)
	for procid.GroupAlive(c.pid()) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if procid.GroupAlive(c.pid()) {
		r.printf("elbconform: processes of the Ginkgo run outlived it by %s; killing them\n", lingerLimit)
		procid.KillGroup(c.pid(), syscall.SIGKILL)
	}
	select {
	case <-copied:
	case <-time.After(5 * time.Second):
	}
	pr.Close()
	r.enter("after the suite had ended", nil, false)
	return exitCode(c.err)
}

// copySuiteOutput copies Ginkgo's output to the terminal and run.log as it
// comes (progress dots have no newline), and follows the phase from it: the
// suite compiles until its banner, then runs.
func (r *runner) copySuiteOutput(pr io.Reader) {
	const banner = "Running Suite:"
	buf := make([]byte, 32<<10)
	var tail []byte // the end of the previous chunk, for a banner split between two
	ran := false
	for {
		n, err := pr.Read(buf)
		if n > 0 {
			_, _ = r.out.Write(buf[:n])
			if !ran {
				seen := append(tail, buf[:n]...)
				if strings.Contains(string(seen), banner) {
					ran = true
					r.setPhase("while the suite ran")
				}
				tail = append(tail[:0], seen[max(0, len(seen)-len(banner)):]...)
			}
		}
		if err != nil {
			return
		}
	}
}

// setPhase renames the current phase, keeping its child.
func (r *runner) setPhase(phase string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.phase = phase
}

// resolveGinkgo turns `go tool ginkgo` into the path of the tool's binary,
// so that the CLI is the runner's child: `go tool` relays every signal to
// the tool, which would then get the interrupt twice.
func (r *runner) resolveGinkgo(env []string) []string {
	cli := r.ginkgo
	if strings.Join(cli, " ") != "go tool ginkgo" {
		return cli
	}
	cmd := exec.Command("go", "tool", "-n", "ginkgo")
	cmd.Env = env
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	c, err := startChild(cmd)
	if err == nil {
		r.enter("while the Ginkgo CLI was built", c, true)
		<-c.done
		err = c.err
		r.enter("as the run started", nil, true)
	}
	path := strings.TrimSpace(out.String())
	if err != nil || !isExecutable(path) {
		if r.interrupt() == nil {
			r.printf("elbconform: go tool -n ginkgo failed (%v%s); running go tool ginkgo\n", err, strings.TrimSpace(" "+errb.String()))
		}
		return cli
	}
	return []string{path}
}

// cleanAfterSuite removes compiled suites the Ginkgo CLI left (it removes
// them itself unless it was killed).
func (r *runner) cleanAfterSuite() {
	for _, f := range r.suiteBinaries() {
		if st, err := os.Stat(f); err == nil && !st.ModTime().Before(r.started.Add(-time.Second)) && !claimedByLiveRun(os.TempDir(), f, r.tmp) {
			_ = os.Remove(f)
		}
	}
}

// reports writes conformance.{yaml,html,md} and returns the gate's status.
// An interrupt that came before or while they are written is recorded in
// report.json first, and the reports are written again if need be.
func (r *runner) reports(suiteExit int) int {
	jsonPath := filepath.Join(r.dir, JSONFile)
	for attempt := 0; ; attempt++ {
		marked := r.interrupt()
		if marked != nil {
			if err := markInterrupted(jsonPath, r.interruptReason(), r.started); err != nil {
				r.printf("elbconform: recording the interrupt in %s: %v\n", jsonPath, err)
			}
		}
		code := r.runReport(suiteExit)
		if r.interrupt() == marked || attempt > 0 {
			return code
		}
		// Interrupted while the reports were written: write them again.
	}
}

func (r *runner) runReport(suiteExit int) int {
	r.enter("while the reports were written", nil, false)
	fmt.Fprintln(r.stdout, "elbconform: writing the reports")
	args := []string{"-json", filepath.Join(r.dir, JSONFile), "-catalogue", r.catalogue, "-out", r.dir, "-suite-exit", fmt.Sprint(suiteExit)}
	return r.reportTool("while the reports were written", args...)
}

// certify packs the bundle and verifies it (make certify).
func (r *runner) certify() int {
	if c := r.reportTool("while the certification bundle was packed", "bundle", "-dir", r.dir, "-catalogue", r.catalogue,
		"-log", filepath.Join(r.dir, LogFile), "-json", filepath.Join(r.dir, JSONFile), "-o", r.bundle); c != 0 {
		return c
	}
	return r.reportTool("while the certification bundle was verified", "verify", r.bundle)
}

// reportTool runs the report command: -report when given (cmd/elbconform
// runs itself), else cmd/conformance-report, the binary beside the runner's
// when there is one (make builds both into bin/), else through go run. It
// runs in a process group of its own, so that an interrupt does not cut a
// report short; the runner rewrites the reports after it instead.
func (r *runner) reportTool(phase string, args ...string) int {
	name := r.report
	if len(name) == 0 {
		name = []string{"go", "run", "./cmd/conformance-report"}
		if exe, err := os.Executable(); err == nil {
			if p := filepath.Join(filepath.Dir(exe), "conformance-report"); isExecutable(p) {
				name = []string{p}
			}
		}
	}
	cmd := exec.Command(name[0], append(name[1:], args...)...)
	cmd.Stdout, cmd.Stderr = r.stdout, r.stderr
	cmd.Env = append(os.Environ(), "GOTMPDIR="+filepath.Join(r.tmp, "tmp"))
	c, err := startChild(cmd)
	if err != nil {
		fmt.Fprintf(r.stderr, "elbconform: cannot run %s: %v\n", strings.Join(name, " "), err)
		return 2
	}
	r.enter(phase, c, false)
	<-c.done
	r.enter("after the reports were written", nil, false)
	return exitCode(c.err)
}

// enter records what the run does now and which child (if any) an
// interrupt is relayed to. It reports false if the run was interrupted
// before, in which case a relayed child is interrupted at once.
func (r *runner) enter(phase string, c *child, relay bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.phase, r.child, r.relay = phase, c, relay
	if r.sig != nil && c != nil && relay {
		procid.KillGroup(c.pid(), syscall.SIGINT)
	}
	return r.sig == nil
}

// signals handles the runner's signals: the first interrupts the run, the
// second says what is going on, the third abandons the cleanup.
func (r *runner) signals(sigc <-chan os.Signal) {
	var last os.Signal
	var lastAt time.Time
	for sig := range sigc {
		// make relays the SIGTERM it gets to its children, so a SIGTERM
		// sent to the process group reaches the runner twice at once.
		if sig == last && time.Since(lastAt) < duplicateWindow {
			continue
		}
		last, lastAt = sig, time.Now()
		r.mu.Lock()
		r.nsig++
		n, c, relay, phase := r.nsig, r.child, r.relay, r.phase
		if n == 1 {
			r.sig, r.sigAt = sig, phase
			close(r.intr)
		}
		r.mu.Unlock()
		switch {
		case n == 1:
			what := "the reports are written after it, marked INCOMPLETE"
			if relay && c != nil {
				what = "Ginkgo stops the specs and runs the suite's cleanup, then the reports are written, marked INCOMPLETE"
				procid.KillGroup(c.pid(), syscall.SIGINT)
			}
			r.printf("\nelbconform: %s %s: interrupting the run: %s. A third signal abandons the cleanup.\n", sigName(sig), phase, what)
		case n == 2:
			r.printf("\nelbconform: %s: the run is still being stopped; a third signal abandons the cleanup (the next container run removes a container left behind).\n", sigName(sig))
		default:
			r.printf("\nelbconform: %s: abandoning the cleanup.\n", sigName(sig))
			if c != nil {
				procid.KillGroup(c.pid(), syscall.SIGKILL)
			}
		}
	}
}

// interruptReason is what report.json records for an interrupt the suite
// did not see.
func (r *runner) interruptReason() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprintf("%s (%s %s)", InterruptedReason, sigName(r.sig), r.sigAt)
}

func (r *runner) interrupt() os.Signal {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sig
}

func (r *runner) printf(format string, args ...any) {
	if r.out == nil {
		fmt.Fprintf(r.stderr, format, args...)
		return
	}
	fmt.Fprintf(r.out, format, args...)
}

// markInterrupted records reason among the special failure reasons of the
// Ginkgo report at path, unless Ginkgo recorded an interrupt itself; with
// no report (the suite never ran), it writes one that holds only the reason.
func markInterrupted(path, reason string, started time.Time) error {
	var runs []types.Report
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	default:
		if err := json.Unmarshal(raw, &runs); err != nil {
			return fmt.Errorf("%s is not a Ginkgo JSON report: %w", path, err)
		}
	}
	// Ginkgo's own record of the interrupt gets the signal and the phase.
	for i := range runs {
		for j, s := range runs[i].SpecialSuiteFailureReasons {
			switch {
			case s == InterruptedReason:
				runs[i].SpecialSuiteFailureReasons[j] = reason
				return writeReport(path, runs)
			case strings.HasPrefix(s, InterruptedReason):
				return nil
			}
		}
	}
	if len(runs) == 0 {
		now := time.Now()
		runs = []types.Report{{SuiteDescription: "ELB Classic conformance", StartTime: started, EndTime: now, RunTime: now.Sub(started)}}
	}
	last := &runs[len(runs)-1]
	last.SuiteSucceeded = false
	// First: the interrupt explains the rest (a compilation it cut short).
	last.SpecialSuiteFailureReasons = append([]string{reason}, last.SpecialSuiteFailureReasons...)
	return writeReport(path, runs)
}

func writeReport(path string, runs []types.Report) error {
	out, err := json.MarshalIndent(runs, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// removeStaleReports removes what an earlier run wrote in dir, so that an
// interrupted run never leaves an earlier verdict beside its own log.
func removeStaleReports(dir, bundle string) error {
	names := []string{JUnitFile, JSONFile, JSONFile + ".tmp"}
	matches, _ := filepath.Glob(filepath.Join(dir, reportGlob))
	for _, m := range matches {
		names = append(names, filepath.Base(m))
	}
	var errs []error
	for _, n := range names {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if bundle != "" {
		if err := os.Remove(bundle); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("removing the previous run's reports: %w", err)
	}
	return nil
}

// child is a started process in a process group of its own. It is started
// and waited for on one locked OS thread: the kernel's parent-death signal
// (procid.GroupAttr) follows the thread that started the child, which must
// therefore live as long as the child.
type child struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func startChild(cmd *exec.Cmd) (*child, error) {
	cmd.SysProcAttr = procid.GroupAttr(syscall.SIGKILL)
	c := &child{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		c.err = cmd.Wait()
		close(c.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return c, nil
}

func (c *child) pid() int { return c.cmd.Process.Pid }

func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	return 1
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

func sigName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	case nil:
		return "no signal"
	}
	return sig.String()
}

// tee writes to the terminal and run.log; a terminal that went away
// (EPIPE) is dropped, the log keeps everything.
type tee struct {
	mu      sync.Mutex
	term    io.Writer
	log     *os.File
	termErr bool
}

func (t *tee) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.termErr {
		if _, err := t.term.Write(p); err != nil {
			t.termErr = true
		}
	}
	return t.log.Write(p)
}

func (t *tee) Close() error { return t.log.Close() }
