package selftest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/emulator"
	"github.com/elbconform/elbconform/harness/catalogue"
)

// Paths inside the repository.
const (
	SuiteDir      = "suites/elb"
	CatalogueFile = "suites/elb/behaviours.yaml"
	ConfigFile    = "ginkgo.yml"
	// RunsDir is the folder under the output folder that keeps each run's
	// report.json and run.log, one sub-folder per mode.
	RunsDir = "selftest-runs"
)

// Options configures a self-test.
type Options struct {
	// Root is the repository root (where go.mod and ginkgo.yml are).
	Root string
	// Out is the report folder: selftest.md, selftest.yaml, selftest-runs/.
	Out string
	// Only restricts the runs to these fault modes and variants (the
	// baseline always runs). Empty means all.
	Only []string
	// Parallel is how many runs go at once, each with its own emulator.
	Parallel int
	// Procs is the Ginkgo process count of each run; 0 means `ginkgo -p`.
	Procs int
	// Timeout bounds each run.
	Timeout time.Duration
	// Profile is the ginkgo.yml profile the suite runs with.
	Profile string
	// Emulator clocks (HealthCheckScale multiplies health-check intervals).
	RegistrationDelay, InstanceStartDelay time.Duration
	HealthCheckScale                      float64
	// Keep keeps each run's report.json and run.log under Out/selftest-runs.
	Keep bool
	// Progress receives a line as each run starts building and finishes.
	Progress io.Writer
}

// Defaults are the flag defaults of cmd/selftest.
var Defaults = Options{
	Out:                "reports",
	Parallel:           2,
	Timeout:            3 * time.Minute,
	Profile:            "selftest",
	RegistrationDelay:  300 * time.Millisecond,
	InstanceStartDelay: 100 * time.Millisecond,
	HealthCheckScale:   0.02,
	Keep:               true,
}

// Plan lists the runs: the baseline, then every fault mode, then every
// variant, restricted to only when it is not empty. An unknown name in only
// is an error that lists the known ones.
func Plan(faults, variants []emulator.Mode, only []string) ([]Mode, error) {
	plan := []Mode{{Kind: Baseline, Name: BaselineName, Description: "The reference emulator with no fault and no variant: every spec must pass."}}
	want := map[string]bool{}
	for _, n := range only {
		if n = strings.TrimSpace(n); n != "" && n != BaselineName {
			want[n] = true
		}
	}
	all := len(want) == 0
	var known []string
	add := func(kind Kind, modes []emulator.Mode) {
		for _, m := range modes {
			known = append(known, m.Name)
			if all || want[m.Name] {
				plan = append(plan, Mode{Kind: kind, Name: m.Name, Description: m.Description})
				delete(want, m.Name)
			}
		}
	}
	add(Fault, faults)
	add(Variant, variants)
	if len(want) > 0 {
		return nil, fmt.Errorf("unknown fault mode or variant %s (known: %s)", strings.Join(sortedKeys(want), ", "), strings.Join(known, ", "))
	}
	return plan, nil
}

// startOrder is the order the plan's runs start in: the baseline, then the variants, then the
// faults. Variants delay answers (latency, throttle-first, the lag variants) and their runs
// take several times a fault's, so they start first rather than finishing alone at the end.
// The outcomes keep the plan's order.
func startOrder(plan []Mode) []int {
	order := make([]int, 0, len(plan))
	for _, kind := range []Kind{Baseline, Variant, Fault} {
		for i, m := range plan {
			if m.Kind == kind {
				order = append(order, i)
			}
		}
	}
	return order
}

// Run builds the suite once, runs it against an emulator per planned mode
// and judges every run. It returns an error only when the self-test itself
// could not run (no repository, the suite does not compile, ...); the
// suite's own shortcomings are in the Summary.
func Run(ctx context.Context, o Options) (*Summary, error) {
	start := time.Now()
	if o.Parallel < 1 {
		o.Parallel = 1
	}
	if o.Timeout <= 0 {
		o.Timeout = Defaults.Timeout
	}
	if o.Profile == "" {
		o.Profile = Defaults.Profile
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	root, err := filepath.Abs(o.Root)
	if err != nil {
		return nil, err
	}
	o.Root = root
	for _, f := range []string{"go.mod", ConfigFile, CatalogueFile} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			return nil, fmt.Errorf("%s is not the elbconform repository: %w", root, err)
		}
	}
	cat, err := catalogue.Load(filepath.Join(root, CatalogueFile))
	if err != nil {
		return nil, err
	}
	plan, err := Plan(emulator.FaultModes(), emulator.Variants(), o.Only)
	if err != nil {
		return nil, err
	}
	if o.Out, err = filepath.Abs(o.Out); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, err
	}

	tmp, err := os.MkdirTemp("", "elbconform-selftest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	fmt.Fprintf(o.Progress, "selftest: compiling the suite and the ginkgo CLI (%d runs to do, %d at a time)\n", len(plan), o.Parallel)
	bin, err := build(ctx, root, tmp)
	if err != nil {
		return nil, err
	}

	runsDir := filepath.Join(o.Out, RunsDir)
	if err := os.RemoveAll(runsDir); err != nil {
		return nil, err
	}

	outcomes := make([]Outcome, len(plan))
	sem := make(chan struct{}, o.Parallel)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for _, i := range startOrder(plan) {
		m := plan[i]
		sem <- struct{}{}
		if ctx.Err() != nil {
			break // interrupted: start nothing new
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			r := runOne(ctx, o, bin, tmp, m)
			oc := Judge(m, r)
			if o.Keep {
				oc.ReportDir = keep(runsDir, tmp, m.Name)
			}
			outcomes[i] = oc
			mu.Lock()
			done++
			fmt.Fprintf(o.Progress, "selftest: [%d/%d] %s\n", done, len(plan), progressLine(oc))
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("selftest interrupted: %w", err)
	}

	settings := Settings{
		Profile: o.Profile, Parallel: o.Parallel, GinkgoProcs: "-p (ginkgo's default)",
		RunTimeout: o.Timeout.String(), RegistrationDelay: o.RegistrationDelay.String(), InstanceStartDelay: o.InstanceStartDelay.String(), HealthCheckScale: o.HealthCheckScale,
		Only: o.Only,
	}
	if o.Procs > 0 {
		settings.GinkgoProcs = strconv.Itoa(o.Procs)
	}
	return Summarise(cat, outcomes, settings, time.Since(start)), nil
}

// binaries are what build produced.
type binaries struct {
	ginkgo, suite string
}

// build compiles the suite's test binary and the pinned ginkgo CLI once.
func build(ctx context.Context, root, tmp string) (binaries, error) {
	b := binaries{ginkgo: filepath.Join(tmp, "ginkgo"), suite: filepath.Join(tmp, "elb.test")}
	for _, args := range [][]string{
		{"build", "-o", b.ginkgo, "github.com/onsi/ginkgo/v2/ginkgo"},
		{"test", "-c", "-o", b.suite, "./" + SuiteDir},
	} {
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return b, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
		}
	}
	return b, nil
}

// workDir is where a run's ginkgo runs: the ginkgo CLI runs a precompiled
// suite in the binary's folder, and the suite reads behaviours.yaml from its
// working folder and ginkgo.yml from there or above, so each run gets a
// folder with links to all three. The report and log are written there too.
func workDir(tmp, name string) string { return filepath.Join(tmp, "runs", name) }

func runOne(ctx context.Context, o Options, bin binaries, tmp string, m Mode) (r RunResult) {
	start := time.Now()
	defer func() { r.Wall = time.Since(start) }()
	r.Timeout = o.Timeout

	dir := workDir(tmp, m.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		r.ReportErr = err
		return r
	}
	for link, target := range map[string]string{
		"elb.test":        bin.suite,
		"behaviours.yaml": filepath.Join(o.Root, CatalogueFile),
		ConfigFile:        filepath.Join(o.Root, ConfigFile),
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			r.ReportErr = err
			return r
		}
	}

	opts := emulator.Options{Region: "us-east-1", RegistrationDelay: o.RegistrationDelay, InstanceStartDelay: o.InstanceStartDelay, HealthCheckScale: o.HealthCheckScale}
	switch m.Kind {
	case Fault:
		opts.Faults = []string{m.Name}
	case Variant:
		opts.Variants = []string{m.Name}
	}
	srv, err := emulator.Start(opts)
	if err != nil {
		r.ReportErr = fmt.Errorf("starting the emulator: %w", err)
		return r
	}
	defer srv.Close()

	// Ginkgo's own --timeout interrupts the specs and still writes the
	// report; the context is the backstop should ginkgo itself hang.
	runCtx, cancel := context.WithTimeout(ctx, o.Timeout+time.Minute)
	defer cancel()
	args := []string{"--no-color", "--json-report=report.json", "--timeout=" + o.Timeout.String()}
	if o.Procs > 0 {
		args = append(args, "--procs="+strconv.Itoa(o.Procs))
	} else {
		args = append(args, "-p")
	}
	// Only the specs: the package's other tests (the catalogue coverage test's dry run)
	// would run in every process of every run.
	cmd := exec.CommandContext(runCtx, bin.ginkgo, append(args, "./elb.test", "--", "-test.run=^TestConformance$")...)
	cmd.Dir = dir
	cmd.Env = runEnv(os.Environ(), srv.URL(), o.Profile)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) }
	cmd.WaitDelay = 30 * time.Second
	log, err := os.Create(filepath.Join(dir, "run.log"))
	if err != nil {
		r.ReportErr = err
		return r
	}
	defer log.Close()
	var tail tailBuffer
	cmd.Stdout = io.MultiWriter(log, &tail)
	cmd.Stderr = cmd.Stdout
	r.ExitErr = cmd.Run()
	if errors.Is(runCtx.Err(), context.DeadlineExceeded) {
		r.TimedOut = true
	}
	if cmd.Process != nil {
		// Whatever the ginkgo CLI left behind (its suite processes share
		// its process group).
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	r.LogTail = tail.String()
	r.Reports, r.ReportErr = readReport(filepath.Join(dir, "report.json"))
	return r
}

// runEnv is the parent environment without anything that would point the
// suite elsewhere (AWS_* and CONFORMANCE_* variables, a user's profile), plus
// the emulator's endpoint and throw-away credentials.
func runEnv(parent []string, url, profile string) []string {
	env := slices.DeleteFunc(slices.Clone(parent), func(kv string) bool {
		return strings.HasPrefix(kv, "AWS_") || strings.HasPrefix(kv, "CONFORMANCE_") || strings.HasPrefix(kv, "GINKGO_")
	})
	return append(env,
		"AWS_ENDPOINT_URL="+url,
		"CONFORMANCE_PROFILE="+profile,
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true",
	)
}

func readReport(path string) ([]types.Report, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var reps []types.Report
	if err := json.Unmarshal(raw, &reps); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if reps == nil {
		reps = []types.Report{}
	}
	return reps, nil
}

// keep copies a run's report.json and run.log to runsDir/<name> and returns
// that folder ("" when nothing could be kept).
func keep(runsDir, tmp, name string) string {
	dst := filepath.Join(runsDir, name)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return ""
	}
	kept := false
	for _, f := range []string{"report.json", "run.log"} {
		raw, err := os.ReadFile(filepath.Join(workDir(tmp, name), f))
		if err != nil {
			continue
		}
		if os.WriteFile(filepath.Join(dst, f), raw, 0o644) == nil {
			kept = true
		}
	}
	if !kept {
		return ""
	}
	return dst
}

func progressLine(o Outcome) string {
	s := fmt.Sprintf("%-8s %-38s %-12s %6s", o.Kind, o.Name, o.Verdict, o.WallStr)
	switch {
	case o.Error != "":
		s += "  " + firstLine(o.Error)
	case len(o.Behaviours) > 0:
		s += "  " + strings.Join(o.Behaviours, ", ")
	}
	return s
}

// tailBuffer keeps the last few KiB written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

const tailSize = 2048

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if t.buf.Len() > 4*tailSize {
		b := slices.Clone(t.buf.Bytes()[t.buf.Len()-tailSize:])
		t.buf.Reset()
		t.buf.Write(b)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buf.Bytes()
	if len(b) > 600 {
		b = b[len(b)-600:]
	}
	return strings.Join(strings.Fields(string(b)), " ")
}

// FindRoot walks up from dir to the folder that holds go.mod and ginkgo.yml.
func FindRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		_, e1 := os.Stat(filepath.Join(d, "go.mod"))
		_, e2 := os.Stat(filepath.Join(d, ConfigFile))
		if e1 == nil && e2 == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod with %s in %s or above: run from the elbconform repository, or pass -root", ConfigFile, dir)
		}
		d = parent
	}
}
