package reports

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/harness/catalogue"
)

// The catalogue and deviations in testdata match the labels of the mini
// suite (testdata/minisuite) that recorded mixed.json and setup-fail.json.

func testCatalogue(t *testing.T) *catalogue.Catalogue {
	t.Helper()
	c, err := catalogue.Load("testdata/catalogue.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testDeviations(t *testing.T, c *catalogue.Catalogue) *catalogue.Deviations {
	t.Helper()
	d, err := catalogue.LoadDeviations("testdata/deviations.yaml", c)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var start = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// it builds the report of one It spec; a message is a failure message for a
// failed spec and the Skip() reason for a skipped one.
func it(text string, state types.SpecState, msg string, labels ...string) types.SpecReport {
	sr := types.SpecReport{
		ContainerHierarchyTexts: []string{"Suite"},
		LeafNodeType:            types.NodeTypeIt,
		LeafNodeText:            text,
		LeafNodeLabels:          labels,
		LeafNodeLocation:        types.CodeLocation{FileName: "/src/suites/elb/create_test.go", LineNumber: 10},
		State:                   state,
		RunTime:                 1500 * time.Millisecond,
	}
	if msg != "" {
		sr.Failure = types.Failure{
			Message:            msg,
			Location:           types.CodeLocation{FileName: "/src/suites/elb/create_test.go", LineNumber: 12},
			FailureNodeContext: types.FailureNodeIsLeafNode,
		}
	}
	return sr
}

// suiteNode builds the report of a suite-level node.
func suiteNode(t types.NodeType, state types.SpecState, msg string, entries ...types.ReportEntry) types.SpecReport {
	sr := types.SpecReport{LeafNodeType: t, State: state, ReportEntries: entries,
		LeafNodeLocation: types.CodeLocation{FileName: "/src/suites/elb/suite_test.go", LineNumber: 30}}
	if msg != "" {
		sr.Failure = types.Failure{Message: msg, Location: sr.LeafNodeLocation, FailureNodeContext: types.FailureNodeIsLeafNode}
	}
	return sr
}

func entry(name, asJSON string) types.ReportEntry {
	return types.ReportEntry{Name: name, Value: types.ReportEntryValue{AsJSON: asJSON}}
}

const targetJSON = `{"target":"emulator","profile":"emulator","endpoint":"http://127.0.0.1:1234","region":"us-east-1","product":"elb-emulator","productVersion":"0.1.0"}`

// run wraps specs in a one-suite Ginkgo report with a passing setup that
// records the target, as the real suite does.
func run(specs ...types.SpecReport) []types.Report {
	all := append([]types.SpecReport{suiteNode(types.NodeTypeSynchronizedBeforeSuite, types.SpecStatePassed, "", entry(TargetEntry, targetJSON))}, specs...)
	return []types.Report{{SuiteDescription: "elb", StartTime: start, RunTime: 90 * time.Second, SpecReports: all}}
}

// passingExcept is a run where every behaviour of the test catalogue but ATT-CROSSZONE
// has one passing spec, with the given specs replacing some of them.
func passingExcept(replace map[string]types.SpecReport) []types.Report {
	var specs []types.SpecReport
	for _, id := range []string{"CRT-RESP-DNSNAME", "CRT-ERR-NAME", "REG-RESP-MEMBERSHIP", "REG-HEALTH-INITIAL", "DEL-IDEMPOTENT", "DESC-PAGINATION", "DESC-PAGESIZE"} {
		if sr, ok := replace[id]; ok {
			specs = append(specs, sr)
			continue
		}
		specs = append(specs, it("checks "+id, types.SpecStatePassed, "", id, "wire"))
	}
	return run(specs...)
}

// generated holds one report in all three forms, the YAML read back so the
// tests check what a reader of the file gets.
type generated struct {
	r    *Report
	yaml *Report
	md   string
	html string
}

func generate(t *testing.T, runs []types.Report, opts Options) generated {
	t.Helper()
	if opts.Catalogue == nil {
		opts.Catalogue = testCatalogue(t)
	}
	if opts.SuiteVersion == "" {
		opts.SuiteVersion = "v1.2.3"
	}
	r, err := Build(runs, opts)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := Write(dir, r); err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	y, err := ParseYAML(read(YAMLFile))
	if err != nil {
		t.Fatal(err)
	}
	// The JSON encoding is the same contract: read back, it is the same report.
	j, err := ParseJSON(read(JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(j, y) {
		t.Errorf("conformance.json and conformance.yaml read back differently:\njson %+v\nyaml %+v", j, y)
	}
	return generated{r: r, yaml: y, md: string(read(MarkdownFile)), html: string(read(HTMLFile))}
}

func (g generated) behaviour(t *testing.T, id string) Behaviour {
	t.Helper()
	for _, b := range g.yaml.Behaviours {
		if b.ID == id {
			return b
		}
	}
	t.Fatalf("conformance.yaml has no behaviour %s", id)
	return Behaviour{}
}

func (g generated) wantResult(t *testing.T, id string, want Result) Behaviour {
	t.Helper()
	b := g.behaviour(t, id)
	if b.Result != want {
		t.Errorf("%s: result %q, want %q", id, b.Result, want)
	}
	return b
}

func (g generated) wantVerdict(t *testing.T, want Verdict, gate bool) {
	t.Helper()
	if g.yaml.Verdict != want {
		t.Errorf("conformance.yaml verdict %q, want %q (reasons %q)", g.yaml.Verdict, want, g.yaml.Reasons)
	}
	if g.r.Gate != gate {
		t.Errorf("gate %v, want %v", g.r.Gate, gate)
	}
	if !strings.Contains(g.html, `id="verdict">`+string(want)+`<`) {
		t.Errorf("conformance.html does not show the verdict %q", want)
	}
	if !strings.HasPrefix(g.md, "# "+verdictIcons[want]+" "+string(want)+"\n") {
		t.Errorf("conformance.md does not start with the verdict %q:\n%s", want, firstLines(g.md, 3))
	}
}

func wantContains(t *testing.T, what, doc string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(doc, s) {
			t.Errorf("%s does not contain %q", what, s)
		}
	}
}

func wantReason(t *testing.T, g generated, sub string) {
	t.Helper()
	for _, r := range g.yaml.Reasons {
		if strings.Contains(r, sub) {
			return
		}
	}
	t.Errorf("no verdict reason mentions %q; reasons: %q", sub, g.yaml.Reasons)
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// htmlRow returns the table row of one behaviour in conformance.html.
func htmlRow(t *testing.T, html, id string) string {
	t.Helper()
	i := strings.Index(html, `id="b-`+id+`"`)
	if i < 0 {
		t.Fatalf("conformance.html has no row for %s", id)
	}
	end := strings.Index(html[i:], "</tr>")
	return html[i : i+end]
}

func TestAllPassing(t *testing.T) {
	g := generate(t, passingExcept(nil), Options{})
	g.wantVerdict(t, Conformant, true)
	for _, id := range []string{"CRT-RESP-DNSNAME", "CRT-ERR-NAME", "DESC-PAGESIZE"} {
		g.wantResult(t, id, Passed)
		wantContains(t, "html row "+id, htmlRow(t, g.html, id), `<span class="badge passed">passed</span>`)
	}
	// No spec names ATT-CROSSZONE: not run, which does not fail the gate.
	g.wantResult(t, "ATT-CROSSZONE", NotRun)
	if got := g.yaml.Totals.Overall; got.Passed != 7 || got.NotRun != 1 || got.Behaviours != 8 {
		t.Errorf("totals %+v, want 7 passed and 1 not run of 8", got)
	}
	if len(g.yaml.Reasons) != 0 {
		t.Errorf("a conformant run has reasons %q", g.yaml.Reasons)
	}
	wantContains(t, "conformance.yaml target", g.yaml.Target.Endpoint, "http://127.0.0.1:1234")
	if g.yaml.SuiteVersion != "v1.2.3" || g.yaml.Date != "2026-05-04T10:00:00Z" || g.yaml.Duration != "1m30s" {
		t.Errorf("suite version %q, date %q, duration %q", g.yaml.SuiteVersion, g.yaml.Date, g.yaml.Duration)
	}
	// Totals per operation, in operation order.
	ops := g.yaml.Totals.ByOperation
	if len(ops) != 5 || ops[0].Operation != "CreateLoadBalancer" || ops[0].Passed != 2 || ops[3].Operation != "ModifyLoadBalancerAttributes" || ops[3].NotRun != 1 {
		t.Errorf("per-operation totals %+v", ops)
	}
	wantContains(t, "conformance.md", g.md, "| 8 | 7 | 0 | 0 | 0 | 0 | 0 | 0 | 1 |", "### CreateLoadBalancer", "| ✅ passed | `CRT-ERR-NAME` |", "| ⚪ not run | `ATT-CROSSZONE` |")
	if strings.Contains(g.md, "Unexpected failures") || strings.Contains(g.html, "Unexpected failures") {
		t.Error("a passing run shows an unexpected failures section")
	}
}

func TestOneFailing(t *testing.T) {
	failing := it("rejects bad names", types.SpecStateFailed, "Expected\n    <string>: InvalidName\nto equal\n    <string>: ValidationError", "CRT-ERR-NAME")
	g := generate(t, passingExcept(map[string]types.SpecReport{"CRT-ERR-NAME": failing}), Options{BaseDir: "/src"})
	g.wantVerdict(t, NotConformant, false)
	b := g.wantResult(t, "CRT-ERR-NAME", Failed)
	if len(b.Specs) != 1 || b.Specs[0].Failure == nil {
		t.Fatalf("failed behaviour has specs %+v", b.Specs)
	}
	sp := b.Specs[0]
	if sp.Text != "Suite rejects bad names" || sp.State != "failed" || sp.Duration != "1.5s" ||
		sp.Failure.Location != "suites/elb/create_test.go:12" || !strings.Contains(sp.Failure.Message, "<string>: ValidationError") {
		t.Errorf("failed spec %+v, failure %+v", sp, *sp.Failure)
	}
	wantReason(t, g, "1 behaviour failed: CRT-ERR-NAME")
	if g.yaml.Totals.Overall.Failed != 1 || g.yaml.Totals.Specs.Failed != 1 {
		t.Errorf("totals %+v", g.yaml.Totals)
	}
	wantContains(t, "conformance.md", g.md,
		"## Unexpected failures", "### `CRT-ERR-NAME` CreateLoadBalancer",
		"```\nExpected\n    <string>: InvalidName\nto equal\n    <string>: ValidationError\n```",
		"| ❌ failed | `CRT-ERR-NAME` |")
	row := htmlRow(t, g.html, "CRT-ERR-NAME")
	wantContains(t, "html row", row, `<span class="badge failed">failed</span>`, "<details", "with failure details",
		"suites/elb/create_test.go:12", "&lt;string&gt;: ValidationError")
	wantContains(t, "conformance.html", g.html, "<h2>Unexpected failures</h2>", `<a href="#b-CRT-ERR-NAME"`)
}

func TestSkippedWithReason(t *testing.T) {
	skipped := it("starts OutOfService", types.SpecStateSkipped, `target lacks capability "health"`, "REG-HEALTH-INITIAL", "health")
	g := generate(t, passingExcept(map[string]types.SpecReport{"REG-HEALTH-INITIAL": skipped}), Options{})
	// A skip is not a failure, so the gate passes: the target declared it
	// lacks the capability. But a core behaviour went unchecked, so the
	// verdict is PARTIAL: a certificate cannot be had by skipping.
	g.wantVerdict(t, Partial, true)
	wantReason(t, g, "1 core or claimed behaviour was not checked (skipped, blocked or not run): REG-HEALTH-INITIAL")
	b := g.wantResult(t, "REG-HEALTH-INITIAL", Skipped)
	if b.Reason != `target lacks capability "health"` || b.Specs[0].SkipReason != b.Reason {
		t.Errorf("skip reason %q, spec skip reason %q", b.Reason, b.Specs[0].SkipReason)
	}
	wantContains(t, "conformance.md", g.md, "| ⏭️ skipped | `REG-HEALTH-INITIAL` |", "*target lacks capability \"health\"*")
	wantContains(t, "html row", htmlRow(t, g.html, "REG-HEALTH-INITIAL"),
		`<span class="badge skipped">skipped</span>`, "target lacks capability &#34;health&#34;")
}

func TestExpectedFailure(t *testing.T) {
	c := testCatalogue(t)
	failing := it("deletes a missing load balancer", types.SpecStateFailed, "LoadBalancerNotFound", "DEL-IDEMPOTENT")
	// DESC-PAGINATION is listed too; here it is skipped, so it is neither
	// an expected failure nor an unexpected pass.
	skipped := it("pages", types.SpecStateSkipped, "no pagination", "DESC-PAGINATION")
	g := generate(t, passingExcept(map[string]types.SpecReport{"DEL-IDEMPOTENT": failing, "DESC-PAGINATION": skipped}),
		Options{Catalogue: c, Deviations: testDeviations(t, c), DeviationsFile: "profiles/emulator/deviations.yaml"})
	// The gate passes (the failure is listed), but a core behaviour fails,
	// so the target is not conformant.
	g.wantVerdict(t, NotConformant, true)
	wantReason(t, g, "1 core or claimed behaviour fails as listed in profiles/emulator/deviations.yaml: DEL-IDEMPOTENT")
	b := g.wantResult(t, "DEL-IDEMPOTENT", ExpectedFailure)
	if !b.Deviation || b.Reason != "The emulator answers LoadBalancerNotFound; tracked in issue 12." {
		t.Errorf("expected failure: deviation %v, reason %q", b.Deviation, b.Reason)
	}
	g.wantResult(t, "DESC-PAGINATION", Skipped)
	if g.yaml.Totals.Overall.ExpectedFailure != 1 || g.yaml.Deviations != "profiles/emulator/deviations.yaml" {
		t.Errorf("totals %+v, deviations %q", g.yaml.Totals.Overall, g.yaml.Deviations)
	}
	wantContains(t, "conformance.md", g.md, "## Deviations", "Listed in profiles/emulator/deviations.yaml",
		"| 🟡 expected failure | `DEL-IDEMPOTENT` | The emulator answers LoadBalancerNotFound; tracked in issue 12. |")
	// Deviations get their own section, and an expected failure is not
	// listed with the unexpected ones.
	wantContains(t, "conformance.html", g.html, "<h2>Deviations</h2>", `<span class="badge expected-failure">expected failure</span>`)
	if strings.Contains(g.html, "Unexpected failures") || strings.Contains(g.md, "Unexpected failures") {
		t.Error("an expected failure is shown as an unexpected failure")
	}
}

func TestDeviationThatPasses(t *testing.T) {
	c := testCatalogue(t)
	g := generate(t, passingExcept(nil), Options{Catalogue: c, Deviations: testDeviations(t, c), DeviationsFile: "dev.yaml"})
	// Both listed deviations pass: the list is stale and the gate says so.
	g.wantVerdict(t, NotConformant, false)
	g.wantResult(t, "DEL-IDEMPOTENT", UnexpectedPass)
	g.wantResult(t, "DESC-PAGINATION", UnexpectedPass)
	wantReason(t, g, "2 behaviours listed as deviations now pass: DEL-IDEMPOTENT, DESC-PAGINATION; remove them from dev.yaml")
	wantContains(t, "conformance.md", g.md, "| ⚠️ unexpected pass | `DESC-PAGINATION` | Pagination was not implemented in the emulator. |")
	wantContains(t, "html row", htmlRow(t, g.html, "DESC-PAGINATION"), `<span class="badge unexpected-pass">unexpected pass</span>`)
}

func TestSetupFailureIsIncomplete(t *testing.T) {
	runs, err := LoadGinkgoReport("testdata/setup-fail.json")
	if err != nil {
		t.Fatal(err)
	}
	g := generate(t, runs, Options{})
	g.wantVerdict(t, Incomplete, false)
	wantReason(t, g, "Suite setup SynchronizedBeforeSuite failed: cannot reach http://127.0.0.1:1234")
	wantReason(t, g, "No spec ran")
	for _, b := range g.yaml.Behaviours {
		if b.Result != NotRun {
			t.Errorf("%s: %s after a failed setup", b.ID, b.Result)
		}
	}
	nodes := g.r.FailedSuiteNodes()
	if len(nodes) != 1 || nodes[0].Node != "SynchronizedBeforeSuite" || !strings.Contains(nodes[0].Failure.Message, "connection refused") {
		t.Errorf("failed suite nodes %+v", nodes)
	}
	wantContains(t, "conformance.html", g.html, `class="verdict incomplete"`, "Suite setup and teardown failures", "connect: connection refused")
	wantContains(t, "conformance.md", g.md, "# ⚠️ INCOMPLETE", "## Suite setup and teardown failures", "connect: connection refused")
	if strings.Contains(g.html, "badge passed") {
		t.Error("conformance.html shows a passed badge although nothing ran")
	}
}

func TestNothingRanIsIncomplete(t *testing.T) {
	for name, runs := range map[string][]types.Report{
		"empty report":  nil,
		"all filtered":  run(it("a", types.SpecStateSkipped, "", "CRT-ERR-NAME"), it("b", types.SpecStatePending, "", "DEL-IDEMPOTENT")),
		"all skipped":   run(it("a", types.SpecStateSkipped, "no health", "REG-HEALTH-INITIAL")),
		"no suite even": {{SuiteDescription: "elb", SpecialSuiteFailureReasons: []string{"Interrupted by User"}}},
	} {
		t.Run(name, func(t *testing.T) {
			g := generate(t, runs, Options{})
			g.wantVerdict(t, Incomplete, false)
			wantReason(t, g, "No spec ran")
		})
	}
}

func TestInterruptedRunIsIncomplete(t *testing.T) {
	runs := passingExcept(nil)
	runs[0].SpecialSuiteFailureReasons = []string{"Interrupted by User"}
	g := generate(t, runs, Options{})
	g.wantVerdict(t, Incomplete, false)
	wantReason(t, g, "The run was interrupted by a signal")
}

func TestTeardownFailureFailsGate(t *testing.T) {
	runs := passingExcept(nil)
	runs[0].SpecReports = append(runs[0].SpecReports,
		suiteNode(types.NodeTypeSynchronizedAfterSuite, types.SpecStateFailed, "could not delete load balancer conf-1"))
	g := generate(t, runs, Options{})
	g.wantVerdict(t, NotConformant, false)
	wantReason(t, g, "Suite teardown SynchronizedAfterSuite failed: could not delete load balancer conf-1")
}

func TestUnknownBehaviour(t *testing.T) {
	runs := passingExcept(nil)
	runs[0].SpecReports = append(runs[0].SpecReports,
		it("names a typo", types.SpecStatePassed, "", "CRT-RESP-DNSNAM", "CRT-RESP-DNSNAME"),
		it("names nothing", types.SpecStatePassed, "", "wire"))
	g := generate(t, runs, Options{})
	// Passing specs outside the catalogue are listed, not failed.
	g.wantVerdict(t, Conformant, true)
	if len(g.yaml.Unmapped) != 2 {
		t.Fatalf("unmapped specs %+v, want 2", g.yaml.Unmapped)
	}
	typo, none := g.yaml.Unmapped[0], g.yaml.Unmapped[1]
	if typo.Text != "Suite names a typo" || len(typo.Unknown) != 1 || typo.Unknown[0] != "CRT-RESP-DNSNAM" {
		t.Errorf("spec with an unknown behaviour: %+v", typo)
	}
	if none.Text != "Suite names nothing" || len(none.Unknown) != 0 {
		t.Errorf("spec with no behaviour: %+v", none)
	}
	// The known ID of the typo spec still counts as evidence.
	if b := g.behaviour(t, "CRT-RESP-DNSNAME"); len(b.Specs) != 2 {
		t.Errorf("CRT-RESP-DNSNAME has %d specs, want 2", len(b.Specs))
	}
	wantContains(t, "conformance.md", g.md, "## Specs not tied to a catalogue behaviour",
		"Suite names a typo (names unknown CRT-RESP-DNSNAM, passed)", "Suite names nothing (names no behaviour, passed)")
	wantContains(t, "conformance.html", g.html, "Specs not tied to a catalogue behaviour", "Names CRT-RESP-DNSNAM, not in the catalogue:", "Names no behaviour:")
}

func TestFailedSpecOutsideCatalogueFailsGate(t *testing.T) {
	runs := passingExcept(nil)
	runs[0].SpecReports = append(runs[0].SpecReports, it("checks something", types.SpecStateFailed, "boom", "NOT-IN-CATALOGUE"))
	g := generate(t, runs, Options{})
	g.wantVerdict(t, NotConformant, false)
	wantReason(t, g, "1 spec outside the catalogue failed")
	wantContains(t, "conformance.md", g.md, "## Failed specs outside the catalogue", "```\nboom\n```")
}

// TestBlockedSpecNamesItsBlocker checks that a spec stopped by a failed
// precondition is reported against the behaviour that failed, not its own:
// its behaviour is blocked, the run is not conformant because of the
// blocker alone, and the pages say which behaviour blocked it.
func TestBlockedSpecNamesItsBlocker(t *testing.T) {
	blocked := it("checks DEL-IDEMPOTENT", types.SpecStateSkipped, "blocked by REG-RESP-MEMBERSHIP: Register answered no instances", "DEL-IDEMPOTENT")
	blocked.ReportEntries = []types.ReportEntry{entry(catalogue.BlockedByEntry, `"REG-RESP-MEMBERSHIP"`)}
	runs := passingExcept(map[string]types.SpecReport{
		"REG-RESP-MEMBERSHIP": it("checks REG-RESP-MEMBERSHIP", types.SpecStateFailed, "answered no instances", "REG-RESP-MEMBERSHIP"),
		"DEL-IDEMPOTENT":      blocked,
	})
	g := generate(t, runs, Options{})
	g.wantVerdict(t, NotConformant, false)
	wantReason(t, g, "1 behaviour failed: REG-RESP-MEMBERSHIP")
	for _, b := range g.yaml.Behaviours {
		if b.ID == "DEL-IDEMPOTENT" {
			if b.Result != Blocked || len(b.BlockedBy) != 1 || b.BlockedBy[0] != "REG-RESP-MEMBERSHIP" {
				t.Errorf("DEL-IDEMPOTENT: result %s blocked by %v, want blocked by REG-RESP-MEMBERSHIP", b.Result, b.BlockedBy)
			}
		}
	}
	if g.yaml.Totals.Overall.Blocked != 1 || g.yaml.Totals.Specs.Blocked != 1 {
		t.Errorf("totals: %d behaviours and %d specs blocked, want 1 and 1", g.yaml.Totals.Overall.Blocked, g.yaml.Totals.Specs.Blocked)
	}
	wantContains(t, "conformance.md", g.md, "blocked by REG-RESP-MEMBERSHIP")
	wantContains(t, "conformance.html", g.html, "blocked by REG-RESP-MEMBERSHIP")
}

// TestBlockedByPassingBehaviourFailsGate: a precondition that failed in one
// spec but passed its own specs is an inconsistent target, not a free pass.
func TestBlockedByPassingBehaviourFailsGate(t *testing.T) {
	blocked := it("checks DEL-IDEMPOTENT", types.SpecStateSkipped, "blocked by REG-RESP-MEMBERSHIP: Register answered no instances", "DEL-IDEMPOTENT")
	blocked.ReportEntries = []types.ReportEntry{entry(catalogue.BlockedByEntry, `"REG-RESP-MEMBERSHIP"`)}
	g := generate(t, passingExcept(map[string]types.SpecReport{"DEL-IDEMPOTENT": blocked}), Options{})
	g.wantVerdict(t, NotConformant, false)
	wantReason(t, g, "DEL-IDEMPOTENT was blocked by REG-RESP-MEMBERSHIP, which passed its own specs")
}

// TestInterruptedSpecsAreNotFailures checks that specs cut short by an interrupt
// make the run INCOMPLETE and their behaviours interrupted, not failed.
func TestInterruptedSpecsAreNotFailures(t *testing.T) {
	runs := passingExcept(map[string]types.SpecReport{
		"REG-RESP-MEMBERSHIP": it("checks REG-RESP-MEMBERSHIP", types.SpecStateInterrupted, "interrupted by user", "REG-RESP-MEMBERSHIP"),
	})
	g := generate(t, runs, Options{})
	g.wantVerdict(t, Incomplete, false)
	wantReason(t, g, "The run was interrupted: 1 spec did not finish")
	for _, b := range g.yaml.Behaviours {
		if b.ID == "REG-RESP-MEMBERSHIP" && b.Result != Interrupted {
			t.Errorf("REG-RESP-MEMBERSHIP: %s, want interrupted", b.Result)
		}
	}
	if g.yaml.Totals.Overall.Failed != 0 {
		t.Errorf("%d behaviours failed, want none: an interrupted spec is not a failure", g.yaml.Totals.Overall.Failed)
	}
}

// TestTiers: an unclaimed extended feature is reported unsupported and does
// not count; a claimed one counts like core, and failing it fails the run.
func TestTiers(t *testing.T) {
	claiming := func(claims string) []types.Report {
		runs := passingExcept(nil)
		runs[0].SpecReports[0] = suiteNode(types.NodeTypeSynchronizedBeforeSuite, types.SpecStatePassed, "",
			entry(TargetEntry, `{"target":"emulator","profile":"emulator","claims":`+claims+`}`))
		return runs
	}
	runs := claiming(`["cross-zone"]`)
	runs[0].SpecReports = append(runs[0].SpecReports, it("spreads across zones", types.SpecStateFailed, "all in one zone", "ATT-CROSSZONE"))
	g := generate(t, runs, Options{})
	g.wantVerdict(t, NotConformant, false)
	if len(g.yaml.Features) != 1 || !reflect.DeepEqual(g.yaml.Features[0], FeatureResult{Feature: "cross-zone", Claimed: true, Support: Failing, Behaviours: []string{"ATT-CROSSZONE"}}) {
		t.Errorf("features %+v, want cross-zone claimed and failing", g.yaml.Features)
	}

	g = generate(t, passingExcept(nil), Options{})
	g.wantVerdict(t, Conformant, true)
	if len(g.yaml.Features) != 1 || g.yaml.Features[0].Support != Unsupported {
		t.Errorf("features %+v, want cross-zone unsupported", g.yaml.Features)
	}

	if _, err := Build(claiming(`["teleport"]`), Options{Catalogue: testCatalogue(t)}); err == nil || !strings.Contains(err.Error(), `feature "teleport"`) {
		t.Errorf("a claim of an unknown feature: %v, want an error naming it", err)
	}
}

// TestReportContract: a written report is the versioned type, read back
// strictly; a file of another kind is refused.
func TestReportContract(t *testing.T) {
	g := generate(t, passingExcept(nil), Options{})
	if g.yaml.APIVersion != APIVersion || g.yaml.Kind != Kind {
		t.Errorf("apiVersion %q kind %q", g.yaml.APIVersion, g.yaml.Kind)
	}
	for _, bad := range []string{"apiVersion: v0\nkind: ConformanceReport\n", "apiVersion: " + APIVersion + "\nkind: ConformanceReport\nverdictt: x\n"} {
		if _, err := ParseYAML([]byte(bad)); err == nil {
			t.Errorf("ParseYAML(%q) accepted it", bad)
		}
	}
	for _, bad := range []string{`{"apiVersion":"v0","kind":"ConformanceReport"}`, `{"apiVersion":"` + APIVersion + `","kind":"ConformanceReport","verdictt":"x"}`, `not json`} {
		if _, err := ParseJSON([]byte(bad)); err == nil {
			t.Errorf("ParseJSON(%q) accepted it", bad)
		}
	}
}

// TestOutcome pins how several specs of one behaviour combine.
func TestOutcome(t *testing.T) {
	pass := it("p", types.SpecStatePassed, "")
	fail := it("f", types.SpecStateFailed, "x")
	panicked := it("p", types.SpecStatePanicked, "x")
	skip := it("s", types.SpecStateSkipped, "no health")
	filtered := it("s", types.SpecStateSkipped, "")
	interrupted := it("i", types.SpecStateInterrupted, "interrupted by signal")
	blocked := it("b", types.SpecStateSkipped, "blocked by REG-RESP-MEMBERSHIP: the answer listed none")
	blocked.ReportEntries = []types.ReportEntry{entry(catalogue.BlockedByEntry, `"REG-RESP-MEMBERSHIP"`)}
	for _, tc := range []struct {
		name  string
		specs []types.SpecReport
		want  Result
	}{
		{"none", nil, NotRun},
		{"filtered only", []types.SpecReport{filtered}, NotRun},
		{"pass and filtered", []types.SpecReport{pass, filtered}, Passed},
		{"pass and skip", []types.SpecReport{pass, skip}, Skipped},
		{"pass and fail", []types.SpecReport{pass, fail, skip}, Failed},
		{"panic", []types.SpecReport{panicked}, Failed},
		{"interrupted", []types.SpecReport{pass, interrupted}, Interrupted},
		{"interrupted and failed", []types.SpecReport{interrupted, fail}, Failed},
		{"blocked", []types.SpecReport{pass, blocked}, Blocked},
		{"blocked and skipped", []types.SpecReport{blocked, skip}, Blocked},
		{"blocked and failed", []types.SpecReport{blocked, fail}, Failed},
	} {
		if got, _, _ := outcome(tc.specs); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestRecordedRun checks a report made from a real Ginkgo run of the mini
// suite, which exercises every result at once.
func TestRecordedRun(t *testing.T) {
	runs, err := LoadGinkgoReport("testdata/mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	c := testCatalogue(t)
	g := generate(t, runs, Options{Catalogue: c, Deviations: testDeviations(t, c), DeviationsFile: "testdata/deviations.yaml",
		BaseDir: recordedRoot(t, runs), Product: "Acme LB", ProductVersion: "2.0"})
	g.wantVerdict(t, NotConformant, false)
	for id, want := range map[string]Result{
		"CRT-RESP-DNSNAME":    Passed,
		"CRT-ERR-NAME":        Failed,
		"REG-RESP-MEMBERSHIP": Passed,
		"REG-HEALTH-INITIAL":  Skipped,
		"DEL-IDEMPOTENT":      ExpectedFailure,
		"DESC-PAGINATION":     UnexpectedPass,
		"DESC-PAGESIZE":       NotRun, // left out by --label-filter='!slow'
		"ATT-CROSSZONE":       NotRun, // no spec at all
	} {
		g.wantResult(t, id, want)
	}
	// Flags override the product the suite recorded; the rest comes from
	// the elbconform/target entry.
	want := Target{Target: "emulator", Profile: "emulator", Endpoint: "http://127.0.0.1:1234", Region: "us-east-1", Product: "Acme LB", ProductVersion: "2.0"}
	if !reflect.DeepEqual(g.yaml.Target, want) {
		t.Errorf("target %+v, want %+v", g.yaml.Target, want)
	}
	if g.yaml.Retries == nil || *g.yaml.Retries != (Retries{Retries: 3, Throttled: 1}) {
		t.Errorf("retries %+v, want 3 (1 throttled)", g.yaml.Retries)
	}
	if s := g.yaml.Totals.Specs; s != (SpecCounts{Total: 9, Passed: 5, Failed: 2, Skipped: 1, NotRun: 1}) {
		t.Errorf("spec totals %+v", s)
	}
	if len(g.yaml.SuiteNodes) != 2 || g.yaml.SuiteNodes[0].Location != "reports/testdata/minisuite/minisuite_test.go:20" {
		t.Errorf("suite nodes %+v", g.yaml.SuiteNodes)
	}
	if len(g.yaml.Unmapped) != 2 {
		t.Errorf("unmapped specs %+v", g.yaml.Unmapped)
	}
	wantContains(t, "conformance.html", g.html, "Acme LB 2.0", "3 (1 throttled)", "us-east-1")
	wantContains(t, "html row", htmlRow(t, g.html, "DESC-PAGESIZE"), ">not run</span>")
}

// recordedRoot is the repository root on the machine that recorded a
// fixture, so locations come out relative whatever the checkout path here.
func recordedRoot(t *testing.T, runs []types.Report) string {
	t.Helper()
	root, ok := strings.CutSuffix(filepath.ToSlash(runs[0].SuitePath), "/reports/testdata/minisuite")
	if !ok {
		t.Fatalf("fixture recorded from %s, not from reports/testdata/minisuite", runs[0].SuitePath)
	}
	return root
}

// TestEscaping checks that markup from a failure message or spec text (the
// recorded run quotes <script> in both) is shown, never executed.
func TestEscaping(t *testing.T) {
	runs, err := LoadGinkgoReport("testdata/mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	g := generate(t, runs, Options{})
	if strings.Contains(strings.ToLower(g.html), "<script") {
		t.Error("conformance.html contains a raw <script")
	}
	wantContains(t, "conformance.html", g.html,
		"&lt;script&gt;alert(\\&#34;pwned\\&#34;)&lt;/script&gt;", // the failure message
		"rejects a name with markup such as &lt;script&gt;")       // the spec text
	// In Markdown the message is in a code block, where GitHub shows it
	// as text; anywhere else markup must be escaped.
	outside := regexp.MustCompile("(?s)```.*?```").ReplaceAllString(g.md, "")
	if strings.Contains(outside, "<script") {
		t.Errorf("conformance.md has <script outside code blocks:\n%s", outside)
	}
	wantContains(t, "conformance.md", g.md, "```\nerror code for an invalid name\nExpected\n    <string>: <script>alert", "such as &lt;script&gt;")
	// YAML keeps the message verbatim.
	b := g.behaviour(t, "CRT-ERR-NAME")
	wantContains(t, "conformance.yaml message", b.Specs[0].Failure.Message, `<script>alert(\"pwned\")</script>`)
}

func TestMarkdownHelpers(t *testing.T) {
	if got := mdEscape("a|b <i>*x*</i>\nnext"); got != `a\|b &lt;i&gt;\*x\*&lt;/i&gt; next` {
		t.Errorf("mdEscape: %q", got)
	}
	if got := codeFence("has ``` and ````` inside"); got != "``````" {
		t.Errorf("codeFence: %q", got)
	}
	if got := codeFence("plain"); got != "```" {
		t.Errorf("codeFence: %q", got)
	}
}

func TestDeviationsOfAnotherProfile(t *testing.T) {
	c := testCatalogue(t)
	d := testDeviations(t, c)
	d.Profile = "aws"
	_, err := Build(passingExcept(nil), Options{Catalogue: c, Deviations: d, DeviationsFile: "aws.yaml"})
	if err == nil || !strings.Contains(err.Error(), `deviations aws.yaml are for profile "aws" but the suite ran with profile "emulator"`) {
		t.Errorf("error %v", err)
	}
}

func TestMissingEntriesAreTolerated(t *testing.T) {
	runs := []types.Report{{StartTime: start, SpecReports: []types.SpecReport{it("a", types.SpecStatePassed, "", "CRT-ERR-NAME")}}}
	g := generate(t, runs, Options{})
	if !reflect.DeepEqual(g.yaml.Target, Target{}) || g.yaml.Retries != nil {
		t.Errorf("target %+v, retries %+v from a report without entries", g.yaml.Target, g.yaml.Retries)
	}
	wantContains(t, "conformance.html", g.html, "an unnamed target", "<dt>Endpoint</dt><dd>unknown</dd>")
}

func TestLoadGinkgoReportErrors(t *testing.T) {
	_, err := LoadGinkgoReport("testdata/nope.json")
	if err == nil || err.Error() != "no Ginkgo JSON report at testdata/nope.json: did the suite run? (make conformance writes it)" {
		t.Errorf("missing report: %v", err)
	}
	_, err = LoadGinkgoReport("testdata/catalogue.yaml")
	if err == nil || !strings.Contains(err.Error(), "testdata/catalogue.yaml is not a Ginkgo JSON report") {
		t.Errorf("invalid report: %v", err)
	}
}

func TestSummary(t *testing.T) {
	r, err := Build(passingExcept(map[string]types.SpecReport{"CRT-ERR-NAME": it("x", types.SpecStateFailed, "boom", "CRT-ERR-NAME")}),
		Options{Catalogue: testCatalogue(t)})
	if err != nil {
		t.Fatal(err)
	}
	got := Summary(r, []string{"out/conformance.html"})
	want := "NOT CONFORMANT: elb-emulator 0.1.0 at http://127.0.0.1:1234 (profile emulator), 8 behaviours: 6 passed, 1 failed, " +
		"0 expected failures, 0 unexpected passes, 0 skipped, 1 not run. 1 behaviour failed: CRT-ERR-NAME. Reports: out/conformance.html."
	if got != want {
		t.Errorf("summary\n got %s\nwant %s", got, want)
	}
}
