// Package selftest checks the conformance suite against the reference
// emulator's deliberate mistakes: it runs the compiled suite once against a
// correct emulator (the baseline, which must pass), once per fault mode (each
// breaks exactly one documented promise, so at least one spec must fail: the
// fault is "killed") and once per benign variant (each does something the
// documentation allows, so every spec must pass: the variant "held").
//
// A surviving fault shows where the specs are too weak; a variant's false
// alarm shows where they are too strict. The coverage view turns the kills
// around: for each catalogued behaviour, the fault modes that made one of its
// specs fail, and the behaviours no fault reached ("unguarded").
//
// This file holds the verdict and coverage logic, which works on Ginkgo JSON
// reports alone; run.go starts emulators and runs the suite; write.go writes
// the reports.
package selftest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/harness/catalogue"
)

// Kind is what a run switches on in the emulator.
type Kind string

const (
	Baseline Kind = "baseline" // neither a fault nor a variant: the suite must pass
	Fault    Kind = "fault"    // one fault mode: at least one spec must fail
	Variant  Kind = "variant"  // one benign variant: every spec must pass
)

// BaselineName is the name of the baseline run (and of its report folder).
const BaselineName = "baseline"

// Verdict is the outcome of one run.
type Verdict string

const (
	Killed     Verdict = "killed"      // fault: at least one spec failed (good)
	Survived   Verdict = "survived"    // fault: every spec passed (specs too weak)
	Held       Verdict = "held"        // variant: every spec passed (good)
	FalseAlarm Verdict = "false alarm" // variant: a spec failed (specs too strict)
	Passed     Verdict = "passed"      // baseline: every spec passed (good)
	Failed     Verdict = "failed"      // baseline: a spec failed (every other verdict is meaningless)
	Errored    Verdict = "error"       // the suite did not run: no report, setup failure, ...
	TimedOut   Verdict = "timeout"     // the run exceeded its time limit
)

// Good reports whether the verdict is the one the suite should earn.
func (v Verdict) Good() bool { return v == Killed || v == Held || v == Passed }

// Mode is one planned run: the baseline, a fault mode or a benign variant.
type Mode struct {
	Kind        Kind   `json:"kind"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Failure is one spec (or suite node) that did not pass.
type Failure struct {
	Spec       string   `json:"spec"`
	Behaviours []string `json:"behaviours,omitempty"`
	State      string   `json:"state"`
	// Node names where the failure happened when it was not the spec's body,
	// e.g. "DeferCleanup (Each)" or "BeforeEach": weaker evidence than a
	// failed expectation in the It itself.
	Node     string `json:"node,omitempty"`
	Location string `json:"location,omitempty"`
	// Message is the failure's first line (a few lines when the first is
	// only "Expected"); the full text is in the kept report.json.
	Message string `json:"message"`
}

// Counts tallies the It specs of a run.
type Counts struct {
	Total   int `json:"total"`
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	Blocked int `json:"blocked,omitempty"`
	Pending int `json:"pending"`
}

// Outcome is the judged result of one run.
type Outcome struct {
	Mode
	Verdict Verdict `json:"verdict"`
	// Behaviours are the behaviour IDs of the failed specs, sorted.
	Behaviours []string  `json:"failingBehaviours,omitempty"`
	Failures   []Failure `json:"failures,omitempty"`
	Specs      Counts    `json:"specs"`
	// Error says why the run errored or timed out.
	Error string `json:"error,omitempty"`
	// Wall is the run's wall time (emulator start to report read).
	Wall    time.Duration `json:"-"`
	WallStr string        `json:"wall"`
	// ReportDir is where the run's report.json and run.log were kept.
	ReportDir string `json:"reportDir,omitempty"`

	// BeyondBaseline is set only when the baseline failed: the behaviour IDs
	// of the specs that failed here but passed in the baseline, which is
	// what this run tells apart from the baseline's own failures.
	BeyondBaseline []string `json:"beyondBaseline,omitempty"`
	baselineFailed bool
}

// evidence is the behaviours this run's failures speak for: all of them, or
// when the baseline failed only those beyond the baseline's failures.
func (o Outcome) evidence() []string {
	if o.baselineFailed {
		return o.BeyondBaseline
	}
	return o.Behaviours
}

// RunResult is what running the suite once produced, before judging.
type RunResult struct {
	// Reports is the decoded Ginkgo JSON report; nil when there was none.
	Reports []types.Report
	// ReportErr says why there is no (readable) report.
	ReportErr error
	// ExitErr is the ginkgo CLI's exit error (nil on exit status 0).
	ExitErr error
	// TimedOut is true when the run exceeded its time limit.
	TimedOut bool
	// Timeout is the time limit, for the message.
	Timeout time.Duration
	// LogTail is the end of the run's output, shown when the suite did not start.
	LogTail string
	Wall    time.Duration
}

// Judge turns one run's report into a verdict for its mode.
func Judge(m Mode, r RunResult) Outcome {
	o := Outcome{Mode: m, Wall: r.Wall, WallStr: roundDuration(r.Wall)}
	timeoutMsg := fmt.Sprintf("the run exceeded its time limit of %s", r.Timeout)

	if r.Reports == nil {
		o.Verdict = Errored
		if r.TimedOut {
			o.Verdict, o.Error = TimedOut, timeoutMsg+" and left no report"
			return o
		}
		o.Error = "the suite did not run: no report"
		if r.ReportErr != nil {
			o.Error += " (" + r.ReportErr.Error() + ")"
		}
		if r.ExitErr != nil {
			o.Error += "; ginkgo: " + r.ExitErr.Error()
		}
		if tail := strings.TrimSpace(r.LogTail); tail != "" {
			o.Error += "; output ends: " + tail
		}
		return o
	}

	var setup []string // why the suite's setup failed
	var special []string
	suiteTimedOut := r.TimedOut
	ids := map[string]bool{}
	for _, rep := range r.Reports {
		for _, reason := range rep.SpecialSuiteFailureReasons {
			special = append(special, firstLine(reason))
			if strings.Contains(reason, "Timeout") {
				suiteTimedOut = true
			}
		}
		for _, s := range rep.SpecReports {
			switch {
			case s.LeafNodeType == types.NodeTypeIt:
				o.Specs.Total++
				switch {
				case s.State == types.SpecStatePassed:
					o.Specs.Passed++
				case s.State == types.SpecStatePending:
					o.Specs.Pending++
				case s.State == types.SpecStateSkipped && catalogue.BlockedBy(s) != "":
					// A spec stopped because a behaviour it needs failed: that
					// behaviour broke in this run, so it counts as a failure
					// of the blocker (whose own specs normally fail too).
					o.Specs.Blocked++
					f := failureOf(s)
					f.Behaviours = []string{catalogue.BlockedBy(s)}
					f.State = "blocked"
					ids[catalogue.BlockedBy(s)] = true
					o.Failures = append(o.Failures, f)
				case s.State == types.SpecStateSkipped:
					o.Specs.Skipped++
				case s.State.Is(types.SpecStateFailureStates):
					o.Specs.Failed++
					f := failureOf(s)
					for _, id := range f.Behaviours {
						ids[id] = true
					}
					o.Failures = append(o.Failures, f)
				}
			case s.LeafNodeType.Is(types.NodeTypeBeforeSuite | types.NodeTypeSynchronizedBeforeSuite | types.NodeTypeReportBeforeSuite):
				if s.State.Is(types.SpecStateFailureStates) {
					// In full: the reason is often at the end of a long line.
					msg := firstLine(s.Failure.Message)
					if msg == "" {
						msg = s.State.String()
					}
					if !slices.Contains(setup, s.LeafNodeType.String()+": "+msg) {
						setup = append(setup, s.LeafNodeType.String()+": "+msg)
					}
				}
			case s.LeafNodeType.Is(types.NodeTypesForSuiteLevelNodes):
				// Suite teardown: a failure there has no behaviour, but it
				// is a failure of the run all the same.
				if s.State.Is(types.SpecStateFailureStates) {
					f := failureOf(s)
					f.Spec = "[" + s.LeafNodeType.String() + "]"
					f.Node = ""
					o.Failures = append(o.Failures, f)
				}
			}
		}
	}
	o.Behaviours = sortedKeys(ids)

	switch {
	case suiteTimedOut:
		o.Verdict, o.Error = TimedOut, timeoutMsg
		if len(o.Behaviours) > 0 {
			o.Error += " (before it stopped, specs of " + strings.Join(o.Behaviours, ", ") + " had failed)"
		}
		return o
	case len(setup) > 0:
		o.Verdict, o.Error = Errored, "the suite's setup failed, so no spec ran: "+strings.Join(setup, "; ")
		return o
	case o.Specs.Passed+o.Specs.Failed == 0:
		o.Verdict, o.Error = Errored, "no spec ran"
		if len(special) > 0 {
			o.Error += ": " + strings.Join(special, "; ")
		}
		return o
	case len(o.Failures) == 0 && r.ExitErr != nil:
		o.Verdict, o.Error = Errored, fmt.Sprintf("ginkgo failed (%v) but its report shows no failed spec", r.ExitErr)
		if len(special) > 0 {
			o.Error += ": " + strings.Join(special, "; ")
		}
		return o
	}

	failed := len(o.Failures) > 0
	switch m.Kind {
	case Fault:
		o.Verdict = pick(failed, Killed, Survived)
	case Variant:
		o.Verdict = pick(failed, FalseAlarm, Held)
	default:
		o.Verdict = pick(failed, Failed, Passed)
	}
	return o
}

func pick(failed bool, ifFailed, otherwise Verdict) Verdict {
	if failed {
		return ifFailed
	}
	return otherwise
}

func failureOf(s types.SpecReport) Failure {
	f := Failure{
		Spec:       s.FullText(),
		Behaviours: catalogue.BehaviourIDs(s.Labels()),
		State:      s.State.String(),
		Message:    condense(s.Failure.Message),
	}
	if f.Message == "" && s.Failure.ForwardedPanic != "" {
		f.Message = "panic: " + condense(s.Failure.ForwardedPanic)
	}
	if s.Failure.FailureNodeType != types.NodeTypeInvalid && s.Failure.FailureNodeType != types.NodeTypeIt {
		f.Node = s.Failure.FailureNodeType.String()
	}
	if s.Failure.Location.FileName != "" {
		f.Location = fmt.Sprintf("%s:%d", trimPath(s.Failure.Location.FileName), s.Failure.Location.LineNumber)
	}
	return f
}

// trimPath shortens an absolute source path to its repository-relative part.
func trimPath(p string) string {
	for _, dir := range []string{"/suites/", "/fixtures/", "/harness/"} {
		if i := strings.LastIndex(p, dir); i >= 0 {
			return p[i+1:]
		}
	}
	return p
}

// condense is a failure message's first line; when that says little
// ("Expected", "registering i-123:"), the following lines are joined on until
// the gist is there, up to about 200 characters.
func condense(msg string) string {
	var out []string
	n := 0
	for _, l := range strings.Split(msg, "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			continue
		}
		out = append(out, l)
		n += len(l) + 1
		if n >= 40 && !strings.HasSuffix(l, ":") && l != "Expected" {
			break
		}
		if n >= 200 {
			break
		}
	}
	s := strings.Join(out, " ")
	if len(s) > 240 {
		s = s[:237] + "..."
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func roundDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	default:
		return d.Round(time.Second).String()
	}
}

// TimedOutSuffix marks, in CoverageRow.KilledBy, a fault mode whose run timed
// out after specs of the behaviour had failed.
const TimedOutSuffix = " (run timed out)"

// CoverageRow is one catalogued behaviour and the runs that made its specs fail.
type CoverageRow struct {
	ID        string   `json:"id"`
	Operation string   `json:"operation"`
	Certainty string   `json:"certainty"`
	KilledBy  []string `json:"killedBy"`
	// FalseAlarms are benign variants that made one of its specs fail.
	FalseAlarms []string `json:"falseAlarms,omitempty"`
}

// Coverage maps every catalogued behaviour to the fault modes that killed
// through it (a spec of that behaviour failed under the fault), and lists the
// behaviours no fault mode reached. Runs that errored guard nothing; a fault
// run that timed out guards the behaviours whose specs failed before it
// stopped, named with TimedOutSuffix. When the baseline failed (Summarise marks the outcomes), only the
// failures beyond the baseline's count.
func Coverage(cat *catalogue.Catalogue, outcomes []Outcome) (rows []CoverageRow, unguarded []string) {
	killers := map[string][]string{}
	alarms := map[string][]string{}
	for _, o := range outcomes {
		switch {
		case o.Kind == Fault && o.Verdict == Killed:
			for _, id := range o.evidence() {
				killers[id] = append(killers[id], o.Name)
			}
		case o.Kind == Fault && o.Verdict == TimedOut:
			// The specs that failed before the time ran out did fail.
			for _, id := range o.evidence() {
				killers[id] = append(killers[id], o.Name+TimedOutSuffix)
			}
		case o.Kind == Variant && o.Verdict == FalseAlarm:
			for _, id := range o.evidence() {
				alarms[id] = append(alarms[id], o.Name)
			}
		}
	}
	for _, b := range cat.Behaviours {
		row := CoverageRow{ID: b.ID, Operation: b.Operation, Certainty: b.Certainty, KilledBy: killers[b.ID], FalseAlarms: alarms[b.ID]}
		if row.KilledBy == nil {
			row.KilledBy = []string{}
			unguarded = append(unguarded, b.ID)
		}
		rows = append(rows, row)
	}
	return rows, unguarded
}

// Summary is the whole self-test: every outcome, the coverage view and
// whether the suite earned every verdict.
type Summary struct {
	OK bool `json:"ok"`
	// Problems says, one sentence each, why OK is false.
	Problems []string `json:"problems,omitempty"`

	Settings Settings `json:"settings"`
	Total    string   `json:"totalWall"`

	Baseline *Outcome  `json:"baseline,omitempty"`
	Faults   []Outcome `json:"faults"`
	Variants []Outcome `json:"variants"`

	Coverage  []CoverageRow `json:"coverage"`
	Unguarded []string      `json:"unguarded"`
}

// Settings records how the self-test ran, for the report.
type Settings struct {
	Profile            string   `json:"profile"`
	Parallel           int      `json:"parallel"`
	GinkgoProcs        string   `json:"ginkgoProcs"`
	RunTimeout         string   `json:"runTimeout"`
	RegistrationDelay  string   `json:"registrationDelay"`
	InstanceStartDelay string   `json:"instanceStartDelay"`
	HealthCheckScale   float64  `json:"healthCheckScale"`
	Only               []string `json:"only,omitempty"`
}

// Summarise sorts outcomes into baseline, faults and variants (in the order
// given), builds the coverage view and decides OK: the baseline passed, every
// fault was killed, every variant held and no run errored.
func Summarise(cat *catalogue.Catalogue, outcomes []Outcome, settings Settings, total time.Duration) *Summary {
	s := &Summary{Settings: settings, Total: roundDuration(total), Faults: []Outcome{}, Variants: []Outcome{}}
	for i := range outcomes {
		o := outcomes[i]
		switch o.Kind {
		case Baseline:
			s.Baseline = &o
		case Fault:
			s.Faults = append(s.Faults, o)
		case Variant:
			s.Variants = append(s.Variants, o)
		}
	}
	if s.Baseline != nil && s.Baseline.Verdict == Failed {
		markBeyondBaseline(*s.Baseline, s.Faults)
		markBeyondBaseline(*s.Baseline, s.Variants)
	}
	s.Coverage, s.Unguarded = Coverage(cat, slices.Concat(s.Faults, s.Variants))
	if s.Unguarded == nil {
		s.Unguarded = []string{}
	}

	switch {
	case s.Baseline == nil:
		s.Problems = append(s.Problems, "no baseline run: the verdicts cannot be trusted")
	case s.Baseline.Verdict == Failed:
		s.Problems = append(s.Problems, fmt.Sprintf("BASELINE FAILED (%s): the suite fails against the correct emulator, so every kill below is meaningless", strings.Join(orNone(s.Baseline.Behaviours), ", ")))
	case !s.Baseline.Verdict.Good():
		s.Problems = append(s.Problems, fmt.Sprintf("BASELINE %s: %s", strings.ToUpper(string(s.Baseline.Verdict)), s.Baseline.Error))
	}
	for _, o := range slices.Concat(s.Faults, s.Variants) {
		switch o.Verdict {
		case Survived:
			s.Problems = append(s.Problems, fmt.Sprintf("fault %s survived (every spec passed): %s", o.Name, firstSentence(o.Description)))
		case FalseAlarm:
			s.Problems = append(s.Problems, fmt.Sprintf("variant %s raised a false alarm in %s", o.Name, strings.Join(orNone(o.Behaviours), ", ")))
		case Errored, TimedOut:
			s.Problems = append(s.Problems, fmt.Sprintf("%s %s: %s: %s", o.Kind, o.Name, o.Verdict, o.Error))
		}
	}
	s.OK = len(s.Problems) == 0
	return s
}

// markBeyondBaseline sets BeyondBaseline on each outcome: the behaviours of
// the specs (by full text) that failed there but not in the baseline.
func markBeyondBaseline(base Outcome, outs []Outcome) {
	failedInBase := map[string]bool{}
	for _, f := range base.Failures {
		failedInBase[f.Spec] = true
	}
	for i := range outs {
		ids := map[string]bool{}
		for _, f := range outs[i].Failures {
			if !failedInBase[f.Spec] {
				for _, id := range f.Behaviours {
					ids[id] = true
				}
			}
		}
		outs[i].BeyondBaseline = sortedKeys(ids)
		outs[i].baselineFailed = true
	}
}

func orNone(ids []string) []string {
	if len(ids) == 0 {
		return []string{"no behaviour ID"}
	}
	return ids
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
