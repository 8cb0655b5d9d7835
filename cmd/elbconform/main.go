// Command elbconform is the conformance suite as one binary: the compiled
// Ginkgo suite with its catalogue, default profiles and their deviations
// embedded, the Ginkgo CLI that runs it in parallel, and the report tool. It
// needs no checkout, no Go and no Ginkgo on the machine:
//
//	elbconform run     [--endpoint URL] [--profile NAME|FILE] [--report-dir DIR] [-- GINKGO-FLAGS]
//	elbconform certify [--endpoint URL] [--profile NAME|FILE] [--report-dir DIR] [--bundle FILE] [-- GINKGO-FLAGS]
//	elbconform report  [--report-dir DIR] [REPORT-FLAGS]
//	elbconform verify  BUNDLE
//	elbconform profiles [--yaml]
//	elbconform version
//
// The exit status is the gate's: 0 conformant (or the bundle intact), 1 not,
// 2 unusable input; an interrupted run exits 128 plus the signal's number.
//
// How it runs itself: `run` writes the embedded files into a folder of its
// own (the layout of a checkout: ginkgo.yml, suites/elb/behaviours.yaml,
// suites/elb/deviations/) with a link named elbconform.test to this binary,
// and runs the runner of `make conformance` (internal/run) with `elbconform
// ginkgo` as the Ginkgo CLI on that link. Ginkgo starts each parallel suite
// process through the link; a binary started under a name ending in .test is
// a suite process (suite.go).
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/elbconform/elbconform/internal/reportcmd"
)

func main() {
	if isSuiteProcess(os.Args[0]) {
		os.Exit(runSuiteProcess())
	}
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: elbconform COMMAND [flags]

Commands:
  run       run the suite against a target and write the reports; exit status is the gate
  certify   run, then pack reports, log and catalogue into a verified certification bundle
  report    write the reports again from a run's report.json
  verify    check a certification bundle against its manifest
  profiles  list the built-in target profiles
  version   print the suite's version

Run "elbconform COMMAND -h" for a command's flags. Targets: the embedded
reference emulator (default), any endpoint (--endpoint or AWS_ENDPOINT_URL),
real AWS (--profile aws, with CONFORMANCE_ALLOW_AWS=1).
`

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "run":
		return runCommand("run", args[1:], stdout, stderr)
	case "certify":
		return runCommand("certify", args[1:], stdout, stderr)
	case "report":
		return reportCommand(args[1:], stdout, stderr)
	case "verify":
		return verifyCommand(args[1:], stdout, stderr)
	case "profiles":
		return profilesCommand(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "elbconform", suiteVersion())
		return 0
	case ginkgoCommand:
		return runGinkgo(args[1:])
	case reportToolCommand:
		return reportcmd.Main(program, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "elbconform: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// Exit statuses of usage mistakes (the gate's 0 and 1 come from the runner).
const exitUsage = 2

// isSuiteProcess tells a suite process (started by Ginkgo through the
// elbconform.test link) from a command.
func isSuiteProcess(arg0 string) bool {
	return strings.HasSuffix(filepath.Base(arg0), suiteLinkSuffix)
}
