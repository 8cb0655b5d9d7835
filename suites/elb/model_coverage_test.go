package elb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// The reach of the suite, kept visible: every operation of the 2012-06-01
// service model has behaviours in the catalogue, and the README's table of
// behaviours per operation is the catalogue's.

// modelOperations are the operations of the service model: the methods of
// the SDK's client that send one (ctx, *<Op>Input, ...optFns) and answer
// (*<Op>Output, error).
func modelOperations() []string {
	ctxType := reflect.TypeFor[context.Context]()
	errType := reflect.TypeFor[error]()
	var ops []string
	t := reflect.TypeFor[*elb.Client]()
	for i := range t.NumMethod() {
		m := t.Method(i)
		ft := m.Type // the receiver is the first argument
		if ft.NumIn() != 4 || ft.NumOut() != 2 || ft.In(1) != ctxType || ft.Out(1) != errType || !ft.IsVariadic() {
			continue
		}
		if ft.In(2).Elem().Name() == m.Name+"Input" && ft.Out(0).Elem().Name() == m.Name+"Output" {
			ops = append(ops, m.Name)
		}
	}
	slices.Sort(ops)
	return ops
}

func TestModelCoverage(t *testing.T) {
	ops := modelOperations()
	if len(ops) != 29 {
		t.Errorf("the SDK's client has %d operations, the 2012-06-01 model 29: %v", len(ops), ops)
	}
	per := behavioursPerOperation()
	for _, op := range ops {
		if len(per[op]) == 0 {
			t.Errorf("operation %s of the service model has no behaviour in %s", op, catalogueFile)
		}
	}
	for op := range per {
		if !slices.Contains(ops, op) {
			t.Errorf("%s names operation %s, which is not in the service model", catalogueFile, op)
		}
	}
}

// behavioursPerOperation groups the catalogue's behaviour IDs by operation.
func behavioursPerOperation() map[string][]string {
	per := map[string][]string{}
	for _, b := range behaviours.Behaviours {
		per[b.Operation] = append(per[b.Operation], b.ID)
	}
	return per
}

// readmeFile is the repository's README, found from this source file's path so that the test
// also finds it when the suite binary runs in another folder (the self-test's runs).
func readmeFile() string {
	_, self, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(self), "..", "..", "README.md")
}

const (
	tableStartMarker = "<!-- behaviours per operation: generated from suites/elb/behaviours.yaml by TestReadmeOperationTable; UPDATE_README=1 rewrites it -->"
	tableEndMarker   = "<!-- end of behaviours per operation -->"
)

// operationTable is the README's table: for each operation of the model, how
// many behaviours the catalogue has and how sure each is.
func operationTable() string {
	per := behavioursPerOperation()
	certainty := map[string]map[string]int{}
	for _, b := range behaviours.Behaviours {
		if certainty[b.Operation] == nil {
			certainty[b.Operation] = map[string]int{}
		}
		certainty[b.Operation][b.Certainty]++
	}
	var b strings.Builder
	b.WriteString("| operation | behaviours | modelled | documented | observed | believed |\n|---|---|---|---|---|---|\n")
	total := 0
	for _, op := range modelOperations() {
		c := certainty[op]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d |\n", op, len(per[op]), c["modelled"], c["documented"], c["observed"], c["believed"])
		total += len(per[op])
	}
	fmt.Fprintf(&b, "| **all %d operations** | **%d** | | | | |\n", len(modelOperations()), total)
	return b.String()
}

func TestReadmeOperationTable(t *testing.T) {
	raw, err := os.ReadFile(readmeFile())
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	start := strings.Index(readme, tableStartMarker)
	end := strings.Index(readme, tableEndMarker)
	if start < 0 || end < start {
		t.Fatalf("%s has no table between %q and %q", readmeFile(), tableStartMarker, tableEndMarker)
	}
	want := operationTable()
	got := readme[start+len(tableStartMarker)+1 : end]
	if got == want {
		return
	}
	if os.Getenv("UPDATE_README") != "" {
		updated := readme[:start+len(tableStartMarker)+1] + want + readme[end:]
		if err := os.WriteFile(readmeFile(), []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the README's table of behaviours per operation is not the catalogue's; run UPDATE_README=1 go test ./suites/elb -run TestReadmeOperationTable\nwant:\n%s\ngot:\n%s", want, got)
}
