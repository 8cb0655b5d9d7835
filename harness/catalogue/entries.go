package catalogue

import (
	"encoding/json"

	"github.com/onsi/ginkgo/v2/types"
)

// StringEntries returns the values of a spec's report entries of that name
// that hold a string (the suite records BlockedByEntry and StateEntry so).
func StringEntries(sr types.SpecReport, name string) []string {
	var out []string
	for _, e := range sr.ReportEntries {
		if e.Name != name {
			continue
		}
		var s string
		if err := json.Unmarshal([]byte(e.Value.AsJSON), &s); err == nil {
			out = append(out, s)
		}
	}
	return out
}

// BlockedBy is the behaviour a spec says blocked it (BlockedByEntry), or "".
func BlockedBy(sr types.SpecReport) string {
	if ids := StringEntries(sr, BlockedByEntry); len(ids) > 0 {
		return ids[0]
	}
	return ""
}
