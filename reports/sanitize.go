package reports

import (
	"regexp"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// terminalEscapes are what a coloured run leaves in Ginkgo's and Gomega's
// messages: CSI sequences (colours, cursor movement: ESC [ … final byte),
// OSC sequences (ESC ] … BEL or ESC \), other two-byte escapes, their
// 8-bit C1 forms, and any ESC left over.
var terminalEscapes = regexp.MustCompile(
	"\x1b\\[[0-?]*[ -/]*[@-~]" +
		"|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)" +
		"|\x1b[ -/]*[0-~]" +
		"|\u009b[0-?]*[ -/]*[@-~]" +
		"|\u009d[^\x07\u009c]*[\x07\u009c]" +
		"|\x1b")

// StripTerminal returns s without terminal escape sequences or other control
// characters, keeping tabs and line breaks (a carriage return becomes a
// line break): reports and the console verdict are read, not rendered by a
// terminal.
func StripTerminal(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	s = terminalEscapes.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\t' || r == '\n':
			return r
		case isControl(r):
			return -1
		}
		return r
	}, s)
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f }

// Ginkgo's message on the other processes when process 1's
// SynchronizedBeforeSuite fails (types.GinkgoErrors.SynchronizedBeforeSuiteFailedOnProc1).
const proc1SetupFailed = "SynchronizedBeforeSuite failed on Ginkgo parallel process #1"

// Ginkgo's reason for failing a suite whose processes were stopped because
// another process aborted (interrupt_handler.InterruptCauseAbortByOtherProcess).
const abortedByOtherProcess = "Interrupted by Other Ginkgo Process"

// cleanRuns returns a copy of runs fit for reports: messages without
// terminal escapes, and a failed suite setup on process 1 said once. When
// process 1's SynchronizedBeforeSuite fails, Ginkgo gives every other process
// a SynchronizedBeforeSuite of its own that failed with "failed on process
// #1" or aborted without a message, and fails the run as "Interrupted by
// Other Ginkgo Process"; those echoes are dropped, since process 1's own
// report says why. runs itself is not modified.
func cleanRuns(runs []types.Report) []types.Report {
	out := make([]types.Report, len(runs))
	for i, run := range runs {
		specs := make([]types.SpecReport, len(run.SpecReports))
		for j, sr := range run.SpecReports {
			specs[j] = cleanSpec(sr)
		}
		run.SpecReports = specs
		run.SpecialSuiteFailureReasons = slices.Clone(run.SpecialSuiteFailureReasons)
		for j, reason := range run.SpecialSuiteFailureReasons {
			run.SpecialSuiteFailureReasons[j] = StripTerminal(reason)
		}

		if setup := proc1SetupFailure(run.SpecReports); setup != nil {
			run.SpecReports = slices.DeleteFunc(run.SpecReports, isSetupEcho)
			if setup.State == types.SpecStateAborted {
				run.SpecialSuiteFailureReasons = slices.DeleteFunc(run.SpecialSuiteFailureReasons, func(r string) bool { return r == abortedByOtherProcess })
			}
		}
		out[i] = run
	}
	return out
}

func cleanSpec(sr types.SpecReport) types.SpecReport {
	sr.LeafNodeText = StripTerminal(sr.LeafNodeText)
	sr.ContainerHierarchyTexts = slices.Clone(sr.ContainerHierarchyTexts)
	for i, t := range sr.ContainerHierarchyTexts {
		sr.ContainerHierarchyTexts[i] = StripTerminal(t)
	}
	sr.Failure.Message = StripTerminal(sr.Failure.Message)
	sr.Failure.ForwardedPanic = StripTerminal(sr.Failure.ForwardedPanic)
	return sr
}

// proc1SetupFailure is process 1's failed SynchronizedBeforeSuite, when it
// failed with a message of its own, or nil.
func proc1SetupFailure(specs []types.SpecReport) *types.SpecReport {
	for i, sr := range specs {
		if sr.LeafNodeType == types.NodeTypeSynchronizedBeforeSuite && sr.ParallelProcess <= 1 &&
			sr.State.Is(types.SpecStateFailureStates) && strings.TrimSpace(sr.Failure.Message) != "" &&
			!strings.HasPrefix(sr.Failure.Message, proc1SetupFailed) {
			return &specs[i]
		}
	}
	return nil
}

// isSetupEcho reports whether sr is another process's SynchronizedBeforeSuite
// that only repeats that process 1's failed.
func isSetupEcho(sr types.SpecReport) bool {
	if sr.LeafNodeType != types.NodeTypeSynchronizedBeforeSuite || sr.ParallelProcess <= 1 {
		return false
	}
	msg := strings.TrimSpace(sr.Failure.Message)
	return strings.HasPrefix(msg, proc1SetupFailed) ||
		msg == "" && sr.State.Is(types.SpecStateAborted|types.SpecStateInterrupted|types.SpecStateSkipped)
}
