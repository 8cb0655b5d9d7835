// Package reportcmd is the report command: cmd/conformance-report, and the
// report, certify and verify steps of cmd/elbconform. It turns the conformance suite's Ginkgo JSON report
// into conformance.yaml, conformance.html and conformance.md, and acts as the
// gate: it exits non-zero unless the run is conformant.
//
//	conformance-report [-json FILE] [-catalogue FILE] [-deviations FILE] [-out DIR] [-product NAME] [-product-version V]
//	conformance-report bundle -dir REPORTDIR -catalogue FILE -log RUNLOG [-json FILE] [-deviations FILE] -o certification.tar.gz
//	conformance-report verify certification.tar.gz
//
// Exit status: 0 conformant (or bundle written, or bundle intact), 1 not
// conformant, incomplete, or bundle altered, 2 bad usage or unreadable input.
package reportcmd

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/harness/catalogue"
	"github.com/elbconform/elbconform/harness/config"
	"github.com/elbconform/elbconform/reports"
)

// Exit statuses. The gate and input errors differ so CI can tell "the
// target failed" from "the pipeline is broken".
const (
	exitOK    = 0
	exitGate  = 1
	exitUsage = 2
)

// Program names the command in its messages: the name errors start with and
// the command line that verifies a bundle.
type Program struct {
	Name   string // "conformance-report"
	Verify string // "conformance-report verify"
}

// ConformanceReport is cmd/conformance-report.
var ConformanceReport = Program{Name: "conformance-report", Verify: "conformance-report verify"}

// prog is the Program of the running command.
var prog = ConformanceReport

// Main runs the command with its arguments (without the program name) and
// returns its exit status.
func Main(p Program, args []string, stdout, stderr io.Writer) int {
	prog = p
	if len(args) > 0 {
		switch args[0] {
		case "bundle":
			return bundle(args[1:], stdout, stderr)
		case "verify":
			return verify(args[1:], stdout, stderr)
		}
	}
	return generate(args, stdout, stderr)
}

// newFlags makes a flag set that reports errors instead of exiting, so run
// stays testable.
func newFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFailed is the exit status after a flag error: asking for help is
// not one.
func parseFailed(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

func fail(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, prog.Name+":", reports.StripTerminal(err.Error()))
	return exitUsage
}

func generate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("conformance-report", "conformance-report [flags]\n       conformance-report bundle -h\n       conformance-report verify BUNDLE", stderr)
	jsonPath := fs.String("json", "reports/report.json", "Ginkgo JSON report of the run (ginkgo --json-report)")
	catPath := fs.String("catalogue", "suites/elb/behaviours.yaml", "behaviour catalogue")
	devPath := fs.String("deviations", "", "deviations file of the target profile (optional)")
	out := fs.String("out", "reports", "directory to write conformance.{yaml,html,md} into")
	product := fs.String("product", "", "product name (overrides the one the suite recorded)")
	productVersion := fs.String("product-version", "", "product version (overrides the one the suite recorded)")
	suiteExit := fs.Int("suite-exit", 0, "exit status of the suite run (make conformance passes it): a failing run with no failed spec must not pass the gate")
	if err := fs.Parse(args); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fail(stderr, fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}

	runs, err := reports.LoadGinkgoReport(*jsonPath)
	if err != nil {
		return fail(stderr, err)
	}
	cat, err := catalogue.Load(*catPath)
	if err != nil {
		return fail(stderr, fmt.Errorf("%w (set -catalogue to the behaviour catalogue, e.g. suites/elb/behaviours.yaml)", err))
	}
	opts := reports.Options{
		Catalogue:      cat,
		Product:        *product,
		ProductVersion: *productVersion,
		SuiteVersion:   reports.SuiteVersion(),
	}
	shownDev := *devPath
	if *devPath == "" {
		// Default: the deviations file of the profile the suite ran with,
		// as its profiles file (ginkgo.yml) names it.
		*devPath, shownDev, err = profileDeviations(runs, opts)
		if err != nil {
			return fail(stderr, err)
		}
	}
	if *devPath != "" {
		if opts.Deviations, err = catalogue.LoadDeviations(*devPath, cat); err != nil {
			return fail(stderr, err)
		}
		opts.DeviationsFile = shownDev
	}
	// Locations relative to the working directory (the repository root
	// under make) keep the reports free of this machine's paths.
	if wd, err := os.Getwd(); err == nil {
		opts.BaseDir = wd
		if rel, err := filepath.Rel(wd, opts.DeviationsFile); err == nil && filepath.IsAbs(opts.DeviationsFile) && !strings.HasPrefix(rel, "..") {
			opts.DeviationsFile = filepath.ToSlash(rel)
		}
	}

	r, err := reports.Build(runs, opts)
	if err != nil {
		return fail(stderr, err)
	}
	paths, err := reports.Write(*out, r)
	if err != nil {
		return fail(stderr, err)
	}
	// The verdict line quotes failure messages, which a coloured run fills
	// with terminal escapes: it is printed as plain text, like the reports.
	fmt.Fprintln(stdout, reports.StripTerminal(reports.Summary(r, paths)))
	if !r.Gate {
		return exitGate
	}
	if *suiteExit != 0 && r.Totals.Specs.Failed == 0 {
		// Ginkgo failed the run although no spec failed: a Go test beside
		// the spec tree (the catalogue coverage test) or the run itself broke.
		fmt.Fprintf(stderr, prog.Name+": the suite exited with status %d although no spec failed; see the run log for the failing test\n", *suiteExit)
		return exitGate
	}
	return exitOK
}

// profileDeviations finds the deviations file of the profile recorded in the
// run's target entry, or "" when the profile lists none. It returns the path
// to read and the path to show: as the profiles file names it, relative to
// that file's folder, which is the same on every machine.
func profileDeviations(runs []types.Report, opts reports.Options) (path, shown string, err error) {
	r, err := reports.Build(runs, opts)
	if err != nil || r.Target.Profile == "" {
		return "", "", nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", "", err
	}
	p, root, err := config.Named(wd, os.LookupEnv, r.Target.Profile)
	if err != nil || p.Deviations == "" {
		return "", "", nil
	}
	return filepath.Join(root, p.Deviations), filepath.ToSlash(p.Deviations), nil
}

// runDeviations is the deviations file a run's reports were made with, by
// the same default as the reports: "" when the profile lists none.
func runDeviations(jsonPath, catPath string) string {
	runs, err := reports.LoadGinkgoReport(jsonPath)
	if err != nil {
		return ""
	}
	cat, err := catalogue.Load(catPath)
	if err != nil {
		return ""
	}
	path, _, _ := profileDeviations(runs, reports.Options{Catalogue: cat, SuiteVersion: "-"})
	return path
}

func bundle(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bundle", "conformance-report bundle -dir REPORTDIR -catalogue FILE -log RUNLOG -o certification.tar.gz", stderr)
	dir := fs.String("dir", "reports", "directory holding conformance.{yaml,html,md}")
	catPath := fs.String("catalogue", "suites/elb/behaviours.yaml", "behaviour catalogue the reports were made with")
	logPath := fs.String("log", "", "log of the suite run (required)")
	jsonPath := fs.String("json", "", "Ginkgo JSON report to include, so the reports can be regenerated (optional)")
	devPath := fs.String("deviations", "", "deviations file the reports were made with (optional)")
	out := fs.String("o", "certification.tar.gz", "archive to write")
	if err := fs.Parse(args); err != nil {
		return parseFailed(err)
	}
	if *logPath == "" {
		fs.Usage()
		return fail(stderr, errors.New("bundle: -log is required: a certification bundle carries the run log"))
	}
	if *devPath == "" && *jsonPath != "" {
		*devPath = runDeviations(*jsonPath, *catPath)
	}
	var files []reports.BundleFile
	for _, name := range []string{reports.YAMLFile, reports.JSONFile, reports.HTMLFile, reports.MarkdownFile} {
		src := filepath.Join(*dir, name)
		if _, err := os.Stat(src); err != nil {
			return fail(stderr, fmt.Errorf("bundle: no %s in %s: run %s first", name, *dir, prog.Name))
		}
		files = append(files, reports.BundleFile{Name: name, Source: src})
	}
	files = append(files,
		reports.BundleFile{Name: "catalogue/" + filepath.Base(*catPath), Source: *catPath},
		reports.BundleFile{Name: "logs/" + filepath.Base(*logPath), Source: *logPath})
	if *jsonPath != "" {
		files = append(files, reports.BundleFile{Name: "ginkgo/" + filepath.Base(*jsonPath), Source: *jsonPath})
	}
	if *devPath != "" {
		files = append(files, reports.BundleFile{Name: "deviations/" + filepath.Base(*devPath), Source: *devPath})
	}
	if err := reports.WriteBundle(*out, files); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "Wrote %s: %d files and %s. Check it with `%s %s`, or unpack it and run `sha256sum -c %s` in %s/.\n",
		*out, len(files), reports.ManifestFile, prog.Verify, *out, reports.ManifestFile, reports.BundleDir)
	return exitOK
}

func verify(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("verify", "conformance-report verify certification.tar.gz", stderr)
	if err := fs.Parse(args); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fail(stderr, errors.New("verify: give exactly one bundle"))
	}
	checked, err := reports.VerifyBundle(fs.Arg(0))
	var altered *reports.VerifyError
	if errors.As(err, &altered) {
		fmt.Fprintln(stderr, prog.Name+":", err)
		return exitGate
	}
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "%s: all %d files match %s.\n", fs.Arg(0), len(checked), reports.ManifestFile)
	return exitOK
}
