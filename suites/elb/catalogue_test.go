package elb

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/harness/catalogue"
)

// dryRunEnv marks the child process TestCatalogueCoverage starts.
const dryRunEnv = "ELBCONFORM_CATALOGUE_DRY_RUN"

// TestCatalogueCoverage keeps the catalogue and the specs in step: every
// behaviour has at least one spec, every spec names at least one behaviour,
// only catalogued ones, and says each in its text. It reads the spec tree
// from a Ginkgo dry run of this same test binary in a child process (no
// target needed), using Ginkgo's own JSON report; previewing the tree in this
// process instead would disturb the real run that follows.
func TestCatalogueCoverage(t *testing.T) {
	if os.Getenv(dryRunEnv) != "" {
		t.Skip("this is the dry run the coverage test started")
	}
	out := filepath.Join(t.TempDir(), "dry-run.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestConformance$", "-ginkgo.dry-run", "-ginkgo.no-color", "-ginkgo.json-report="+out)
	cmd.Env = append(os.Environ(), dryRunEnv+"=1")
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("dry run of the spec tree failed: %v\n%s", err, output)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var reports []types.Report
	if err := json.Unmarshal(raw, &reports); err != nil || len(reports) != 1 {
		t.Fatalf("reading the dry run's report: %v (%d reports)", err, len(reports))
	}

	specs := map[string]int{}
	total := 0
	for _, s := range reports[0].SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue // suite setup and teardown nodes
		}
		total++
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
	if total == 0 {
		t.Fatal("the dry run listed no specs")
	}
	t.Logf("%d behaviours, %d specs", len(behaviours.Behaviours), total)
}
