package reports

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// File names of the three reports, fixed so CI steps and the bundle can find
// them.
const (
	YAMLFile     = "conformance.yaml"
	HTMLFile     = "conformance.html"
	MarkdownFile = "conformance.md"
)

// Write renders the reports into dir, creating it if needed, and returns their paths: the
// HTML and Markdown views and the YAML and JSON encodings.
func Write(dir string, r *Report) ([]string, error) {
	y, err := YAML(r)
	if err != nil {
		return nil, err
	}
	j, err := JSON(r)
	if err != nil {
		return nil, err
	}
	h, err := HTML(r)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report directory: %w", err)
	}
	var paths []string
	for _, f := range []struct {
		name string
		data []byte
	}{{HTMLFile, h}, {MarkdownFile, Markdown(r)}, {YAMLFile, y}, {JSONFile, j}} {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return nil, fmt.Errorf("writing %s: %w", f.name, err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// Summary is the paragraph the command prints: the verdict, the counts, why,
// and where to look next.
func Summary(r *Report, paths []string) string {
	c := r.Totals.Overall
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", r.Verdict, productLine(r.Target))
	if r.Target.Endpoint != "" {
		fmt.Fprintf(&b, " at %s", r.Target.Endpoint)
	}
	if r.Target.Profile != "" {
		fmt.Fprintf(&b, " (profile %s)", r.Target.Profile)
	}
	fmt.Fprintf(&b, ", %s: %d passed, %d failed, %s, %s,", plural(c.Behaviours, "behaviour"), c.Passed, c.Failed,
		plural(c.ExpectedFailure, "expected failure"), plural(c.UnexpectedPass, "unexpected pass"))
	// Blocked and interrupted are rare; they are named only when they happen.
	if c.Blocked > 0 {
		fmt.Fprintf(&b, " %d blocked,", c.Blocked)
	}
	if c.Interrupted > 0 {
		fmt.Fprintf(&b, " %d interrupted,", c.Interrupted)
	}
	fmt.Fprintf(&b, " %d skipped, %d not run.", c.Skipped, c.NotRun)
	for _, reason := range r.Reasons {
		fmt.Fprintf(&b, " %s.", reason)
	}
	if len(paths) > 0 {
		fmt.Fprintf(&b, " Reports: %s.", strings.Join(paths, ", "))
	}
	return b.String()
}
