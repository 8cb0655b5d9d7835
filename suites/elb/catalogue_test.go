package elb

import (
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/harness/catalogue"
)

// TestCatalogueCoverage keeps the catalogue and the specs in step: every
// behaviour has at least one spec, every spec names at least one behaviour,
// only catalogued ones, and says each in its text. It previews the spec tree
// without running it, so it needs no target.
func TestCatalogueCoverage(t *testing.T) {
	report := PreviewSpecs("ELB Classic conformance (catalogue coverage)")
	specs := map[string]int{}
	for _, s := range report.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue // suite setup and teardown nodes
		}
		ids := catalogue.BehaviourIDs(s.Labels())
		if len(ids) == 0 {
			t.Errorf("spec %q names no behaviour ID", s.FullText())
		}
		for _, id := range ids {
			if _, ok := behaviours.Get(id); !ok {
				t.Errorf("spec %q names %s, which is not in %s", s.FullText(), id, catalogueFile)
			}
			if !strings.Contains(s.FullText(), "["+id+"]") {
				t.Errorf("spec %q is labelled %s but does not say [%s] in its text", s.FullText(), id, id)
			}
			specs[id]++
		}
	}
	for _, b := range behaviours.Behaviours {
		if specs[b.ID] == 0 {
			t.Errorf("behaviour %s (%s) has no spec", b.ID, b.Summary)
		}
	}
	if t.Failed() {
		return
	}
	t.Logf("%d behaviours, %d specs", len(behaviours.Behaviours), len(report.SpecReports))
}
