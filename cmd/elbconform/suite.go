package main

import (
	"flag"
	"testing"

	"github.com/onsi/ginkgo/v2/ginkgo/command"
	ginkgorun "github.com/onsi/ginkgo/v2/ginkgo/run"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/suites/elb"
)

// suiteLinkSuffix ends the name Ginkgo starts suite processes by: the Ginkgo
// CLI runs precompiled suites only from files named *.test.
const suiteLinkSuffix = ".test"

// ginkgoCommand is the hidden command that is the Ginkgo CLI (its run
// command), which the runner starts as `elbconform ginkgo FLAGS… LINK`.
const ginkgoCommand = "ginkgo"

// runSuiteProcess is one suite process, started by the Ginkgo CLI with the
// flags a compiled `go test` suite takes (-test.*, -ginkgo.*): Ginkgo binds
// its flags to the command line when it loads, and testing.Init adds the
// testing flags the CLI passes, so the process reads them as a test binary
// does and then runs the specs as TestConformance does under go test.
func runSuiteProcess() int {
	testing.Init()
	flag.Parse()
	t := &suiteT{}
	if !elb.Run(t) || t.failed {
		return 1
	}
	return 0
}

// suiteT stands in for the *testing.T of go test: Ginkgo only marks it failed.
type suiteT struct{ failed bool }

func (t *suiteT) Fail() { t.failed = true }

// runGinkgo is the Ginkgo CLI's run command, the one the suite runs with.
func runGinkgo(args []string) int {
	code := 0
	program := command.Program{
		Name:           "elbconform ginkgo",
		Heading:        "Ginkgo " + types.VERSION + " (in elbconform)",
		DefaultCommand: ginkgorun.BuildRunCommand(),
		Exiter:         func(c int) { code = c },
	}
	program.RunAndExit(append([]string{"ginkgo"}, args...))
	return code
}
