// Package catalogue loads the behaviour catalogue: the list of documented
// behaviours the conformance suite encodes, each with the source it rests on.
// Specs name behaviours by ID (as Ginkgo labels), and reports group results by
// them, so this package is shared by the suite, its self-check and the report
// generator.
package catalogue

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"

	"sigs.k8s.io/yaml"
)

// Certainty says how sure we are that AWS behaves as a behaviour states.
const (
	Modelled   = "modelled"   // in the service model (SDK / botocore JSON)
	Documented = "documented" // stated in an AWS guide or API reference page
	Observed   = "observed"   // seen in real AWS answers, not stated in the docs
	Believed   = "believed"   // consistent with the docs but not stated; specs are lenient
)

// BlockedByEntry is the Ginkgo report entry a spec adds, with a behaviour ID
// as its value, when it stops because that behaviour - a precondition of its
// own - failed: the report then shows the spec as blocked by it rather than
// as a failure of the behaviour it was written for.
const BlockedByEntry = "elbconform/blocked-by"

// SetupFailureEntry is the report entry, with the message, of a spec that stopped the
// run because the account lacked room the run needs (a quota refusal in a fixture,
// fixtures.quotaRefused): a setup failure of the run, not a failure of the spec's
// behaviour.
const SetupFailureEntry = "elbconform/setup-failure"

// StateEntry is the report entry a failed spec gets for each load balancer it
// created: the target's view of it after the failure, which reports show
// under the failure.
const StateEntry = "elbconform/state"

// idPattern is what makes a Ginkgo label a behaviour ID rather than a
// capability label such as "health" or "wire": capability labels are lower
// case, behaviour IDs upper case.
var idPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// IsBehaviourID reports whether a label has the shape of a behaviour ID.
func IsBehaviourID(label string) bool { return idPattern.MatchString(label) }

// Tiers, as the Gateway API conformance suite has them: every conformant
// target honours every core behaviour; an extended behaviour belongs to a
// feature that a target's profile may claim or not.
const (
	Core     = "core"
	Extended = "extended"
)

// Behaviour is one documented promise of the API.
type Behaviour struct {
	ID        string   `json:"id"`
	Operation string   `json:"operation"`
	Summary   string   `json:"summary"`
	Source    string   `json:"source"`
	Certainty string   `json:"certainty"`
	Needs     []string `json:"needs,omitempty"` // capability labels a target must support
	// Tier is core (the default) or extended; an extended behaviour names
	// its Feature. What may be extended is decided from the documentation,
	// never from what some target lacks.
	Tier    string `json:"tier,omitempty"`
	Feature string `json:"feature,omitempty"`
}

// IsCore reports whether every conformant target must honour b.
func (b Behaviour) IsCore() bool { return b.Tier != Extended }

// Catalogue is the whole behaviour list, in file order.
type Catalogue struct {
	Behaviours []Behaviour `json:"behaviours"`
	byID       map[string]*Behaviour
}

// Load reads and validates a catalogue file.
func Load(path string) (*Catalogue, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("behaviour catalogue: %w", err)
	}
	return Parse(raw)
}

// Parse validates a catalogue: every ID well formed and unique, every entry
// complete, so a typo surfaces here rather than as a behaviour with no spec.
func Parse(raw []byte) (*Catalogue, error) {
	var c Catalogue
	if err := yaml.UnmarshalStrict(raw, &c); err != nil {
		return nil, fmt.Errorf("behaviour catalogue: %w", err)
	}
	c.byID = make(map[string]*Behaviour, len(c.Behaviours))
	for i := range c.Behaviours {
		b := &c.Behaviours[i]
		switch {
		case !IsBehaviourID(b.ID):
			return nil, fmt.Errorf("behaviour catalogue: %q is not a behaviour ID (upper case words joined by hyphens)", b.ID)
		case c.byID[b.ID] != nil:
			return nil, fmt.Errorf("behaviour catalogue: %s is listed twice", b.ID)
		case b.Operation == "" || b.Summary == "" || b.Source == "":
			return nil, fmt.Errorf("behaviour catalogue: %s needs an operation, a summary and a source", b.ID)
		}
		switch b.Certainty {
		case Modelled, Documented, Observed, Believed:
		default:
			return nil, fmt.Errorf("behaviour catalogue: %s has certainty %q; want one of modelled, documented, observed, believed", b.ID, b.Certainty)
		}
		if b.Tier == "" {
			b.Tier = Core
		}
		switch {
		case b.Tier != Core && b.Tier != Extended:
			return nil, fmt.Errorf("behaviour catalogue: %s has tier %q; want core or extended", b.ID, b.Tier)
		case b.Tier == Extended && b.Feature == "":
			return nil, fmt.Errorf("behaviour catalogue: %s is extended and needs the feature it belongs to", b.ID)
		case b.Tier == Core && b.Feature != "":
			return nil, fmt.Errorf("behaviour catalogue: %s is core; only extended behaviours belong to a feature", b.ID)
		}
		c.byID[b.ID] = b
	}
	return &c, nil
}

// Features lists the extended features, in catalogue order.
func (c *Catalogue) Features() []string {
	var out []string
	for _, b := range c.Behaviours {
		if b.Feature != "" && !slices.Contains(out, b.Feature) {
			out = append(out, b.Feature)
		}
	}
	return out
}

// Get returns the behaviour with the given ID.
func (c *Catalogue) Get(id string) (Behaviour, bool) {
	b, ok := c.byID[id]
	if !ok {
		return Behaviour{}, false
	}
	return *b, true
}

// Operations lists the operations that have behaviours, sorted.
func (c *Catalogue) Operations() []string {
	seen := map[string]bool{}
	var ops []string
	for _, b := range c.Behaviours {
		if !seen[b.Operation] {
			seen[b.Operation] = true
			ops = append(ops, b.Operation)
		}
	}
	sort.Strings(ops)
	return ops
}

// BehaviourIDs picks the behaviour IDs out of a spec's labels.
func BehaviourIDs(labels []string) []string {
	var ids []string
	for _, l := range labels {
		if IsBehaviourID(l) {
			ids = append(ids, l)
		}
	}
	return ids
}

// Deviation is a behaviour a target is known to break, listed so that the
// report shows it as an expected failure rather than hiding it.
type Deviation struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
	// Spec names the spec that shows it, Answered what the target answered
	// there (status or body), and AWS the source saying AWS answers
	// otherwise: a measured deviation says all three.
	Spec     string `json:"spec,omitempty"`
	Answered string `json:"answered,omitempty"`
	AWS      string `json:"aws,omitempty"`
}

// Explanation is the deviation in one paragraph, for reports.
func (d Deviation) Explanation() string {
	s := d.Reason
	if d.Answered != "" {
		s += " Answered: " + d.Answered
	}
	if d.AWS != "" {
		s += " AWS: " + d.AWS
	}
	if d.Spec != "" {
		s += " (spec: " + d.Spec + ")"
	}
	return s
}

// Deviations is a target profile's list of known deviations.
type Deviations struct {
	Profile    string      `json:"profile"`
	Deviations []Deviation `json:"deviations"`
}

// LoadDeviations reads a deviations file and checks every ID against the
// catalogue, so a stale entry cannot silently excuse nothing.
func LoadDeviations(path string, c *Catalogue) (*Deviations, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("deviations: %w", err)
	}
	var d Deviations
	if err := yaml.UnmarshalStrict(raw, &d); err != nil {
		return nil, fmt.Errorf("deviations %s: %w", path, err)
	}
	seen := map[string]bool{}
	for _, dv := range d.Deviations {
		if _, ok := c.Get(dv.ID); !ok {
			return nil, fmt.Errorf("deviations %s: %s is not in the behaviour catalogue", path, dv.ID)
		}
		if dv.Reason == "" {
			return nil, fmt.Errorf("deviations %s: %s needs a reason", path, dv.ID)
		}
		if seen[dv.ID] {
			return nil, fmt.Errorf("deviations %s: %s is listed twice", path, dv.ID)
		}
		seen[dv.ID] = true
	}
	return &d, nil
}
