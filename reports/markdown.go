package reports

import (
	"fmt"
	"strings"
)

// maxMarkdownMessage caps each failure message in conformance.md: GitHub
// job summaries are limited to 1 MiB, and the full text is in the YAML.
const maxMarkdownMessage = 4000

// resultIcons give each result a colour in Markdown, which has no styling.
var resultIcons = map[Result]string{
	Passed:          "✅",
	Failed:          "❌",
	UnexpectedPass:  "⚠️",
	ExpectedFailure: "🟡",
	Blocked:         "🚧",
	Skipped:         "⏭️",
	Interrupted:     "⏹️",
	NotRun:          "⚪",
}

var verdictIcons = map[Verdict]string{
	Conformant:    "✅",
	Partial:       "🟠",
	NotConformant: "❌",
	Incomplete:    "⚠️",
}

// Markdown renders conformance.md: the summary for a pull request comment or
// a CI job summary, failures first and the full table last.
func Markdown(r *Report) []byte {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }

	p("# %s %s\n\n", verdictIcons[r.Verdict], r.Verdict)
	p("elbconform conformance report for **%s**.\n\n", mdEscape(productLine(r.Target)))
	for _, reason := range r.Reasons {
		p("- %s\n", mdEscape(reason))
	}
	if len(r.Reasons) > 0 {
		p("\n")
	}

	// Totals: one row so it reads like a scoreboard.
	p("| Behaviours |")
	for _, res := range ScoreOrder {
		p(" %s %s |", resultIcons[res], ResultLabel(res))
	}
	p("\n|---:|")
	for range ScoreOrder {
		p("---:|")
	}
	p("\n| %d |", r.Totals.Overall.Behaviours)
	for _, res := range ScoreOrder {
		p(" %d |", r.Totals.Overall.Of(res))
	}
	s := r.Totals.Specs
	p("\n\nSpecs: %d passed, %d failed, %d blocked, %d skipped, %d interrupted, %d not run, of %d.\n\n", s.Passed, s.Failed, s.Blocked, s.Skipped, s.Interrupted, s.NotRun, s.Total)

	p("| Run | |\n|---|---|\n")
	for _, row := range targetRows(r) {
		p("| %s | %s |\n", row[0], mdEscape(row[1]))
	}

	if nodes := r.FailedSuiteNodes(); len(nodes) > 0 {
		p("\n## Suite setup and teardown failures\n\n")
		for _, n := range nodes {
			mdSpecFailure(&b, n)
		}
	}

	if failed := r.WithResult(Failed); len(failed) > 0 {
		p("\n## Unexpected failures\n")
		for _, bh := range failed {
			p("\n### `%s` %s\n\n%s\n\n", bh.ID, mdEscape(bh.Operation), mdEscape(bh.Summary))
			for _, sp := range bh.Specs {
				if sp.Failure != nil {
					mdSpecFailure(&b, sp)
				}
			}
		}
	}
	if failed := r.FailedUnmapped(); len(failed) > 0 {
		p("\n## Failed specs outside the catalogue\n\n")
		for _, sp := range failed {
			mdSpecFailure(&b, sp)
		}
	}

	if len(r.Features) > 0 {
		p("\n## Extended features\n\nCore behaviours are required of every target; an extended feature counts only where the profile claims it.\n\n")
		p("| Feature | Claimed | Support | Behaviours |\n|---|---|---|---|\n")
		for _, fr := range r.Features {
			p("| %s | %s | %s | %s |\n", mdEscape(fr.Feature), yesNo(fr.Claimed), fr.Support, mdEscape(strings.Join(fr.Behaviours, ", ")))
		}
	}

	if devs := r.DeviationBehaviours(); len(devs) > 0 {
		p("\n## Deviations\n\nListed in %s as known to fail on this target.\n\n", mdEscape(orDefault(r.Deviations, "the deviations file")))
		p("| Result | Behaviour | Reason |\n|---|---|---|\n")
		for _, bh := range devs {
			p("| %s | `%s` | %s |\n", mdResult(bh.Result), bh.ID, mdEscape(bh.Reason))
		}
	}

	p("\n## Behaviours by operation\n")
	for _, op := range r.Operations() {
		p("\n### %s\n\n", mdEscape(op.Name))
		p("| Result | Behaviour | Summary | Certainty |\n|---|---|---|---|\n")
		for _, bh := range op.Behaviours {
			summary := mdEscape(bh.Summary)
			if bh.Reason != "" {
				summary += " <br>*" + mdEscape(bh.Reason) + "*"
			}
			p("| %s | `%s` | %s | %s |\n", mdResult(bh.Result), bh.ID, summary, mdEscape(bh.Certainty))
		}
	}

	if len(r.Unmapped) > 0 {
		p("\n## Specs not tied to a catalogue behaviour\n\n")
		for _, sp := range r.Unmapped {
			why := "names no behaviour"
			if len(sp.Unknown) > 0 {
				why = "names unknown " + mdEscape(strings.Join(sp.Unknown, ", "))
			}
			p("- %s (%s, %s) at `%s`\n", mdEscape(sp.Text), why, sp.State, sp.Location)
		}
	}
	p("\n---\nSuite %s. Full details: conformance.html, conformance.yaml.\n", mdEscape(r.SuiteVersion))
	return []byte(b.String())
}

// mdSpecFailure writes one failed spec with its message in a code block,
// where nothing needs escaping.
func mdSpecFailure(b *strings.Builder, sp Spec) {
	where := sp.Failure.Location
	if sp.Failure.Node != "" {
		where = "in " + sp.Failure.Node + " at " + where
	}
	fmt.Fprintf(b, "**%s** (%s, %s)  \n%s\n\n", mdEscape(sp.Text), sp.State, sp.Duration, mdEscape(where))
	msg := sp.Failure.Message
	if len(msg) > maxMarkdownMessage {
		msg = msg[:maxMarkdownMessage] + "\n… (truncated; the full message is in conformance.yaml)"
	}
	fence := codeFence(msg)
	fmt.Fprintf(b, "%s\n%s\n%s\n\n", fence, msg, fence)
}

func mdResult(r Result) string { return resultIcons[r] + " " + ResultLabel(r) }

// mdReplacer neutralises Markdown and HTML syntax in text from specs and
// catalogues: GitHub renders inline HTML, and a stray "|" breaks a table.
var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "\r\n", " ", "\n", " ",
)

func mdEscape(s string) string { return mdReplacer.Replace(s) }

// codeFence returns a fence longer than any run of backticks in s, so a
// message containing ``` cannot close its own code block.
func codeFence(s string) string {
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
