// Command conformance-report turns the conformance suite's Ginkgo JSON report
// into conformance.{yaml,json,html,md}, packs and verifies certification
// bundles, and acts as the gate: it exits non-zero unless the run is
// conformant. See internal/reportcmd.
//
//	conformance-report [-json FILE] [-catalogue FILE] [-deviations FILE] [-out DIR] [-product NAME] [-product-version V]
//	conformance-report bundle -dir REPORTDIR -catalogue FILE -log RUNLOG [-json FILE] [-deviations FILE] -o certification.tar.gz
//	conformance-report verify certification.tar.gz
package main

import (
	"os"

	"github.com/elbconform/elbconform/internal/reportcmd"
)

func main() {
	os.Exit(reportcmd.Main(reportcmd.ConformanceReport, os.Args[1:], os.Stdout, os.Stderr))
}
