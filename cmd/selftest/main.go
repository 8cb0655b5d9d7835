// Command selftest checks the conformance suite itself: it compiles the suite
// once, runs it against the reference emulator as it is (the baseline), with
// each fault mode (at least one spec must fail) and with each benign variant
// (every spec must pass), and writes selftest.md and selftest.yaml with the
// verdicts and a coverage view by behaviour.
//
//	go run ./cmd/selftest [-only a,b] [-parallel 2] [-out reports] [-timeout 3m]
//
// Exit status: 0 when the baseline passed, every fault was killed, every
// variant held and no run errored; 1 otherwise; 2 when the self-test could
// not run at all.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/elbconform/elbconform/emulator"
	"github.com/elbconform/elbconform/selftest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	d := selftest.Defaults
	fs := flag.NewFlagSet("selftest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		only     = fs.String("only", "", "comma-separated fault modes and variants to run (the baseline always runs); default all (see -list)")
		parallel = fs.Int("parallel", d.Parallel, "runs at a time, each with its own emulator")
		procs    = fs.Int("procs", 0, "Ginkgo processes per run (0 = ginkgo -p)")
		out      = fs.String("out", d.Out, "report folder for selftest.md, selftest.yaml and "+selftest.RunsDir+"/")
		keep     = fs.Bool("keep", d.Keep, "keep each run's report.json and run.log in <out>/"+selftest.RunsDir+"/<mode>/")
		timeout  = fs.Duration("timeout", d.Timeout, "time limit of each run")
		regDelay = fs.Duration("registration-delay", d.RegistrationDelay, "emulator: time a registered instance stays OutOfService")
		start    = fs.Duration("instance-start-delay", d.InstanceStartDelay, "emulator: EC2 pending->running time")
		hcScale  = fs.Float64("health-check-scale", d.HealthCheckScale, "emulator: multiplier of health-check intervals and timeouts")
		profile  = fs.String("profile", d.Profile, "ginkgo.yml profile the suite runs with")
		root     = fs.String("root", "", "repository root (default: found from the working directory)")
		list     = fs.Bool("list", false, "list the fault modes and variants and exit")
	)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "selftest: unexpected arguments: %v\n", fs.Args())
		return 2
	}
	if *list {
		for _, m := range emulator.FaultModes() {
			fmt.Fprintf(stdout, "fault    %-38s %s\n", m.Name, m.Description)
		}
		for _, m := range emulator.Variants() {
			fmt.Fprintf(stdout, "variant  %-38s %s\n", m.Name, m.Description)
		}
		return 0
	}
	if *root == "" {
		wd, err := os.Getwd()
		if err == nil {
			wd, err = selftest.FindRoot(wd)
		}
		r := wd
		if err != nil {
			fmt.Fprintf(stderr, "selftest: %v\n", err)
			return 2
		}
		*root = r
	}
	var names []string
	for _, n := range strings.Split(*only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}

	s, err := selftest.Run(ctx, selftest.Options{
		Root: *root, Out: *out, Only: names, Parallel: *parallel, Procs: *procs, Timeout: *timeout,
		Profile: *profile, RegistrationDelay: *regDelay, InstanceStartDelay: *start, HealthCheckScale: *hcScale, Keep: *keep,
		Progress: stderr,
	})
	if err != nil {
		fmt.Fprintf(stderr, "selftest: %v\n", err)
		return 2
	}
	if err := selftest.Write(*out, s); err != nil {
		fmt.Fprintf(stderr, "selftest: writing the reports: %v\n", err)
		return 2
	}
	fmt.Fprintln(stdout)
	selftest.Table(stdout, s)
	fmt.Fprintf(stdout, "Reports: %s, %s\n", filepath.Join(*out, selftest.MarkdownFile), filepath.Join(*out, selftest.YAMLFile))
	if !s.OK {
		return 1
	}
	return 0
}
