package reportcmd

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/reports"
)

// The command is tested in process through run, with the fixtures of the
// reports package: the recorded mini-suite runs and the test catalogue.
const (
	mixed      = "../../reports/testdata/mixed.json"
	setupFail  = "../../reports/testdata/setup-fail.json"
	cat        = "../../reports/testdata/catalogue.yaml"
	deviations = "../../reports/testdata/deviations.yaml"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(ConformanceReport, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// passingReport writes a Ginkgo JSON report in which every spec passed.
// passingReport is a run in which every core behaviour of the test
// catalogue passes; partialReport one in which only three of them ran.
func passingReport(t *testing.T) string {
	t.Helper()
	return reportOf(t, "CRT-RESP-DNSNAME", "CRT-ERR-NAME", "REG-RESP-MEMBERSHIP", "REG-HEALTH-INITIAL", "DEL-IDEMPOTENT", "DESC-PAGINATION", "DESC-PAGESIZE")
}

func partialReport(t *testing.T) string {
	t.Helper()
	return reportOf(t, "CRT-RESP-DNSNAME", "CRT-ERR-NAME", "DEL-IDEMPOTENT")
}

func reportOf(t *testing.T, ids ...string) string {
	t.Helper()
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	var specs types.SpecReports
	for _, id := range ids {
		specs = append(specs, types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: "checks " + id,
			LeafNodeLabels: []string{id}, State: types.SpecStatePassed})
	}
	raw, err := json.Marshal([]types.Report{{SuiteSucceeded: true, StartTime: now, EndTime: now, SpecReports: specs}})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGenerateGate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		verdict  string
		mentions []string
	}{
		{"conformant", []string{"-json", "PASSING"}, exitOK, "CONFORMANT", []string{"7 passed"}},
		// Unchecked core behaviours: never CONFORMANT, but nothing failed, so the gate passes.
		{"partial", []string{"-json", "PARTIAL"}, exitOK, "PARTIAL", []string{"3 passed", "4 core or claimed behaviours were not checked"}},
		{"failures and a stale deviation", []string{"-json", mixed, "-deviations", deviations}, exitGate, "NOT CONFORMANT",
			[]string{"1 behaviour failed: CRT-ERR-NAME", "DESC-PAGINATION; remove it from " + deviations}},
		{"setup failed", []string{"-json", setupFail}, exitGate, "INCOMPLETE", []string{"Suite setup SynchronizedBeforeSuite failed: cannot reach", "No spec ran"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"-catalogue", cat, "-out", out, "-product", "Acme LB", "-product-version", "9.9"}, tc.args...)
			for i, a := range args {
				switch a {
				case "PASSING":
					args[i] = passingReport(t)
				case "PARTIAL":
					args[i] = partialReport(t)
				}
			}
			code, stdout, stderr := runCmd(t, args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if !strings.HasPrefix(stdout, tc.verdict+": Acme LB 9.9") {
				t.Errorf("summary does not start with the verdict and product:\n%s", stdout)
			}
			for _, m := range append(tc.mentions, filepath.Join(out, reports.HTMLFile)) {
				if !strings.Contains(stdout, m) {
					t.Errorf("summary does not mention %q:\n%s", m, stdout)
				}
			}
			if strings.Count(strings.TrimSpace(stdout), "\n") != 0 {
				t.Errorf("summary is not one paragraph:\n%s", stdout)
			}
			raw, err := os.ReadFile(filepath.Join(out, reports.YAMLFile))
			if err != nil {
				t.Fatal(err)
			}
			r, err := reports.ParseYAML(raw)
			if err != nil {
				t.Fatal(err)
			}
			if string(r.Verdict) != tc.verdict || r.Target.Product != "Acme LB" || r.SuiteVersion == "" {
				t.Errorf("conformance.yaml: verdict %q, product %q, suite version %q", r.Verdict, r.Target.Product, r.SuiteVersion)
			}
			for _, f := range []string{reports.HTMLFile, reports.MarkdownFile} {
				if _, err := os.Stat(filepath.Join(out, f)); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestGenerateInputErrors(t *testing.T) {
	dir := t.TempDir()
	badDev := filepath.Join(dir, "dev.yaml")
	if err := os.WriteFile(badDev, []byte("profile: emulator\ndeviations:\n  - id: NO-SUCH-THING\n    reason: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no report", []string{"-json", filepath.Join(dir, "report.json"), "-catalogue", cat},
			"no Ginkgo JSON report at " + filepath.Join(dir, "report.json") + ": did the suite run? (make conformance writes it)"},
		{"report not JSON", []string{"-json", cat, "-catalogue", cat}, "is not a Ginkgo JSON report"},
		{"no catalogue", []string{"-json", mixed, "-catalogue", filepath.Join(dir, "none.yaml")}, "behaviour catalogue: open"},
		{"stale deviation", []string{"-json", mixed, "-catalogue", cat, "-deviations", badDev}, "NO-SUCH-THING is not in the behaviour catalogue"},
		{"stray argument", []string{"-json", mixed, "extra"}, `unexpected argument "extra"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, append(tc.args, "-out", filepath.Join(dir, "out"))...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr does not say %q:\n%s", tc.want, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout on error: %s", stdout)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("reports were written despite bad input")
	}
}

func TestBundleAndVerify(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCmd(t, "-json", mixed, "-catalogue", cat, "-out", out); code != exitGate {
		t.Fatalf("generate: exit %d: %s", code, stderr)
	}
	logPath := filepath.Join(t.TempDir(), "run.log")
	if err := os.WriteFile(logPath, []byte("Ran 8 of 9 Specs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(t.TempDir(), "certification.tar.gz")
	code, stdout, stderr := runCmd(t, "bundle", "-dir", out, "-catalogue", cat, "-log", logPath, "-json", mixed, "-deviations", deviations, "-o", bundle)
	if code != exitOK || !strings.Contains(stdout, "Wrote "+bundle+": 8 files") {
		t.Fatalf("bundle: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, stdout, stderr = runCmd(t, "verify", bundle)
	if code != exitOK || !strings.Contains(stdout, "all 8 files match MANIFEST.sha256") {
		t.Errorf("verify: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	// Turning the verdict into a pass inside the bundle must be caught,
	// with the exit status of a failed check and the file named.
	edited := editEntry(t, bundle, reports.BundleDir+"/"+reports.MarkdownFile, func(s string) string {
		return strings.Replace(s, "NOT CONFORMANT", "CONFORMANT", 1)
	})
	code, _, stderr = runCmd(t, "verify", edited)
	if code != exitGate || !strings.Contains(stderr, "conformance.md: edited") {
		t.Errorf("verify of an edited bundle: exit %d, want %d, naming conformance.md:\n%s", code, exitGate, stderr)
	}

	raw, err := os.ReadFile(bundle)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, _ := runCmd(t, "verify", filepath.Join(t.TempDir(), "none.tar.gz")); code != exitUsage {
		t.Errorf("verify of a missing file: exit %d, want %d", code, exitUsage)
	}
	truncated := filepath.Join(t.TempDir(), "truncated.tar.gz")
	if err := os.WriteFile(truncated, raw[:len(raw)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := runCmd(t, "verify", truncated); code == exitOK {
		t.Error("verify accepted a truncated bundle")
	}
}

// editEntry copies a bundle, changing the content of one entry.
func editEntry(t *testing.T, src, name string, edit func(string) string) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gzr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	gzw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gzw)
	tr := tar.NewReader(gzr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Name == name {
			data = []byte(edit(string(data)))
			hdr.Size = int64(len(data))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	tw.Close()
	gzw.Close()
	dst := filepath.Join(t.TempDir(), "edited.tar.gz")
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestBundleErrors(t *testing.T) {
	code, _, stderr := runCmd(t, "bundle", "-dir", t.TempDir(), "-catalogue", cat)
	if code != exitUsage || !strings.Contains(stderr, "-log is required") {
		t.Errorf("no log: exit %d: %s", code, stderr)
	}
	logPath := filepath.Join(t.TempDir(), "run.log")
	os.WriteFile(logPath, nil, 0o644)
	code, _, stderr = runCmd(t, "bundle", "-dir", t.TempDir(), "-catalogue", cat, "-log", logPath, "-o", filepath.Join(t.TempDir(), "b.tar.gz"))
	if code != exitUsage || !strings.Contains(stderr, "no conformance.yaml in") || !strings.Contains(stderr, "run conformance-report first") {
		t.Errorf("no reports: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "verify"); code != exitUsage || !strings.Contains(stderr, "give exactly one bundle") {
		t.Errorf("verify without a bundle: exit %d: %s", code, stderr)
	}
}
