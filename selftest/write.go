package selftest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"sigs.k8s.io/yaml"
)

// Report file names in the output folder.
const (
	MarkdownFile = "selftest.md"
	YAMLFile     = "selftest.yaml"
)

// Write writes selftest.md and selftest.yaml to dir.
func Write(dir string, s *Summary) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	y, err := yaml.Marshal(s)
	if err != nil {
		return err
	}
	header := "# Self-test of the elbconform suite (go run ./cmd/selftest); see selftest.md.\n"
	if err := os.WriteFile(filepath.Join(dir, YAMLFile), append([]byte(header), y...), 0o644); err != nil {
		return err
	}
	var md strings.Builder
	Markdown(&md, s)
	return os.WriteFile(filepath.Join(dir, MarkdownFile), []byte(md.String()), 0o644)
}

// Markdown renders the summary as the selftest.md page.
func Markdown(w io.Writer, s *Summary) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("# Self-test of the elbconform suite\n\n")
	p("The suite ran against the reference emulator once as it is (the baseline), once per fault mode " +
		"(each breaks exactly one documented promise: at least one spec must fail, the fault is **killed**) " +
		"and once per benign variant (each does something the documentation allows: every spec must pass, the variant **held**).\n\n")
	if s.OK {
		p("**Result: PASS.** The baseline passed, every fault mode was killed and every variant held.\n\n")
	} else {
		p("**Result: FAIL.**\n\n")
		for _, pr := range s.Problems {
			p("- %s\n", md(pr))
		}
		p("\n")
	}
	st := s.Settings
	p("Total wall time %s; %d runs at a time, each `ginkgo %s` against its own emulator (profile `%s`, registration delay %s, instance start delay %s, health-check scale %g, time limit %s per run).",
		s.Total, st.Parallel, procsFlag(st.GinkgoProcs), st.Profile, st.RegistrationDelay, st.InstanceStartDelay, st.HealthCheckScale, st.RunTimeout)
	if len(st.Only) > 0 {
		p(" Only: %s.", strings.Join(st.Only, ", "))
	}
	p("\n\n")

	baseFailed := s.Baseline != nil && s.Baseline.Verdict == Failed
	if baseFailed {
		p("> **The baseline failed**: the suite fails against the correct emulator, so the verdicts below are not to be trusted. " +
			"The column *Beyond the baseline* lists the behaviours whose specs failed in that run but passed in the baseline; " +
			"the coverage view counts only those.\n\n")
	}
	p("## Baseline\n\n")
	if b := s.Baseline; b != nil {
		p("| Verdict | Specs | Failing behaviours | Wall |\n|---|---|---|---|\n")
		p("| %s | %s | %s | %s |\n\n", verdictCell(*b), counts(b.Specs), idsCell(b.Behaviours), b.WallStr)
		details(w, *b)
	} else {
		p("No baseline run.\n\n")
	}

	p("## Fault modes\n\n")
	killed := 0
	for _, o := range s.Faults {
		if o.Verdict == Killed {
			killed++
		}
	}
	p("%d of %d killed.\n\n", killed, len(s.Faults))
	modeTable(w, "Fault mode", s.Faults, baseFailed)

	p("## Benign variants\n\n")
	held := 0
	for _, o := range s.Variants {
		if o.Verdict == Held {
			held++
		}
	}
	p("%d of %d held.\n\n", held, len(s.Variants))
	modeTable(w, "Variant", s.Variants, baseFailed)
	for _, o := range s.Variants {
		details(w, o)
	}

	p("## Coverage by behaviour\n\n")
	p("For each catalogued behaviour, the fault modes under which one of its specs failed. ")
	p("A behaviour no fault mode reached is **unguarded**: no fault in the emulator checks that its specs can fail.\n\n")
	p("| Behaviour | Operation | Certainty | Killed by | False alarms |\n|---|---|---|---|---|\n")
	for _, r := range s.Coverage {
		by := "**unguarded**"
		if len(r.KilledBy) > 0 {
			by = codeList(r.KilledBy)
		}
		p("| %s | %s | %s | %s | %s |\n", r.ID, r.Operation, r.Certainty, by, codeList(r.FalseAlarms))
	}
	p("\n")
	if len(s.Unguarded) > 0 {
		p("Unguarded behaviours (%d of %d)%s: %s.\n\n", len(s.Unguarded), len(s.Coverage), subsetNote(s), strings.Join(s.Unguarded, ", "))
	} else {
		p("Every behaviour is guarded by at least one fault mode.\n\n")
	}

	p("## Failures of the fault runs\n\n")
	p("What made each fault mode fail (the first line of each failure; the full text is in `%s/<mode>/report.json`).\n\n", RunsDir)
	for _, o := range s.Faults {
		details(w, o)
	}
}

func modeTable(w io.Writer, title string, outs []Outcome, baseFailed bool) {
	if baseFailed {
		fmt.Fprintf(w, "| %s | Description | Verdict | Failing behaviours | Beyond the baseline | Wall |\n|---|---|---|---|---|---|\n", title)
	} else {
		fmt.Fprintf(w, "| %s | Description | Verdict | Failing behaviours | Wall |\n|---|---|---|---|---|\n", title)
	}
	for _, o := range outs {
		fmt.Fprintf(w, "| `%s` | %s | %s | %s |", o.Name, md(o.Description), verdictCell(o), idsCell(o.Behaviours))
		if baseFailed {
			fmt.Fprintf(w, " %s |", idsCell(o.BeyondBaseline))
		}
		fmt.Fprintf(w, " %s |\n", o.WallStr)
	}
	fmt.Fprintln(w)
}

// details lists a run's failures or error, if any.
func details(w io.Writer, o Outcome) {
	if o.Error == "" && len(o.Failures) == 0 {
		return
	}
	fmt.Fprintf(w, "### %s `%s`: %s\n\n", o.Kind, o.Name, o.Verdict)
	if o.Error != "" {
		fmt.Fprintf(w, "%s\n\n", md(o.Error))
	}
	for _, f := range o.Failures {
		where := ""
		if f.Node != "" {
			where = " (in " + f.Node + ")"
		}
		fmt.Fprintf(w, "- %s%s — %s%s: %s\n", idsCell(f.Behaviours), where, f.State, locCell(f.Location), md(f.Message))
	}
	if o.ReportDir != "" {
		fmt.Fprintf(w, "\nReport and log: `%s`\n", o.ReportDir)
	}
	fmt.Fprintln(w)
}

// Table prints the verdicts as a plain-text table (for the terminal).
func Table(w io.Writer, s *Summary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tMODE\tVERDICT\tWALL\tFAILING BEHAVIOURS / ERROR")
	var all []Outcome
	if s.Baseline != nil {
		all = append(all, *s.Baseline)
	}
	all = append(all, s.Faults...)
	all = append(all, s.Variants...)
	for _, o := range all {
		v := string(o.Verdict)
		if !o.Verdict.Good() {
			v = strings.ToUpper(v)
		}
		what := strings.Join(o.Behaviours, ", ")
		if o.baselineFailed && len(o.Behaviours) > 0 {
			what = "beyond the baseline: " + idsCell(o.BeyondBaseline) + " (all: " + what + ")"
		}
		if o.Error != "" {
			what = firstLine(o.Error)
			if len(what) > 160 {
				what = what[:157] + "..."
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.Kind, o.Name, v, o.WallStr, what)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nTotal wall time %s. Unguarded behaviours (%d)%s: %s\n", s.Total, len(s.Unguarded), subsetNote(s), strings.Join(orDash(s.Unguarded), ", "))
	if s.OK {
		fmt.Fprintln(w, "selftest: PASS")
		return
	}
	fmt.Fprintln(w, "selftest: FAIL")
	for _, p := range s.Problems {
		fmt.Fprintln(w, "  - "+p)
	}
}

// subsetNote warns that an -only run's coverage says little.
func subsetNote(s *Summary) string {
	if len(s.Settings.Only) > 0 {
		return " (only some fault modes ran)"
	}
	return ""
}

func orDash(s []string) []string {
	if len(s) == 0 {
		return []string{"none"}
	}
	return s
}

func procsFlag(p string) string {
	if strings.HasPrefix(p, "-p") {
		return "-p"
	}
	return "--procs=" + p
}

func verdictCell(o Outcome) string {
	if o.Verdict.Good() {
		return string(o.Verdict)
	}
	s := "**" + strings.ToUpper(string(o.Verdict)) + "**"
	if o.Error != "" && (o.Verdict == Errored || o.Verdict == TimedOut) {
		s += " (see below)"
	}
	return s
}

func counts(c Counts) string {
	s := fmt.Sprintf("%d passed, %d failed", c.Passed, c.Failed)
	if c.Skipped > 0 {
		s += fmt.Sprintf(", %d skipped", c.Skipped)
	}
	if c.Pending > 0 {
		s += fmt.Sprintf(", %d pending", c.Pending)
	}
	return s + fmt.Sprintf(" of %d", c.Total)
}

func idsCell(ids []string) string {
	if len(ids) == 0 {
		return "—"
	}
	return strings.Join(ids, ", ")
}

func codeList(names []string) string {
	if len(names) == 0 {
		return ""
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "`" + n + "`"
	}
	return strings.Join(out, ", ")
}

func locCell(loc string) string {
	if loc == "" {
		return ""
	}
	return " at " + loc
}

// md makes text safe inside a Markdown table cell or list item.
func md(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\n", " ")
	return s
}
