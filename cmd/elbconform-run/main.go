// Command elbconform-run runs the conformance suite and writes its reports:
// it is what `make conformance` (and `make certify`) run. It runs the Ginkgo
// CLI with its output copied to the terminal and run.log, then
// cmd/conformance-report, and exits with the gate's status. An interrupt
// (SIGINT, SIGTERM, SIGHUP) at any phase stops the run cleanly: Ginkgo
// cleans up (the emulator container included) and the reports say
// INCOMPLETE. See internal/run.
//
//	elbconform-run [-out DIR] [-catalogue FILE] [-bundle FILE] [-ginkgo CMD] -- [ginkgo flags] PACKAGES
package main

import (
	"os"

	"github.com/elbconform/elbconform/internal/run"
)

func main() {
	os.Exit(run.Main(os.Args[1:], os.Stdout, os.Stderr))
}
