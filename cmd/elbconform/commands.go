package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/elbconform/elbconform"
	"github.com/elbconform/elbconform/harness/config"
	"github.com/elbconform/elbconform/internal/reportcmd"
	"github.com/elbconform/elbconform/internal/run"
	"github.com/elbconform/elbconform/reports"
)

// reportToolCommand is the hidden command that is cmd/conformance-report,
// which the runner starts to write the reports and pack the bundle.
const reportToolCommand = "report-tool"

// program names this binary in the report tool's messages.
var program = reportcmd.Program{Name: "elbconform", Verify: "elbconform verify"}

// defaultProcs is how many suite processes a run uses: the suite waits on
// eventual state far more than it computes (the Makefile's choice too).
const defaultProcs = 4

// awsProcs is how many a run against real AWS uses unless told: there the suite
// waits on AWS's own clocks (instances starting, health checks) far more still.
// Eight stay within the default quota of 20 load balancers (the run seats its
// specs by the room it measures) and far below ELB's request rates (docs/sources.md
// 24f); under AWS's timings the whole suite took 5 min 41 s with 8, 12 min 23 s
// with 4 (make bench-aws-timings).
const awsProcs = 8

func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("elbconform "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: elbconform %s %s\n\nFlags (-flag and --flag are the same):\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parseFailed(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return exitUsage
}

// runCommand is `elbconform run` and `elbconform certify`.
func runCommand(name string, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet(name, "[flags] [-- GINKGO-FLAGS]", stderr)
	endpoint := fs.String("endpoint", "", "URL of the ELB endpoint to test (sets AWS_ENDPOINT_URL, which picks the endpoint profile); default: the embedded reference emulator")
	profile := fs.String("profile", "", "a built-in profile (elbconform profiles lists them), or a profiles FILE of your own in ginkgo.yml's format, its deviations paths relative to it")
	reportDir := fs.String("report-dir", "reports", "folder for junit.xml, report.json, run.log and conformance.{yaml,json,html,md}")
	procs := fs.Int("procs", defaultProcs, fmt.Sprintf("parallel suite processes (against real AWS, %d unless given)", awsProcs))
	bundle := new(string)
	if name == "certify" {
		bundle = fs.String("bundle", "", "certification bundle to write (default REPORT-DIR/certification.tar.gz)")
	}
	if err := fs.Parse(args); err != nil {
		return parseFailed(err)
	}
	ginkgoArgs := fs.Args()
	if len(ginkgoArgs) > 0 && !strings.HasPrefix(ginkgoArgs[0], "-") {
		fmt.Fprintf(stderr, "elbconform %s: unexpected argument %q (Ginkgo's flags go after --, e.g. -- --label-filter=core)\n", name, ginkgoArgs[0])
		return exitUsage
	}
	if *procs < 1 {
		fmt.Fprintf(stderr, "elbconform %s: --procs %d: want at least 1\n", name, *procs)
		return exitUsage
	}

	h, err := newHome()
	if err != nil {
		fmt.Fprintf(stderr, "elbconform %s: %v\n", name, err)
		return exitUsage
	}
	defer h.remove()
	cfg, err := chooseTarget(h, *endpoint, *profile)
	if err != nil {
		fmt.Fprintf(stderr, "elbconform %s: %v\n", name, err)
		return exitUsage
	}
	if cfg.Target == config.TargetAWS && !flagGiven(fs, "procs") {
		*procs = awsProcs
	}
	link, err := h.link()
	if err != nil {
		fmt.Fprintf(stderr, "elbconform %s: %v\n", name, err)
		return exitUsage
	}
	exe, _ := os.Executable() // link succeeded, so this did
	opts := run.Options{
		Dir:        *reportDir,
		Catalogue:  h.path(homeCatalogue),
		Ginkgo:     []string{exe, ginkgoCommand},
		Report:     []string{exe, reportToolCommand},
		GinkgoArgs: append(append([]string{fmt.Sprintf("--procs=%d", *procs)}, ginkgoArgs...), link),
	}
	if name == "certify" {
		opts.Bundle = *bundle
		if opts.Bundle == "" {
			opts.Bundle = filepath.Join(*reportDir, "certification.tar.gz")
		}
	}
	return run.Run(opts, stdout, stderr)
}

// chooseTarget sets the environment the suite processes read their target
// from, and checks the choice before anything starts, so that a mistake is
// one message and exit status 2 rather than a failed run. It answers the configuration chosen.
func chooseTarget(h *home, endpoint, profile string) (*config.Config, error) {
	if endpoint != "" {
		if err := os.Setenv("AWS_ENDPOINT_URL", endpoint); err != nil {
			return nil, err
		}
	}
	profilesFile := os.Getenv(config.ProfilesFileEnv)
	switch {
	case profile == "":
	case isFile(profile):
		abs, err := filepath.Abs(profile)
		if err != nil {
			return nil, err
		}
		profilesFile = abs
	case strings.ContainsAny(profile, `/\`) || strings.HasSuffix(profile, ".yml") || strings.HasSuffix(profile, ".yaml"):
		return nil, fmt.Errorf("--profile %s: no such file (a profiles file of your own, or a built-in profile name: elbconform profiles lists them)", profile)
	default:
		if err := os.Setenv("CONFORMANCE_PROFILE", profile); err != nil {
			return nil, err
		}
	}
	if profilesFile == "" {
		profilesFile = h.path(homeProfiles)
	}
	if err := os.Setenv(config.ProfilesFileEnv, profilesFile); err != nil {
		return nil, err
	}
	return config.Load(h.dir, os.LookupEnv)
}

// flagGiven reports whether the command line set the flag name.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// reportCommand is `elbconform report`: the reports again from a run's
// report.json, with the embedded catalogue and the run's profile.
func reportCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("report", "[flags]", stderr)
	reportDir := fs.String("report-dir", "reports", "folder of the run: its report.json in, conformance.{yaml,json,html,md} out")
	profile := fs.String("profile", "", "the profiles FILE of your own the run used, if any (for its deviations)")
	product := fs.String("product", "", "product name (overrides the one the suite recorded)")
	productVersion := fs.String("product-version", "", "product version (overrides the one the suite recorded)")
	if err := fs.Parse(args); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "elbconform report: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	h, err := newHome()
	if err != nil {
		fmt.Fprintf(stderr, "elbconform report: %v\n", err)
		return exitUsage
	}
	defer h.remove()
	profilesFile := h.path(homeProfiles)
	if *profile != "" {
		if profilesFile, err = filepath.Abs(*profile); err != nil || !isFile(profilesFile) {
			fmt.Fprintf(stderr, "elbconform report: --profile %s: no such file\n", *profile)
			return exitUsage
		}
	}
	if os.Getenv(config.ProfilesFileEnv) == "" || *profile != "" {
		_ = os.Setenv(config.ProfilesFileEnv, profilesFile)
	}
	toolArgs := []string{"-json", filepath.Join(*reportDir, run.JSONFile), "-catalogue", h.path(homeCatalogue), "-out", *reportDir}
	if *product != "" {
		toolArgs = append(toolArgs, "-product", *product)
	}
	if *productVersion != "" {
		toolArgs = append(toolArgs, "-product-version", *productVersion)
	}
	return reportcmd.Main(program, toolArgs, stdout, stderr)
}

// verifyCommand is `elbconform verify BUNDLE`.
func verifyCommand(args []string, stdout, stderr io.Writer) int {
	return reportcmd.Main(program, append([]string{"verify"}, args...), stdout, stderr)
}

// profilesCommand lists the built-in profiles, or prints their file, a
// start for a profiles file of one's own.
func profilesCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("profiles", "[--yaml]", stderr)
	asYAML := fs.Bool("yaml", false, "print the built-in profiles file (ginkgo.yml), to start a profiles file of your own from")
	if err := fs.Parse(args); err != nil {
		return parseFailed(err)
	}
	if *asYAML {
		_, _ = stdout.Write(elbconform.Profiles)
		return 0
	}
	profiles, err := config.List(elbconform.Profiles)
	if err != nil {
		fmt.Fprintf(stderr, "elbconform profiles: the built-in profiles: %v\n", err)
		return exitUsage
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "PROFILE\tTARGET\tDESCRIPTION")
	for _, p := range profiles {
		fmt.Fprintf(w, "%s\t%s\t%s\n", p.Name, p.Target, p.Description)
	}
	_ = w.Flush()
	fmt.Fprintln(stdout, "\nelbconform run --profile NAME picks one; --profile FILE reads profiles of your own, in the format `elbconform profiles --yaml` prints.")
	return 0
}

func suiteVersion() string { return reports.SuiteVersion() }
