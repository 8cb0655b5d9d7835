package reports

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

func TestStripTerminal(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain text is kept", "Expected <int>: 2 to equal 3 … é ✅", "Expected <int>: 2 to equal 3 … é ✅"},
		{"Ginkgo's colours", "\x1b[38;5;9m[FAILED] \x1b[1mSynchronizedBeforeSuite failed\x1b[0m", "[FAILED] SynchronizedBeforeSuite failed"},
		{"reset and bold", "\x1b[0m\x1b[1mbold\x1b[22m", "bold"},
		{"true colour", "\x1b[38;2;255;0;0mred\x1b[m", "red"},
		{"cursor movement and erase", "50%\x1b[2K\x1b[1Gdone\x1b[?25h", "50%done"},
		{"hyperlink (OSC 8)", "see \x1b]8;;https://example.com\x07the docs\x1b]8;;\x1b\\ now", "see the docs now"},
		{"8-bit CSI", "\u009b31mred\u009b0m", "red"},
		{"charset switch, two-byte escape, lone ESC", "\x1b(Bx\x1b7y\x1b", "xy"},
		{"other control characters", "a\x00b\x07c\x08d\x7fe", "abcde"},
		{"line breaks and tabs are kept", "one\r\ntwo\rthree\n\tfour", "one\ntwo\nthree\n\tfour"},
		{"brackets without ESC are text", "[1m] and [38;5;9m", "[1m] and [38;5;9m"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := StripTerminal(c.in); got != c.want {
				t.Errorf("StripTerminal(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// A coloured run leaves escapes in failure messages, skip reasons, Ginkgo's
// reasons and the messages of suite nodes; none reaches a report.
func TestReportsCarryNoTerminalEscapes(t *testing.T) {
	const red, bold, reset = "\x1b[38;5;9m", "\x1b[1m", "\x1b[0m"
	runs := passingExcept(map[string]types.SpecReport{
		"REG-RESP-MEMBERSHIP": it("lists the membership", types.SpecStateFailed, red+"Expected"+reset+"\n    <[]string | len:1>: ["+bold+"i-1"+reset+"]\nto have 3 elements", "REG-RESP-MEMBERSHIP", "wire"),
		"CRT-ERR-NAME":        it("refuses a bad name", types.SpecStateSkipped, "target lacks "+bold+"wire"+reset, "CRT-ERR-NAME", "wire"),
	})
	teardown := suiteNode(types.NodeTypeSynchronizedAfterSuite, types.SpecStateFailed, bold+red+"teardown failed"+reset)
	teardown.Failure.ForwardedPanic = red + "panic: boom" + reset
	runs[0].SpecReports = append(runs[0].SpecReports, teardown)
	runs[0].SpecialSuiteFailureReasons = []string{red + "Detected Programmatic Focus" + reset}
	g := generate(t, runs, Options{})
	for what, doc := range map[string]string{"conformance.md": g.md, "conformance.html": g.html, "summary": Summary(g.r, nil)} {
		if strings.ContainsAny(doc, "\x1b\u009b") || strings.Contains(doc, "[38;5;9m") || strings.Contains(doc, "[0m") {
			t.Errorf("%s carries terminal escapes:\n%s", what, doc)
		}
	}
	wantContains(t, "conformance.md", g.md, "to have 3 elements", "teardown failed", "panic: boom")
	wantReason(t, g, "Suite teardown SynchronizedAfterSuite failed: teardown failed")
	wantReason(t, g, "Ginkgo failed the run: Detected Programmatic Focus")
	if b := g.behaviour(t, "CRT-ERR-NAME"); b.Reason != "target lacks wire" {
		t.Errorf("skip reason %q", b.Reason)
	}
	// The caller's report is not modified.
	if !strings.Contains(runs[0].SpecialSuiteFailureReasons[0], red) || !strings.Contains(teardown.Failure.Message, red) {
		t.Error("Build modified the Ginkgo report it was given")
	}
}

// parallelSetupFailure is a 4-process run whose process 1 stopped in its
// SynchronizedBeforeSuite, as Ginkgo records it: process 1's node with its
// message; processes 2-4 with Ginkgo's echo (after a failure) or aborted
// without a message (after AbortSuite).
func parallelSetupFailure(state types.SpecState, msg string) []types.Report {
	proc1 := suiteNode(types.NodeTypeSynchronizedBeforeSuite, state, msg)
	proc1.ParallelProcess = 1
	proc1.Failure.FailureNodeType = types.NodeTypeSynchronizedBeforeSuite
	specs := []types.SpecReport{proc1}
	var special []string
	for p := 2; p <= 4; p++ {
		var other types.SpecReport
		switch state {
		case types.SpecStateAborted:
			other = types.SpecReport{LeafNodeType: types.NodeTypeSynchronizedBeforeSuite, State: types.SpecStateAborted}
			special = []string{abortedByOtherProcess}
		default:
			// Ginkgo's own error, as a coloured run formats it.
			echo := types.GinkgoErrors.SynchronizedBeforeSuiteFailedOnProc1().(types.GinkgoError)
			other = suiteNode(types.NodeTypeSynchronizedBeforeSuite, types.SpecStateFailed, "\x1b[1m\x1b[38;5;9m"+echo.Heading+"\x1b[0m\n"+echo.Message)
			other.Failure.FailureNodeType = types.NodeTypeSynchronizedBeforeSuite
		}
		other.ParallelProcess = p
		specs = append(specs, other)
	}
	return []types.Report{{SuiteDescription: "elb", StartTime: start, SpecReports: specs, SpecialSuiteFailureReasons: special}}
}

func TestSetupFailureOfProcess1IsSaidOnce(t *testing.T) {
	const msg = `ginkgo.yml:24: mapping values are not allowed in this context`
	for name, state := range map[string]types.SpecState{"aborted": types.SpecStateAborted, "failed": types.SpecStateFailed} {
		t.Run(name, func(t *testing.T) {
			g := generate(t, parallelSetupFailure(state, msg), Options{})
			g.wantVerdict(t, Incomplete, false)
			want := []string{"Suite setup SynchronizedBeforeSuite failed: " + msg, "No spec ran, so no behaviour was checked"}
			if strings.Join(g.yaml.Reasons, "|") != strings.Join(want, "|") {
				t.Errorf("reasons\n  %q\nwant\n  %q", g.yaml.Reasons, want)
			}
			if n := len(g.r.FailedSuiteNodes()); n != 1 {
				t.Errorf("%d failed suite nodes, want process 1's only", n)
			}
			if strings.Contains(g.md, "parallel process #1") || strings.Contains(g.md, "Interrupted by Other") {
				t.Errorf("conformance.md repeats the failure:\n%s", firstLines(g.md, 12))
			}
		})
	}
}

// Without a failure of process 1 to explain them, other processes' setup
// failures and Ginkgo's reasons are kept.
func TestOtherSetupFailuresAreKept(t *testing.T) {
	runs := parallelSetupFailure(types.SpecStateAborted, "")
	runs[0].SpecReports[0].State = types.SpecStatePassed
	failing := suiteNode(types.NodeTypeSynchronizedBeforeSuite, types.SpecStateFailed, "building the clients: no region")
	failing.ParallelProcess = 3
	runs[0].SpecReports[2] = failing
	g := generate(t, runs, Options{})
	wantReason(t, g, "Suite setup SynchronizedBeforeSuite failed: building the clients: no region")
	wantReason(t, g, "Ginkgo failed the run: Interrupted by Other Ginkgo Process")
}
