package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/harness/catalogue"
)

// Names of the report entries the suite attaches to its suite nodes.
const (
	TargetEntry  = "elbconform/target"
	RetriesEntry = "elbconform/retries"
)

// LoadGinkgoReport reads the file written by `ginkgo --json-report`. The
// errors say what to do, since the usual cause is a suite that never ran.
func LoadGinkgoReport(path string) ([]types.Report, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no Ginkgo JSON report at %s: did the suite run? (make conformance writes it)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("Ginkgo JSON report: %w", err)
	}
	var runs []types.Report
	if err := json.Unmarshal(raw, &runs); err != nil {
		return nil, fmt.Errorf("%s is not a Ginkgo JSON report (ginkgo --json-report writes a JSON array of suite reports): %w", path, err)
	}
	return runs, nil
}

// Options is everything besides the Ginkgo report that a report depends on.
type Options struct {
	Catalogue *catalogue.Catalogue
	// Deviations may be nil: a target with no known deviations.
	Deviations     *catalogue.Deviations
	DeviationsFile string
	// Product and ProductVersion, when set, override what the suite
	// recorded: the person certifying a product names it.
	Product, ProductVersion string
	SuiteVersion            string
	// BaseDir, when set, makes code locations relative to it, so reports
	// do not carry the absolute paths of the machine that ran the suite.
	BaseDir string
}

// Build computes the report of one run. runs is the content of a Ginkgo
// JSON report: one element per suite, merged here into a single report.
func Build(runs []types.Report, opts Options) (*Report, error) {
	if opts.Catalogue == nil {
		return nil, errors.New("reports: no behaviour catalogue")
	}
	r := &Report{APIVersion: APIVersion, Kind: Kind, SuiteVersion: opts.SuiteVersion, Deviations: opts.DeviationsFile}
	if r.SuiteVersion == "" {
		r.SuiteVersion = "unknown"
	}

	var start time.Time
	var runTime time.Duration
	var specs []types.SpecReport
	runs = cleanRuns(runs) // messages without terminal escapes; process 1's setup failure said once
	for _, run := range runs {
		if !run.StartTime.IsZero() && (start.IsZero() || run.StartTime.Before(start)) {
			start = run.StartTime
		}
		// Suites of one invocation run one after the other, so their
		// run times add up.
		runTime += run.RunTime
		for _, reason := range run.SpecialSuiteFailureReasons {
			if !slices.Contains(r.Special, reason) {
				r.Special = append(r.Special, reason)
			}
		}
		specs = append(specs, run.SpecReports...)
	}
	if !start.IsZero() {
		r.Date = start.UTC().Format(time.RFC3339)
	}
	r.Duration = formatDuration(runTime)

	if err := r.readEntries(specs); err != nil {
		return nil, err
	}
	if opts.Product != "" {
		r.Target.Product = opts.Product
	}
	if opts.ProductVersion != "" {
		r.Target.ProductVersion = opts.ProductVersion
	}
	// Another profile's deviations would excuse failures this target has
	// no excuse for, so a mismatch is an error rather than a warning.
	if d := opts.Deviations; d != nil && d.Profile != "" && r.Target.Profile != "" && d.Profile != r.Target.Profile {
		return nil, fmt.Errorf("deviations %s are for profile %q but the suite ran with profile %q", opts.DeviationsFile, d.Profile, r.Target.Profile)
	}

	// Sort specs into suite nodes, evidence per behaviour and unmapped.
	byID := map[string][]types.SpecReport{}
	for _, sr := range specs {
		if sr.LeafNodeType.Is(types.NodeTypesForSuiteLevelNodes) {
			r.SuiteNodes = append(r.SuiteNodes, specOf(sr, opts.BaseDir))
			continue
		}
		r.Totals.Specs.add(sr)
		for _, msg := range catalogue.StringEntries(sr, catalogue.SetupFailureEntry) {
			if !slices.Contains(r.setupFailures, msg) {
				r.setupFailures = append(r.setupFailures, msg)
			}
		}
		ids := catalogue.BehaviourIDs(sr.Labels())
		var unknown []string
		for _, id := range ids {
			if _, ok := opts.Catalogue.Get(id); ok {
				byID[id] = append(byID[id], sr)
			} else {
				unknown = append(unknown, id)
			}
		}
		if len(ids) == 0 || len(unknown) > 0 {
			s := specOf(sr, opts.BaseDir)
			s.Unknown = unknown
			r.Unmapped = append(r.Unmapped, s)
		}
	}

	deviation := map[string]string{}
	if opts.Deviations != nil {
		for _, d := range opts.Deviations.Deviations {
			deviation[d.ID] = d.Explanation()
		}
	}
	perOp := map[string]*Counts{}
	for _, cb := range opts.Catalogue.Behaviours {
		b := Behaviour{
			ID: cb.ID, Operation: cb.Operation, Summary: cb.Summary,
			Source: cb.Source, Certainty: cb.Certainty, Needs: cb.Needs,
			Tier: cb.Tier, Feature: cb.Feature,
		}
		b.Result, b.Reason, b.BlockedBy = outcome(byID[cb.ID])
		if reason, listed := deviation[cb.ID]; listed {
			b.Deviation = true
			b.Reason = reason
			switch b.Result {
			case Failed:
				b.Result = ExpectedFailure
			case Passed:
				b.Result = UnexpectedPass
			}
		}
		for _, sr := range byID[cb.ID] {
			b.Specs = append(b.Specs, specOf(sr, opts.BaseDir))
		}
		r.Behaviours = append(r.Behaviours, b)
		r.Totals.Overall.add(b.Result)
		if perOp[b.Operation] == nil {
			perOp[b.Operation] = &Counts{}
		}
		perOp[b.Operation].add(b.Result)
	}
	for _, op := range opts.Catalogue.Operations() {
		r.Totals.ByOperation = append(r.Totals.ByOperation, OperationCount{Operation: op, Counts: *perOp[op]})
	}

	if err := r.features(opts.Catalogue); err != nil {
		return nil, err
	}
	r.decide()
	return r, nil
}

// readEntries picks the target and retry counts out of the report entries.
// Both are optional: an older suite, or one that failed before recording
// them, leaves them out, and the report says "unknown" instead.
func (r *Report) readEntries(specs []types.SpecReport) error {
	seenTarget := false
	for _, sr := range specs {
		for _, e := range sr.ReportEntries {
			switch e.Name {
			case TargetEntry:
				// With parallel processes each may record it; they
				// agree, so the first is kept.
				if seenTarget {
					continue
				}
				if err := json.Unmarshal([]byte(e.Value.AsJSON), &r.Target); err != nil {
					return fmt.Errorf("report entry %s: %w", TargetEntry, err)
				}
				seenTarget = true
			case RetriesEntry:
				var n Retries
				if err := json.Unmarshal([]byte(e.Value.AsJSON), &n); err != nil {
					return fmt.Errorf("report entry %s: %w", RetriesEntry, err)
				}
				// Each parallel process counts its own client's
				// retries, so the counts add up.
				if r.Retries == nil {
					r.Retries = &Retries{}
				}
				r.Retries.Retries += n.Retries
				r.Retries.Throttled += n.Throttled
			}
		}
	}
	return nil
}

// outcome folds the specs of one behaviour into its result. A behaviour
// passes only if no spec of it failed and none was skipped at run time: a
// skipped spec means part of the behaviour went unchecked. Specs skipped
// without a reason were filtered out (labels, focus) and do not count. A spec
// interrupted with the run, or blocked by the failure of a behaviour it needs
// as a precondition, did not check its behaviour: it neither passes nor
// fails it.
func outcome(specs []types.SpecReport) (result Result, reason string, blockedBy []string) {
	var passed, failed, interrupted bool
	var reasons, blocked []string
	for _, sr := range specs {
		switch {
		case wasInterrupted(sr):
			interrupted = true
		case sr.Failed():
			failed = true
		case sr.State == types.SpecStatePassed:
			passed = true
		case sr.State == types.SpecStateSkipped && catalogue.BlockedBy(sr) != "":
			if id := catalogue.BlockedBy(sr); !slices.Contains(blocked, id) {
				blocked = append(blocked, id)
			}
			if !slices.Contains(reasons, sr.Failure.Message) {
				reasons = append(reasons, sr.Failure.Message)
			}
		case sr.State == types.SpecStateSkipped && sr.Failure.Message != "":
			if !slices.Contains(reasons, sr.Failure.Message) {
				reasons = append(reasons, sr.Failure.Message)
			}
		}
	}
	switch {
	case failed:
		return Failed, "", nil
	case interrupted:
		return Interrupted, "the run was interrupted while a spec of it ran", nil
	case len(blocked) > 0:
		return Blocked, strings.Join(reasons, "; "), blocked
	case len(reasons) > 0:
		return Skipped, strings.Join(reasons, "; "), nil
	case passed:
		return Passed, "", nil
	}
	return NotRun, "", nil
}

// interruptedByUser starts the reason Ginkgo records in report.json when a
// signal interrupts the run (the runner records an interrupt outside the
// suite the same way, with details in parentheses).
const interruptedByUser = "Interrupted by User"

// wasInterrupted reports whether a spec ended because the run was interrupted
// (a signal, or another process's abort) rather than by its own outcome.
func wasInterrupted(sr types.SpecReport) bool {
	return sr.State == types.SpecStateInterrupted || sr.State == types.SpecStateAborted && sr.Failure.FailureNodeType == types.NodeTypeInvalid ||
		stoppedForSetup(sr)
}

// stoppedForSetup reports whether a spec stopped the run because the account lacked
// room the run needs (catalogue.SetupFailureEntry): a setup failure of the run, which
// checked nothing of the spec's behaviour.
func stoppedForSetup(sr types.SpecReport) bool {
	return sr.State == types.SpecStateAborted && len(catalogue.StringEntries(sr, catalogue.SetupFailureEntry)) > 0
}

// stateDumps joins a failed spec's catalogue.StateEntry entries.
func stateDumps(sr types.SpecReport) string {
	dumps := catalogue.StringEntries(sr, catalogue.StateEntry)
	for i := range dumps {
		dumps[i] = strings.TrimSpace(dumps[i])
	}
	return strings.Join(dumps, "\n")
}

func (c *SpecCounts) add(sr types.SpecReport) {
	c.Total++
	switch {
	case wasInterrupted(sr):
		c.Interrupted++
	case sr.Failed():
		c.Failed++
	case sr.State == types.SpecStatePassed:
		c.Passed++
	case sr.State == types.SpecStateSkipped && catalogue.BlockedBy(sr) != "":
		c.Blocked++
	case sr.State == types.SpecStateSkipped && sr.Failure.Message != "":
		c.Skipped++
	default:
		c.NotRun++
	}
}

// decide sets the verdict and the sentences that justify it.
func (r *Report) decide() {
	var incomplete, broken []string
	for _, s := range r.FailedSuiteNodes() {
		msg := fmt.Sprintf("%s failed: %s", s.Node, firstLine(s.Failure.Message))
		if isSetup(s.Node) {
			incomplete = append(incomplete, "suite setup "+msg)
		} else {
			broken = append(broken, "suite teardown "+msg)
		}
	}
	for _, msg := range r.setupFailures {
		incomplete = append(incomplete, firstLine(msg))
	}
	// An interrupt: Ginkgo records one during the suite as "Interrupted by
	// User"; the runner (internal/run) adds the signal and the phase in
	// parentheses, and records an interrupt outside the suite the same way.
	interrupted, detail := r.Totals.Specs.Interrupted > 0, ""
	var special []string
	for _, reason := range r.Special {
		if rest, ok := strings.CutPrefix(reason, interruptedByUser); ok {
			interrupted = true
			if d := strings.TrimSuffix(strings.TrimPrefix(rest, " ("), ")"); d != "" && detail == "" {
				detail = " by " + d
			}
			continue
		}
		special = append(special, reason)
	}
	switch n := r.Totals.Specs.Interrupted; {
	case n > 0:
		incomplete = append(incomplete, fmt.Sprintf("the run was interrupted%s: %s did not finish", detail, plural(n, "spec")))
	case interrupted:
		incomplete = append(incomplete, "the run was interrupted"+orDefault(detail, " by a signal"))
	}
	for _, reason := range special {
		if interrupted && strings.HasPrefix(reason, "Failed to compile") && strings.Contains(reason, "signal: ") {
			incomplete = append(incomplete, "the interrupt cut the compilation of the suite short")
			continue
		}
		incomplete = append(incomplete, "Ginkgo failed the run: "+reason)
	}
	if ran := r.Totals.Specs.Passed + r.Totals.Specs.Failed; ran == 0 {
		incomplete = append(incomplete, "no spec ran, so no behaviour was checked")
	}
	if f := r.WithResult(Failed); len(f) > 0 {
		broken = append(broken, fmt.Sprintf("%s failed: %s", plural(len(f), "behaviour"), ids(f)))
	}
	if u := r.WithResult(UnexpectedPass); len(u) > 0 {
		broken = append(broken, fmt.Sprintf("%s listed as %s now %s: %s; remove %s from %s",
			plural(len(u), "behaviour"), pick(len(u), "a deviation", "deviations"), pick(len(u), "passes", "pass"),
			ids(u), pick(len(u), "it", "them"), orDefault(r.Deviations, "the deviations file")))
	}
	// A spec blocked by a behaviour that passed its own specs did not check its
	// own behaviour for a reason the report cannot show: the target answered
	// that behaviour inconsistently. That must not pass quietly.
	result := map[string]Result{}
	for _, b := range r.Behaviours {
		result[b.ID] = b.Result
	}
	for _, b := range r.WithResult(Blocked) {
		for _, by := range b.BlockedBy {
			switch res, known := result[by]; {
			case !known:
				broken = append(broken, fmt.Sprintf("%s was blocked by %s, which is not in the catalogue", b.ID, by))
			case res == Passed || res == UnexpectedPass:
				broken = append(broken, fmt.Sprintf("%s was blocked by %s, which passed its own specs", b.ID, by))
			}
		}
	}
	if f := r.FailedUnmapped(); len(f) > 0 {
		broken = append(broken, fmt.Sprintf("%s outside the catalogue failed", plural(len(f), "spec")))
	}

	// What the profile declared keeps the gate open but still decides the
	// verdict: a core behaviour (or one of a claimed feature) that fails as a
	// listed deviation is not conformant, and one that went unchecked -
	// skipped for a capability the profile lacks, blocked, or not run - leaves
	// the run partial. A certificate cannot be had by skipping.
	var deviating, unchecked []Behaviour
	for _, b := range r.Behaviours {
		if !r.Counts(b) {
			continue
		}
		switch b.Result {
		case ExpectedFailure:
			deviating = append(deviating, b)
		case Skipped, Blocked, NotRun:
			unchecked = append(unchecked, b)
		}
	}
	var declared []string
	if len(deviating) > 0 {
		declared = append(declared, fmt.Sprintf("%s %s as listed in %s: %s", plural(len(deviating), "core or claimed behaviour"),
			pick(len(deviating), "fails", "fail"), orDefault(r.Deviations, "the deviations file"), ids(deviating)))
	}
	if len(unchecked) > 0 {
		declared = append(declared, fmt.Sprintf("%s %s not checked (skipped, blocked or not run): %s", plural(len(unchecked), "core or claimed behaviour"),
			pick(len(unchecked), "was", "were"), ids(unchecked)))
	}

	switch {
	case len(incomplete) > 0:
		r.Verdict = Incomplete
	case len(broken) > 0 || len(deviating) > 0:
		r.Verdict = NotConformant
	case len(unchecked) > 0:
		r.Verdict = Partial
	default:
		r.Verdict = Conformant
	}
	r.Gate = len(incomplete) == 0 && len(broken) == 0
	if len(incomplete) > 0 {
		declared = nil // what did not run is said once, by the incomplete reasons
	}
	for _, reason := range append(append(incomplete, broken...), declared...) {
		r.Reasons = append(r.Reasons, strings.ToUpper(reason[:1])+reason[1:])
	}
}

// features reports the support of each extended feature of the catalogue.
func (r *Report) features(c *catalogue.Catalogue) error {
	known := c.Features()
	for _, claim := range r.Target.Claims {
		if !slices.Contains(known, claim) {
			return fmt.Errorf("the profile claims feature %q, which the catalogue does not have (features: %s)", claim, strings.Join(known, ", "))
		}
	}
	for _, feature := range known {
		fr := FeatureResult{Feature: feature, Claimed: slices.Contains(r.Target.Claims, feature), Support: Unsupported}
		passed := true
		for _, b := range r.Behaviours {
			if b.Feature == feature {
				fr.Behaviours = append(fr.Behaviours, b.ID)
				passed = passed && b.Result == Passed
			}
		}
		switch {
		case fr.Claimed && passed:
			fr.Support = Supported
		case fr.Claimed:
			fr.Support = Failing
		}
		r.Features = append(r.Features, fr)
	}
	return nil
}

// specOf converts a Ginkgo spec report into report evidence.
func specOf(sr types.SpecReport, base string) Spec {
	s := Spec{
		Text:     sr.FullText(),
		Location: location(sr.LeafNodeLocation, base),
		Labels:   sr.Labels(),
		State:    sr.State.String(),
		Duration: formatDuration(sr.RunTime),
	}
	if sr.LeafNodeType.Is(types.NodeTypesForSuiteLevelNodes) {
		s.Node = sr.LeafNodeType.String()
		if s.Text == "" {
			s.Text = "[" + s.Node + "]"
		}
	}
	switch {
	case wasInterrupted(sr):
	case sr.Failed():
		msg := sr.Failure.Message
		if sr.Failure.ForwardedPanic != "" {
			msg = strings.TrimSpace(msg + "\n" + sr.Failure.ForwardedPanic)
		}
		if state := stateDumps(sr); state != "" {
			msg += "\n\nWhat the target said afterwards:\n" + state
		}
		s.Failure = &Failure{Message: msg, Location: location(sr.Failure.Location, base)}
		if sr.Failure.FailureNodeContext != types.FailureNodeIsLeafNode && sr.Failure.FailureNodeType != types.NodeTypeInvalid {
			s.Failure.Node = sr.Failure.FailureNodeType.String()
		}
	case sr.State == types.SpecStateSkipped:
		s.SkipReason = sr.Failure.Message
		s.BlockedBy = catalogue.BlockedBy(sr)
	}
	return s
}

func location(cl types.CodeLocation, base string) string {
	if cl.FileName == "" {
		return ""
	}
	file := cl.FileName
	if base != "" {
		if rel, err := filepath.Rel(base, file); err == nil && !strings.HasPrefix(rel, "..") {
			file = filepath.ToSlash(rel)
		}
	}
	return fmt.Sprintf("%s:%d", file, cl.LineNumber)
}

// isSetup reports whether a suite node runs before the specs, so that its
// failure means no spec could run.
func isSetup(node string) bool {
	switch node {
	case types.NodeTypeBeforeSuite.String(), types.NodeTypeSynchronizedBeforeSuite.String(), types.NodeTypeReportBeforeSuite.String():
		return true
	}
	return false
}

// formatDuration rounds to milliseconds: more precision is noise to a reader.
func formatDuration(d time.Duration) string {
	if d < time.Millisecond {
		return d.Round(time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func ids(bs []Behaviour) string {
	var out []string
	for _, b := range bs {
		out = append(out, b.ID)
	}
	return strings.Join(out, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "s") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
