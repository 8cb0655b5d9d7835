package reports

import (
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// An interrupt outside the suite (recorded by the runner, internal/run) and
// a compilation cut short by it read as an interrupt, not as Ginkgo failing.
func TestInterruptOutsideTheSuiteIsIncomplete(t *testing.T) {
	t.Run("while the reports were written", func(t *testing.T) {
		runs := passingExcept(nil)
		runs[0].SpecialSuiteFailureReasons = []string{"Interrupted by User (SIGTERM while the reports were written)"}
		g := generate(t, runs, Options{})
		g.wantVerdict(t, Incomplete, false)
		wantReason(t, g, "The run was interrupted by SIGTERM while the reports were written")
	})
	t.Run("while the suite compiled", func(t *testing.T) {
		runs := []types.Report{{SpecialSuiteFailureReasons: []string{
			"Failed to compile elb:\n\nsignal: interrupt",
			"Interrupted by User (SIGINT while Ginkgo compiled or ran the suite)",
		}}}
		g := generate(t, runs, Options{})
		g.wantVerdict(t, Incomplete, false)
		wantReason(t, g, "The run was interrupted by SIGINT while Ginkgo compiled or ran the suite")
		wantReason(t, g, "The interrupt cut the compilation of the suite short")
		wantReason(t, g, "No spec ran, so no behaviour was checked")
	})
	t.Run("during the specs", func(t *testing.T) {
		runs := passingExcept(map[string]types.SpecReport{
			"REG-RESP-MEMBERSHIP": it("checks REG-RESP-MEMBERSHIP", types.SpecStateInterrupted, "interrupted by user", "REG-RESP-MEMBERSHIP"),
		})
		runs[0].SpecialSuiteFailureReasons = []string{"Interrupted by User (SIGINT while the suite ran)"}
		g := generate(t, runs, Options{})
		g.wantVerdict(t, Incomplete, false)
		wantReason(t, g, "The run was interrupted by SIGINT while the suite ran: 1 spec did not finish")
		if len(g.yaml.Reasons) != 1 {
			t.Errorf("reasons %q, want one", g.yaml.Reasons)
		}
	})
	t.Run("a real compile error stays one", func(t *testing.T) {
		runs := []types.Report{{SpecialSuiteFailureReasons: []string{"Failed to compile elb:\n\nx.go:1: undefined: y"}}}
		g := generate(t, runs, Options{})
		g.wantVerdict(t, Incomplete, false)
		wantReason(t, g, "Ginkgo failed the run: Failed to compile elb:\n\nx.go:1: undefined: y")
	})
}
