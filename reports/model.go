// Package reports turns a Ginkgo JSON report of the conformance suite into
// the documents a reader acts on: conformance.yaml (machine readable, the
// record of a run), conformance.html (one self-contained page for people) and
// conformance.md (the same summary for a pull request or CI job summary). It
// also computes the gate, the single yes/no answer CI uses, and packs and
// verifies certification bundles.
//
// Results are given per behaviour of the catalogue rather than per spec,
// because behaviours are what a target claims to implement; specs are the
// evidence listed under each one.
package reports

import (
	"slices"

	"github.com/elbconform/elbconform/harness/catalogue"
)

// Verdict is the one-word answer at the top of every report: the
// certificate. It is computed from tiers (behaviours.yaml): CONFORMANT needs
// every core behaviour, and every behaviour of each extended feature the
// profile claims, to pass.
type Verdict string

const (
	// Conformant: every core behaviour passed, and every behaviour of each
	// claimed extended feature.
	Conformant Verdict = "CONFORMANT"
	// Partial: nothing failed, but core behaviours (or behaviours of a
	// claimed feature) went unchecked: skipped because the profile lacks a
	// capability, or not run (a label filter). Never a certificate.
	Partial Verdict = "PARTIAL"
	// NotConformant: a core behaviour or a behaviour of a claimed feature
	// failed (listed as a deviation or not), a listed deviation now passes,
	// or the run contradicts itself.
	NotConformant Verdict = "NOT CONFORMANT"
	// Incomplete: the run cannot support a verdict: suite setup failed,
	// nothing ran, or Ginkgo flagged the run (interrupted, focused...).
	Incomplete Verdict = "INCOMPLETE"
)

// The report contract: conformance.yaml (and any JSON encoding of Report)
// carries these, so a reader can tell which schema a file follows.
const (
	APIVersion = "elbconform.dev/v1alpha1"
	Kind       = "ConformanceReport"
)

// Feature support, per extended feature of the catalogue.
const (
	Supported   = "supported"   // claimed, and every behaviour of it passed
	Unsupported = "unsupported" // not claimed by the profile
	Failing     = "failing"     // claimed, and some behaviour of it did not pass
)

// Result is the outcome of one behaviour.
type Result string

const (
	Passed          Result = "passed"
	Failed          Result = "failed"
	Skipped         Result = "skipped"
	ExpectedFailure Result = "expected-failure"
	UnexpectedPass  Result = "unexpected-pass"
	// Blocked: a spec could not check the behaviour because another
	// behaviour it needs as a precondition failed; the reason names it.
	Blocked Result = "blocked"
	// Interrupted: the run was interrupted while a spec of it ran.
	Interrupted Result = "interrupted"
	NotRun      Result = "not-run"
)

// Results lists every result in the order reports show them: the ones that
// need attention first.
var Results = []Result{Failed, UnexpectedPass, Interrupted, ExpectedFailure, Blocked, Skipped, NotRun, Passed}

// ScoreOrder is the order of the count tiles and the Markdown totals: they
// read as a score, so passed comes first.
var ScoreOrder = []Result{Passed, Failed, UnexpectedPass, ExpectedFailure, Blocked, Skipped, Interrupted, NotRun}

// Report is a whole conformance report. Its YAML form is conformance.yaml;
// the HTML and Markdown pages are views of the same value, so the three can
// never disagree.
type Report struct {
	APIVersion string  `yaml:"apiVersion" json:"apiVersion"`
	Kind       string  `yaml:"kind" json:"kind"`
	Verdict    Verdict `yaml:"verdict"`
	// Gate is the exit status's answer: true when the run is complete and
	// everything that did not pass is declared by the profile (a listed
	// deviation, a capability it lacks, a feature it does not claim). It lets
	// CI track a target with known deviations; only the verdict certifies.
	Gate bool `yaml:"gate"`
	// Reasons explains the verdict in sentences, most serious first.
	Reasons []string `yaml:"reasons,omitempty"`
	Target  Target   `yaml:"target"`
	// Features is the support of each extended feature of the catalogue.
	Features     []FeatureResult `yaml:"features,omitempty"`
	SuiteVersion string          `yaml:"suiteVersion"`
	// Date is when the run started (RFC 3339, UTC), not when the report was
	// generated, so regenerating a report does not change it.
	Date       string      `yaml:"date"`
	Duration   string      `yaml:"duration"`
	Retries    *Retries    `yaml:"retries,omitempty"`
	Deviations string      `yaml:"deviations,omitempty"` // file the deviations came from
	Totals     Totals      `yaml:"totals"`
	SuiteNodes []Spec      `yaml:"suiteNodes,omitempty"` // setup and teardown nodes
	Behaviours []Behaviour `yaml:"behaviours"`
	Unmapped   []Spec      `yaml:"unmappedSpecs,omitempty"`
	// Special holds Ginkgo's own reasons for failing the suite (for
	// example "Interrupted by User"), which no spec reports.
	Special []string `yaml:"ginkgoFailureReasons,omitempty"`
	// setupFailures are the messages of specs that stopped the run for a setup
	// failure (stoppedForSetup); decide gives them as reasons.
	setupFailures []string
}

// Target describes what the suite ran against. The suite records it as the
// report entry "elbconform/target"; product and version may be overridden
// by the person generating the report.
//
// It is the one type of the run's description: the suite records a Target as
// its report entry and the report builder reads the same type back.
type Target struct {
	Target         string `yaml:"target,omitempty" json:"target"`
	Profile        string `yaml:"profile,omitempty" json:"profile"`
	Endpoint       string `yaml:"endpoint,omitempty" json:"endpoint"`
	Region         string `yaml:"region,omitempty" json:"region"`
	Product        string `yaml:"product,omitempty" json:"product"`
	ProductVersion string `yaml:"productVersion,omitempty" json:"productVersion"`
	// Organization, URL and Contact say who makes the product and how to
	// reach them (CONFORMANCE_ORGANIZATION, _PRODUCT_URL, _CONTACT).
	Organization string `yaml:"organization,omitempty" json:"organization,omitempty"`
	URL          string `yaml:"url,omitempty" json:"url,omitempty"`
	Contact      string `yaml:"contact,omitempty" json:"contact,omitempty"`
	Description  string `yaml:"description,omitempty" json:"description,omitempty"`
	RunID        string `yaml:"runID,omitempty" json:"runID,omitempty"`
	// Claims are the extended features the profile claims; Lacks the
	// capability labels it declares the target lacks.
	Claims []string `yaml:"claims,omitempty" json:"claims,omitempty"`
	Lacks  []string `yaml:"lacks,omitempty" json:"lacks,omitempty"`
}

// FeatureResult is the support of one extended feature.
type FeatureResult struct {
	Feature    string   `yaml:"feature"`
	Claimed    bool     `yaml:"claimed"`
	Support    string   `yaml:"support"` // Supported, Unsupported or Failing
	Behaviours []string `yaml:"behaviours"`
}

// Retries counts the API calls the suite's client retried, from the report
// entry "elbconform/retries". Many throttled retries explain slow runs and
// can hide rate-limit behaviour, so they are shown next to the target.
type Retries struct {
	Retries   int `yaml:"retries" json:"retries"`
	Throttled int `yaml:"throttled" json:"throttled"`
}

// Behaviour is one catalogue behaviour with its result and evidence.
type Behaviour struct {
	ID        string   `yaml:"id"`
	Operation string   `yaml:"operation"`
	Summary   string   `yaml:"summary"`
	Source    string   `yaml:"source"`
	Certainty string   `yaml:"certainty"`
	Needs     []string `yaml:"needs,omitempty"`
	Tier      string   `yaml:"tier"`
	Feature   string   `yaml:"feature,omitempty"`
	Result    Result   `yaml:"result"`
	// Reason is the skip reason for a skipped behaviour, the failed
	// precondition of a blocked one, or the deviation reason for a behaviour
	// listed in the deviations file.
	Reason string `yaml:"reason,omitempty"`
	// BlockedBy lists the behaviours whose failure kept a spec of this one
	// from checking it.
	BlockedBy []string `yaml:"blockedBy,omitempty"`
	// Deviation is true when the behaviour is listed in the deviations
	// file, whatever its result.
	Deviation bool   `yaml:"deviation,omitempty"`
	Specs     []Spec `yaml:"specs,omitempty"`
}

// Spec is one Ginkgo spec (or suite node) as evidence.
type Spec struct {
	Text     string   `yaml:"text"`
	Node     string   `yaml:"node,omitempty"` // set for suite nodes, e.g. SynchronizedBeforeSuite
	Location string   `yaml:"location,omitempty"`
	Labels   []string `yaml:"labels,omitempty"`
	// State is Ginkgo's: passed, failed, skipped, pending, panicked,
	// timedout, interrupted or aborted.
	State    string   `yaml:"state"`
	Duration string   `yaml:"duration"`
	Failure  *Failure `yaml:"failure,omitempty"`
	// SkipReason is the message given to Skip(); a spec skipped by a label
	// filter has none.
	SkipReason string `yaml:"skipReason,omitempty"`
	// BlockedBy is the behaviour whose failure kept this spec from going on.
	BlockedBy string `yaml:"blockedBy,omitempty"`
	// Unknown lists behaviour IDs the spec names that the catalogue lacks
	// (only for unmapped specs).
	Unknown []string `yaml:"unknownBehaviours,omitempty"`
}

// Failure is where and why a spec failed.
type Failure struct {
	Message  string `yaml:"message"`
	Location string `yaml:"location,omitempty"`
	// Node names the node that failed when it is not the spec itself, for
	// example "BeforeEach", so a reader looks in the right place.
	Node string `yaml:"node,omitempty"`
}

// Totals counts behaviours by result, overall and per operation, and specs
// by state.
type Totals struct {
	Overall     Counts           `yaml:"overall"`
	Specs       SpecCounts       `yaml:"specs"`
	ByOperation []OperationCount `yaml:"byOperation"`
}

// Counts is how many behaviours ended with each result.
type Counts struct {
	Behaviours      int `yaml:"behaviours"`
	Passed          int `yaml:"passed"`
	Failed          int `yaml:"failed"`
	Skipped         int `yaml:"skipped"`
	ExpectedFailure int `yaml:"expectedFailure"`
	UnexpectedPass  int `yaml:"unexpectedPass"`
	Blocked         int `yaml:"blocked"`
	Interrupted     int `yaml:"interrupted"`
	NotRun          int `yaml:"notRun"`
}

// Of returns the count for one result.
func (c Counts) Of(r Result) int {
	switch r {
	case Passed:
		return c.Passed
	case Failed:
		return c.Failed
	case Skipped:
		return c.Skipped
	case ExpectedFailure:
		return c.ExpectedFailure
	case UnexpectedPass:
		return c.UnexpectedPass
	case Blocked:
		return c.Blocked
	case Interrupted:
		return c.Interrupted
	case NotRun:
		return c.NotRun
	}
	return 0
}

func (c *Counts) add(r Result) {
	c.Behaviours++
	switch r {
	case Passed:
		c.Passed++
	case Failed:
		c.Failed++
	case Skipped:
		c.Skipped++
	case ExpectedFailure:
		c.ExpectedFailure++
	case UnexpectedPass:
		c.UnexpectedPass++
	case Blocked:
		c.Blocked++
	case Interrupted:
		c.Interrupted++
	case NotRun:
		c.NotRun++
	}
}

// OperationCount is Counts for one API operation.
type OperationCount struct {
	Operation string `yaml:"operation"`
	Counts    `yaml:",inline"`
}

// SpecCounts counts the specs of the run (suite nodes excluded) by state.
// NotRun covers specs skipped without a reason (label filters) and pending
// ones.
type SpecCounts struct {
	Total       int `yaml:"total"`
	Passed      int `yaml:"passed"`
	Failed      int `yaml:"failed"`
	Blocked     int `yaml:"blocked"`
	Skipped     int `yaml:"skipped"`
	Interrupted int `yaml:"interrupted"`
	NotRun      int `yaml:"notRun"`
}

// Counts reports whether a behaviour counts towards the verdict: core ones,
// and those of a feature the profile claims.
func (r *Report) Counts(b Behaviour) bool {
	return b.Tier != catalogue.Extended || slices.Contains(r.Target.Claims, b.Feature)
}

// Operation groups a report's behaviours for the per-operation views.
type Operation struct {
	Name       string
	Counts     Counts
	Behaviours []Behaviour
}

// Operations returns the behaviours grouped by operation, operations sorted
// by name and behaviours in catalogue order within each.
func (r *Report) Operations() []Operation {
	var ops []Operation
	for _, oc := range r.Totals.ByOperation {
		op := Operation{Name: oc.Operation, Counts: oc.Counts}
		for _, b := range r.Behaviours {
			if b.Operation == oc.Operation {
				op.Behaviours = append(op.Behaviours, b)
			}
		}
		ops = append(ops, op)
	}
	return ops
}

// WithResult returns the behaviours that ended with any of the results.
func (r *Report) WithResult(results ...Result) []Behaviour {
	var out []Behaviour
	for _, b := range r.Behaviours {
		for _, res := range results {
			if b.Result == res {
				out = append(out, b)
				break
			}
		}
	}
	return out
}

// DeviationBehaviours returns the behaviours listed in the deviations file.
func (r *Report) DeviationBehaviours() []Behaviour {
	var out []Behaviour
	for _, b := range r.Behaviours {
		if b.Deviation {
			out = append(out, b)
		}
	}
	return out
}

// FailedSuiteNodes returns the setup and teardown nodes that failed.
func (r *Report) FailedSuiteNodes() []Spec {
	var out []Spec
	for _, s := range r.SuiteNodes {
		if s.Failure != nil {
			out = append(out, s)
		}
	}
	return out
}

// FailedUnmapped returns the failed specs that belong to no catalogue
// behaviour: they fail the gate like any other failure.
func (r *Report) FailedUnmapped() []Spec {
	var out []Spec
	for _, s := range r.Unmapped {
		if s.Failure != nil {
			out = append(out, s)
		}
	}
	return out
}
