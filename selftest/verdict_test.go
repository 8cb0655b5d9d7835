package selftest

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/emulator"
	"github.com/elbconform/elbconform/harness/catalogue"
)

// spec builds an It spec report labelled with behaviour IDs and capabilities.
func spec(text string, state types.SpecState, labels ...string) types.SpecReport {
	s := types.SpecReport{
		ContainerHierarchyTexts: []string{"RegisterInstancesWithLoadBalancer"},
		LeafNodeType:            types.NodeTypeIt,
		LeafNodeText:            text,
		LeafNodeLabels:          labels,
		State:                   state,
	}
	if state.Is(types.SpecStateFailureStates) {
		s.Failure = types.Failure{
			Message:         "registering i-1 on lb\nExpected\n    <[]string | len:1>: [i-1]\nto consist of\n    <[]string | len:2>: [i-0, i-1]",
			FailureNodeType: types.NodeTypeIt,
			Location:        types.CodeLocation{FileName: "/repo/suites/elb/02_register_response_test.go", LineNumber: 31},
		}
	}
	return s
}

func suiteNode(t types.NodeType, state types.SpecState, msg string) types.SpecReport {
	return types.SpecReport{LeafNodeType: t, State: state, Failure: types.Failure{Message: msg, FailureNodeType: t}}
}

func report(specs ...types.SpecReport) RunResult {
	ok := true
	for _, s := range specs {
		if s.State.Is(types.SpecStateFailureStates) {
			ok = false
		}
	}
	r := RunResult{Reports: []types.Report{{SuiteDescription: "ELB Classic conformance", SuiteSucceeded: ok, SpecReports: specs}}, Wall: 6 * time.Second, Timeout: 3 * time.Minute}
	if !ok {
		r.ExitErr = errors.New("exit status 1")
	}
	return r
}

var (
	setupOK   = suiteNode(types.NodeTypeSynchronizedBeforeSuite, types.SpecStatePassed, "")
	passA     = spec("answers the whole membership [REG-RESP-MEMBERSHIP]", types.SpecStatePassed, "REG-RESP-MEMBERSHIP", "ec2")
	passB     = spec("is idempotent [REG-IDEMPOTENT]", types.SpecStatePassed, "REG-IDEMPOTENT", "ec2")
	failA     = spec("answers the whole membership [REG-RESP-MEMBERSHIP]", types.SpecStateFailed, "REG-RESP-MEMBERSHIP", "ec2")
	failB     = spec("is idempotent [REG-IDEMPOTENT]", types.SpecStateTimedout, "REG-IDEMPOTENT", "ec2")
	skipC     = spec("needs vpc [REG-ERR-OTHER-VPC-INSTANCE]", types.SpecStateSkipped, "REG-ERR-OTHER-VPC-INSTANCE", "vpc")
	faultMode = Mode{Kind: Fault, Name: "register-returns-sent-only", Description: "Register answers only the instances sent."}
	variant   = Mode{Kind: Variant, Name: "shuffle-order", Description: "Lists come in random order."}
	baseline  = Mode{Kind: Baseline, Name: BaselineName}
)

func TestJudgeFaultKilled(t *testing.T) {
	o := Judge(faultMode, report(setupOK, failA, passB, skipC))
	if o.Verdict != Killed {
		t.Fatalf("verdict %q, want killed (%+v)", o.Verdict, o)
	}
	if !slices.Equal(o.Behaviours, []string{"REG-RESP-MEMBERSHIP"}) {
		t.Errorf("failing behaviours %v, want only REG-RESP-MEMBERSHIP (capability labels are not behaviours)", o.Behaviours)
	}
	if o.Specs != (Counts{Total: 3, Passed: 1, Failed: 1, Skipped: 1}) {
		t.Errorf("counts %+v", o.Specs)
	}
	f := o.Failures[0]
	if f.Location != "suites/elb/02_register_response_test.go:31" || f.Node != "" || f.State != "failed" {
		t.Errorf("failure %+v", f)
	}
	if !strings.HasPrefix(f.Message, "registering i-1 on lb Expected") {
		t.Errorf("message %q: want the first lines up to the gist", f.Message)
	}
	if o.WallStr != "6s" {
		t.Errorf("wall %q", o.WallStr)
	}
}

func TestJudgeFaultKilledSeveralBehavioursSorted(t *testing.T) {
	o := Judge(faultMode, report(setupOK, failB, failA))
	if o.Verdict != Killed || !slices.Equal(o.Behaviours, []string{"REG-IDEMPOTENT", "REG-RESP-MEMBERSHIP"}) {
		t.Fatalf("verdict %q behaviours %v", o.Verdict, o.Behaviours)
	}
	if o.Failures[0].State != "timedout" {
		t.Errorf("a timed-out spec is a failure: %+v", o.Failures[0])
	}
}

func TestJudgeFaultKilledInCleanupNamesTheNode(t *testing.T) {
	s := failA
	s.Failure.FailureNodeType = types.NodeTypeCleanupAfterEach
	o := Judge(faultMode, report(setupOK, s))
	if o.Verdict != Killed || o.Failures[0].Node != types.NodeTypeCleanupAfterEach.String() {
		t.Fatalf("verdict %q failure %+v", o.Verdict, o.Failures[0])
	}
}

func TestJudgeFaultSurvived(t *testing.T) {
	o := Judge(faultMode, report(setupOK, passA, passB, skipC))
	if o.Verdict != Survived || len(o.Behaviours) != 0 || len(o.Failures) != 0 {
		t.Fatalf("got %+v, want survived", o)
	}
}

func TestJudgeVariantHeld(t *testing.T) {
	o := Judge(variant, report(setupOK, passA, passB))
	if o.Verdict != Held {
		t.Fatalf("got %q, want held", o.Verdict)
	}
}

func TestJudgeVariantFalseAlarm(t *testing.T) {
	o := Judge(variant, report(setupOK, passA, failB))
	if o.Verdict != FalseAlarm || !slices.Equal(o.Behaviours, []string{"REG-IDEMPOTENT"}) {
		t.Fatalf("got %q %v, want false alarm on REG-IDEMPOTENT", o.Verdict, o.Behaviours)
	}
	if o.Failures[0].Message == "" {
		t.Error("a false alarm must say why")
	}
}

func TestJudgeBaseline(t *testing.T) {
	if o := Judge(baseline, report(setupOK, passA, passB, skipC)); o.Verdict != Passed {
		t.Errorf("all passed: got %q, want passed", o.Verdict)
	}
	o := Judge(baseline, report(setupOK, passA, failB))
	if o.Verdict != Failed || !slices.Equal(o.Behaviours, []string{"REG-IDEMPOTENT"}) {
		t.Errorf("one failed: got %q %v, want failed", o.Verdict, o.Behaviours)
	}
}

func TestJudgeSetupFailureIsAnErrorNotAKill(t *testing.T) {
	// SynchronizedBeforeSuite failed (e.g. no such profile): Ginkgo runs no spec.
	bad := suiteNode(types.NodeTypeSynchronizedBeforeSuite, types.SpecStateFailed, "reading the run configuration\nno such profile")
	r := report(bad)
	for _, m := range []Mode{faultMode, variant, baseline} {
		o := Judge(m, r)
		if o.Verdict != Errored || !strings.Contains(o.Error, "setup failed") || !strings.Contains(o.Error, "reading the run configuration") {
			t.Errorf("%s: got %q %q, want error naming the setup failure", m.Kind, o.Verdict, o.Error)
		}
	}
	// Aborted in setup, with specs reported as skipped.
	aborted := suiteNode(types.NodeTypeSynchronizedBeforeSuite, types.SpecStateAborted, "target unreachable")
	if o := Judge(faultMode, report(aborted, spec("x [REG-IDEMPOTENT]", types.SpecStateSkipped, "REG-IDEMPOTENT"))); o.Verdict != Errored {
		t.Errorf("aborted setup: got %q, want error", o.Verdict)
	}
}

func TestJudgeNoReportIsAnError(t *testing.T) {
	r := RunResult{ReportErr: os.ErrNotExist, ExitErr: errors.New("exit status 2"), LogTail: "panic: behaviours.yaml: no such file"}
	o := Judge(faultMode, r)
	if o.Verdict != Errored || !strings.Contains(o.Error, "no report") || !strings.Contains(o.Error, "panic: behaviours.yaml") {
		t.Fatalf("got %q %q", o.Verdict, o.Error)
	}
}

func TestJudgeNoSpecRanIsAnError(t *testing.T) {
	r := report(setupOK)
	r.Reports[0].SpecialSuiteFailureReasons = []string{"Detected no specs ran"}
	if o := Judge(faultMode, r); o.Verdict != Errored || !strings.Contains(o.Error, "no spec ran") {
		t.Fatalf("got %q %q", o.Verdict, o.Error)
	}
}

func TestJudgeExitFailureWithoutFailedSpecIsAnError(t *testing.T) {
	r := report(setupOK, passA)
	r.ExitErr = errors.New("exit status 1")
	if o := Judge(faultMode, r); o.Verdict != Errored {
		t.Fatalf("got %q, want error: ginkgo failed but no spec did", o.Verdict)
	}
}

func TestJudgeTimeout(t *testing.T) {
	r := report(setupOK, passA, spec("slow [REG-IDEMPOTENT]", types.SpecStateInterrupted, "REG-IDEMPOTENT"))
	r.Reports[0].SpecialSuiteFailureReasons = []string{"Suite Timeout Elapsed"}
	o := Judge(faultMode, r)
	if o.Verdict != TimedOut || !strings.Contains(o.Error, "3m0s") || !strings.Contains(o.Error, "REG-IDEMPOTENT") {
		t.Fatalf("got %q %q, want timeout, not a kill", o.Verdict, o.Error)
	}
	o = Judge(variant, RunResult{TimedOut: true, Timeout: time.Minute, ReportErr: os.ErrNotExist})
	if o.Verdict != TimedOut {
		t.Fatalf("killed by the backstop without report: got %q", o.Verdict)
	}
}

func TestJudgeSuiteTeardownFailureCounts(t *testing.T) {
	after := suiteNode(types.NodeTypeSynchronizedAfterSuite, types.SpecStateFailed, "stopping the target")
	o := Judge(variant, report(setupOK, passA, after))
	if o.Verdict != FalseAlarm || len(o.Behaviours) != 0 || o.Failures[0].Spec != "[SynchronizedAfterSuite]" {
		t.Fatalf("got %q %+v", o.Verdict, o.Failures)
	}
}

// The reports are read from Ginkgo's JSON: judging must work the same after
// a round trip through it.
func TestReadReportRoundTrip(t *testing.T) {
	r := report(setupOK, failA, passB)
	raw, err := json.Marshal(r.Reports)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	reps, err := readReport(path)
	if err != nil {
		t.Fatal(err)
	}
	r.Reports = reps
	if o := Judge(faultMode, r); o.Verdict != Killed || !slices.Equal(o.Behaviours, []string{"REG-RESP-MEMBERSHIP"}) {
		t.Fatalf("after JSON: %q %v", o.Verdict, o.Behaviours)
	}
	if _, err := readReport(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("a missing report must be an error")
	}
}

func testCatalogue(t *testing.T) *catalogue.Catalogue {
	t.Helper()
	c, err := catalogue.Parse([]byte(`behaviours:
  - {id: REG-RESP-MEMBERSHIP, operation: Register, summary: s, source: s, certainty: documented}
  - {id: REG-IDEMPOTENT, operation: Register, summary: s, source: s, certainty: documented}
  - {id: REG-ERR-OTHER-VPC-INSTANCE, operation: Register, summary: s, source: s, certainty: modelled}
`))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCoverage(t *testing.T) {
	cat := testCatalogue(t)
	outs := []Outcome{
		{Mode: Mode{Kind: Fault, Name: "f1"}, Verdict: Killed, Behaviours: []string{"REG-RESP-MEMBERSHIP"}},
		{Mode: Mode{Kind: Fault, Name: "f2"}, Verdict: Killed, Behaviours: []string{"REG-IDEMPOTENT", "REG-RESP-MEMBERSHIP"}},
		{Mode: Mode{Kind: Fault, Name: "f3"}, Verdict: Survived},
		// A timed-out run guards what failed before it stopped, marked;
		// errored runs, variants and the baseline guard nothing.
		{Mode: Mode{Kind: Fault, Name: "f4"}, Verdict: TimedOut, Behaviours: []string{"REG-ERR-OTHER-VPC-INSTANCE"}},
		{Mode: Mode{Kind: Fault, Name: "f5"}, Verdict: Errored, Behaviours: []string{"REG-IDEMPOTENT"}},
		{Mode: Mode{Kind: Variant, Name: "v1"}, Verdict: FalseAlarm, Behaviours: []string{"REG-ERR-OTHER-VPC-INSTANCE"}},
		{Mode: Mode{Kind: Baseline, Name: BaselineName}, Verdict: Failed, Behaviours: []string{"REG-ERR-OTHER-VPC-INSTANCE"}},
	}
	rows, unguarded := Coverage(cat, outs)
	if len(rows) != 3 {
		t.Fatalf("want one row per catalogued behaviour, got %d", len(rows))
	}
	if !slices.Equal(rows[0].KilledBy, []string{"f1", "f2"}) || !slices.Equal(rows[1].KilledBy, []string{"f2"}) || !slices.Equal(rows[2].KilledBy, []string{"f4" + TimedOutSuffix}) {
		t.Errorf("killed by: %+v", rows)
	}
	if !slices.Equal(rows[2].FalseAlarms, []string{"v1"}) {
		t.Errorf("false alarms: %+v", rows[2])
	}
	if len(unguarded) != 0 {
		t.Errorf("unguarded %v", unguarded)
	}
}

func TestSummarise(t *testing.T) {
	cat := testCatalogue(t)
	good := []Outcome{
		{Mode: baseline, Verdict: Passed},
		{Mode: faultMode, Verdict: Killed, Behaviours: []string{"REG-RESP-MEMBERSHIP"}},
		{Mode: variant, Verdict: Held},
	}
	s := Summarise(cat, good, Settings{}, time.Minute)
	if !s.OK || len(s.Problems) != 0 || s.Baseline == nil || len(s.Faults) != 1 || len(s.Variants) != 1 {
		t.Fatalf("all good: %+v", s)
	}

	cases := map[string]struct {
		outs []Outcome
		want string
	}{
		"survivor":       {[]Outcome{good[0], {Mode: faultMode, Verdict: Survived}, good[2]}, "fault register-returns-sent-only survived"},
		"false alarm":    {[]Outcome{good[0], good[1], {Mode: variant, Verdict: FalseAlarm, Behaviours: []string{"REG-IDEMPOTENT"}}}, "variant shuffle-order raised a false alarm in REG-IDEMPOTENT"},
		"baseline fails": {[]Outcome{{Mode: baseline, Verdict: Failed, Behaviours: []string{"REG-IDEMPOTENT"}}, good[1], good[2]}, "BASELINE FAILED (REG-IDEMPOTENT)"},
		"baseline error": {[]Outcome{{Mode: baseline, Verdict: Errored, Error: "no report"}, good[1], good[2]}, "BASELINE ERROR: no report"},
		"no baseline":    {good[1:], "no baseline run"},
		"run error":      {[]Outcome{good[0], {Mode: faultMode, Verdict: Errored, Error: "the suite did not run"}, good[2]}, "fault register-returns-sent-only: error: the suite did not run"},
		"run timeout":    {[]Outcome{good[0], good[1], {Mode: variant, Verdict: TimedOut, Error: "too slow"}}, "variant shuffle-order: timeout: too slow"},
	}
	for name, c := range cases {
		s := Summarise(cat, c.outs, Settings{}, time.Minute)
		if s.OK {
			t.Errorf("%s: OK, want not OK", name)
			continue
		}
		if !slices.ContainsFunc(s.Problems, func(p string) bool { return strings.Contains(p, c.want) }) {
			t.Errorf("%s: problems %q do not say %q", name, s.Problems, c.want)
		}
	}
}

func TestPlan(t *testing.T) {
	faults := []emulator.Mode{{Name: "f1", Description: "d1"}, {Name: "f2", Description: "d2"}}
	variants := []emulator.Mode{{Name: "v1", Description: "d3"}}
	p, err := Plan(faults, variants, nil)
	if err != nil || len(p) != 4 || p[0].Kind != Baseline || p[1] != (Mode{Fault, "f1", "d1"}) || p[3].Kind != Variant {
		t.Fatalf("all: %+v %v", p, err)
	}
	p, err = Plan(faults, variants, []string{"v1", " f2 ", "baseline"})
	if err != nil || len(p) != 3 || p[0].Kind != Baseline || p[1].Name != "f2" || p[2].Name != "v1" {
		t.Fatalf("only: %+v %v", p, err)
	}
	if _, err := Plan(faults, variants, []string{"f1", "nope"}); err == nil || !strings.Contains(err.Error(), "nope") || !strings.Contains(err.Error(), "f2") {
		t.Fatalf("unknown name: %v", err)
	}
}

func TestWrite(t *testing.T) {
	cat := testCatalogue(t)
	outs := []Outcome{
		Judge(baseline, report(setupOK, passA, passB)),
		Judge(faultMode, report(setupOK, failA, passB)),
		Judge(Mode{Kind: Fault, Name: "f-survivor", Description: "Breaks | things."}, report(setupOK, passA, passB)),
		Judge(variant, report(setupOK, passA, failB)),
	}
	s := Summarise(cat, outs, Settings{Profile: "selftest", Parallel: 2, GinkgoProcs: "-p"}, 90*time.Second)
	dir := t.TempDir()
	if err := Write(dir, s); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, MarkdownFile))
	for _, want := range []string{
		"**Result: FAIL.**",
		"| `register-returns-sent-only` | Register answers only the instances sent. | killed | REG-RESP-MEMBERSHIP | 6s |",
		"| `f-survivor` | Breaks \\| things. | **SURVIVED** | — |",
		"| `shuffle-order` | Lists come in random order. | **FALSE ALARM** | REG-IDEMPOTENT |",
		"| REG-ERR-OTHER-VPC-INSTANCE | Register | modelled | **unguarded** |",
		"Unguarded behaviours (2 of 3): REG-IDEMPOTENT, REG-ERR-OTHER-VPC-INSTANCE.",
		"Total wall time 1m30s",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("selftest.md lacks %q:\n%s", want, md)
		}
	}
	y, _ := os.ReadFile(filepath.Join(dir, YAMLFile))
	for _, want := range []string{"ok: false", "verdict: killed", "verdict: survived", "verdict: false alarm", "unguarded:", "- REG-ERR-OTHER-VPC-INSTANCE", "killedBy:"} {
		if !strings.Contains(string(y), want) {
			t.Errorf("selftest.yaml lacks %q:\n%s", want, y)
		}
	}
	var tbl strings.Builder
	Table(&tbl, s)
	if !strings.Contains(tbl.String(), "SURVIVED") || !strings.Contains(tbl.String(), "selftest: FAIL") {
		t.Errorf("table:\n%s", tbl.String())
	}
}

// When the baseline fails, what a run adds to the baseline's failures is
// shown apart, and only that guards a behaviour.
func TestSummariseBaselineFailedCountsOnlyBeyond(t *testing.T) {
	cat := testCatalogue(t)
	outs := []Outcome{
		Judge(baseline, report(setupOK, failB, passA)),
		Judge(faultMode, report(setupOK, failA, failB)),                                         // adds REG-RESP-MEMBERSHIP
		Judge(Mode{Kind: Fault, Name: "only-baseline-failures"}, report(setupOK, passA, failB)), // adds nothing
		Judge(variant, report(setupOK, passA, failB)),
	}
	s := Summarise(cat, outs, Settings{}, time.Minute)
	if s.OK || !strings.Contains(s.Problems[0], "BASELINE FAILED (REG-IDEMPOTENT)") {
		t.Fatalf("problems %q", s.Problems)
	}
	if !slices.Equal(s.Faults[0].BeyondBaseline, []string{"REG-RESP-MEMBERSHIP"}) || len(s.Faults[1].BeyondBaseline) != 0 || len(s.Variants[0].BeyondBaseline) != 0 {
		t.Errorf("beyond baseline: %v %v %v", s.Faults[0].BeyondBaseline, s.Faults[1].BeyondBaseline, s.Variants[0].BeyondBaseline)
	}
	if !slices.Equal(s.Coverage[0].KilledBy, []string{faultMode.Name}) || len(s.Coverage[1].KilledBy) != 0 || len(s.Coverage[1].FalseAlarms) != 0 {
		t.Errorf("coverage counts baseline failures: %+v", s.Coverage)
	}
	var md strings.Builder
	Markdown(&md, s)
	if !strings.Contains(md.String(), "**The baseline failed**") || !strings.Contains(md.String(), "| Beyond the baseline |") {
		t.Errorf("selftest.md does not flag the failed baseline:\n%s", md.String())
	}
}

func TestStartOrderRunsVariantsBeforeFaults(t *testing.T) {
	plan := []Mode{{Kind: Baseline, Name: "baseline"}, {Kind: Fault, Name: "f1"}, {Kind: Fault, Name: "f2"}, {Kind: Variant, Name: "v1"}}
	got := startOrder(plan)
	if want := []int{0, 3, 1, 2}; !slices.Equal(got, want) {
		t.Errorf("start order %v, want %v", got, want)
	}
}
