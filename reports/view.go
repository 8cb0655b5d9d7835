package reports

import (
	"fmt"
	"strings"
	"time"
)

// ResultLabel is a result as the pages show it, in words.
func ResultLabel(r Result) string { return strings.ReplaceAll(string(r), "-", " ") }

// productLine names what was tested in one phrase, for headlines.
func productLine(t Target) string {
	name := strings.TrimSpace(t.Product + " " + t.ProductVersion)
	switch {
	case name != "":
		return name
	case t.Target != "":
		return t.Target
	}
	return "an unnamed target"
}

// readableDate shows an RFC 3339 date the way people write it.
func readableDate(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// targetRows are the run details both pages show, in the same order.
func targetRows(r *Report) [][2]string {
	t := r.Target
	unknown := func(s string) string { return orDefault(s, "unknown") }
	target := unknown(t.Target)
	if t.Profile != "" {
		target += " (profile " + t.Profile + ")"
	}
	rows := [][2]string{
		{"Product", unknown(strings.TrimSpace(t.Product + " " + t.ProductVersion))},
		{"Target", target},
		{"Endpoint", unknown(t.Endpoint)},
		{"Region", unknown(t.Region)},
		{"Suite version", r.SuiteVersion},
		{"Date", unknown(readableDate(r.Date))},
		{"Duration", r.Duration},
	}
	if r.Retries != nil {
		rows = append(rows, [2]string{"Retried calls", fmt.Sprintf("%d (%d throttled)", r.Retries.Retries, r.Retries.Throttled)})
	}
	for _, extra := range [][2]string{{"Organization", t.Organization}, {"Product URL", t.URL}, {"Contact", t.Contact}} {
		if extra[1] != "" {
			rows = append(rows, extra)
		}
	}
	rows = append(rows, [2]string{"Claimed features", orDefault(strings.Join(t.Claims, ", "), "none")})
	if len(t.Lacks) > 0 {
		rows = append(rows, [2]string{"Lacks", strings.Join(t.Lacks, ", ")})
	}
	if r.Deviations != "" {
		rows = append(rows, [2]string{"Deviations file", r.Deviations})
	}
	return rows
}
