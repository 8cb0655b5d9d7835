// Package runenv names the environment variables the conformance runner
// (internal/run, cmd/elbconform-run) sets for the processes of a run.
package runenv

const (
	// RunID is the run's ID: the container target labels its containers
	// with it (harness/target LabelRun).
	RunID = "ELBCONFORM_RUN_ID"
	// Lifeline, when set, makes a suite process ask the kernel for SIGTERM
	// should its parent (the Ginkgo CLI) die, so that a run whose runner was
	// killed outright does not run on unattended (harness/target).
	Lifeline = "ELBCONFORM_LIFELINE"
)
