package reports

import (
	"encoding/json"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/harness/catalogue"
)

// A spec whose fixture was refused for an account quota stops the run
// (fixtures.quotaRefused) with catalogue.SetupFailureEntry: the run is
// incomplete, for that reason, and the spec's behaviour did not fail.
func TestSetupFailureInASpecIsNotAFailedBehaviour(t *testing.T) {
	msg := "setup: CreateLoadBalancer ec-1 was refused for an account quota (TooManyLoadBalancers: ...)"
	sr := it("checks REG-RESP-MEMBERSHIP", types.SpecStateAborted, msg, "REG-RESP-MEMBERSHIP")
	sr.Failure.FailureNodeType = types.NodeTypeIt
	value, _ := json.Marshal(msg)
	sr.ReportEntries = types.ReportEntries{{Name: catalogue.SetupFailureEntry, Value: types.ReportEntryValue{AsJSON: string(value)}}}
	g := generate(t, passingExcept(map[string]types.SpecReport{"REG-RESP-MEMBERSHIP": sr}), Options{})
	g.wantVerdict(t, Incomplete, false)
	wantReason(t, g, "CreateLoadBalancer ec-1 was refused for an account quota")
	for _, b := range g.yaml.Behaviours {
		if b.ID == "REG-RESP-MEMBERSHIP" && b.Result == Failed {
			t.Errorf("REG-RESP-MEMBERSHIP failed: a setup failure is not a failed behaviour")
		}
	}
}
