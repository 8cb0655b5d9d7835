package reports

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/url"
	"strings"
)

//go:embed report.html.tmpl
var htmlSource string

// htmlTemplate is parsed once; html/template escapes every value by context,
// which matters because failure messages quote whatever the target sent.
var htmlTemplate = template.Must(template.New("conformance.html").Funcs(template.FuncMap{
	"label":        ResultLabel,
	"verdictClass": func(v Verdict) string { return strings.ToLower(strings.ReplaceAll(string(v), " ", "-")) },
	"anchor":       func(id string) string { return "b-" + id },
	"join":         strings.Join,
	"date":         readableDate,
	"firstLine":    firstLine,
	// Ginkgo calls a spec left out by a label filter "skipped", like one
	// that called Skip(); the page says "not run" so the two differ.
	"stateLabel": func(s Spec) string {
		if s.State == "skipped" && s.SkipReason == "" {
			return "not run"
		}
		return s.State
	},
	"isURL": func(s string) bool {
		u, err := url.Parse(s)
		return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
	},
	"hasFailure": func(specs []Spec) bool {
		for _, s := range specs {
			if s.Failure != nil {
				return true
			}
		}
		return false
	},
	"opCounts": func(c Counts) string {
		var parts []string
		for _, r := range Results {
			if n := c.Of(r); n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, ResultLabel(r)))
			}
		}
		return strings.Join(parts, " · ")
	},
}).Parse(htmlSource))

// tile is one count box under the verdict.
type tile struct {
	Class, Label string
	Count        int
}

// htmlView is what the template sees: the report plus the selections it
// shows in separate sections, computed here so the template stays simple.
type htmlView struct {
	*Report
	Product        string
	Tiles          []tile
	Rows           [][2]string
	FailedNodes    []Spec
	Failed         []Behaviour
	FailedUnmapped []Spec
	Deviations     []Behaviour // shadows Report.Deviations (the file name)
	DeviationsFile string
	Ops            []Operation
}

// HTML renders conformance.html: a single page with inline CSS and no
// script or external asset, so it can be attached to a ticket or opened from
// an archive years later and still look the same.
func HTML(r *Report) ([]byte, error) {
	v := htmlView{
		Report:         r,
		Product:        productLine(r.Target),
		Rows:           targetRows(r),
		FailedNodes:    r.FailedSuiteNodes(),
		Failed:         r.WithResult(Failed),
		FailedUnmapped: r.FailedUnmapped(),
		Deviations:     r.DeviationBehaviours(),
		DeviationsFile: orDefault(r.Deviations, "the deviations file"),
		Ops:            r.Operations(),
	}
	for _, res := range ScoreOrder {
		v.Tiles = append(v.Tiles, tile{Class: string(res), Label: ResultLabel(res), Count: r.Totals.Overall.Of(res)})
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("conformance.html: %w", err)
	}
	return buf.Bytes(), nil
}
