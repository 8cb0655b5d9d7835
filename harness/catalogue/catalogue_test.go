package catalogue

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTheSuitesCatalogueIsValid(t *testing.T) {
	c, err := Load("../../suites/elb/behaviours.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Behaviours) < 30 {
		t.Errorf("only %d behaviours", len(c.Behaviours))
	}
}

func TestParseRejectsBadEntries(t *testing.T) {
	entry := "- {id: %s, operation: Op, summary: s, source: src, certainty: %s}\n"
	for yaml, want := range map[string]string{
		"behaviours:\n" + strings.ReplaceAll(strings.ReplaceAll(entry, "%s", "X"), "certainty: X", "certainty: documented"):                                                     "is not a behaviour ID",
		"behaviours:\n" + strings.Replace(strings.Replace(entry, "%s", "REG-A", 1), "%s", "sure", 1):                                                                            `certainty "sure"`,
		"behaviours:\n- {id: REG-A, operation: Op, summary: s, source: src, certainty: modelled}\n- {id: REG-A, operation: Op, summary: s, source: src, certainty: modelled}\n": "listed twice",
		"behaviours:\n- {id: REG-A, operation: Op, summary: s, certainty: modelled}\n":                                                                                          "needs an operation, a summary and a source",
		"behaviours:\n- {id: REG-A, operation: Op, summary: s, source: x, certainty: modelled, typo: 1}\n":                                                                      "unknown field",
	} {
		if _, err := Parse([]byte(yaml)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", yaml, err, want)
		}
	}
}

func TestDeviationsMustNameCataloguedBehavioursWithReasons(t *testing.T) {
	c, err := Parse([]byte("behaviours:\n- {id: REG-A, operation: Op, summary: s, source: src, certainty: modelled}\n"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(s string) string {
		p := filepath.Join(dir, "d.yaml")
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := LoadDeviations(write("profile: p\ndeviations:\n- {id: REG-A, reason: known}\n"), c); err != nil {
		t.Error(err)
	}
	for s, want := range map[string]string{
		"profile: p\ndeviations:\n- {id: REG-B, reason: known}\n": "not in the behaviour catalogue",
		"profile: p\ndeviations:\n- {id: REG-A}\n":                "needs a reason",
	} {
		if _, err := LoadDeviations(write(s), c); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", s, err, want)
		}
	}
	if got := BehaviourIDs([]string{"REG-A", "wire", "ec2-lifecycle", "HEALTH-X"}); strings.Join(got, ",") != "REG-A,HEALTH-X" {
		t.Errorf("BehaviourIDs %v", got)
	}
}
