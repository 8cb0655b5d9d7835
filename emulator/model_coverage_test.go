package emulator

import (
	"context"
	"reflect"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// TestEveryModelOperationAnswered: the emulator answers every operation of the 2012-06-01
// model (the methods of the SDK's client that send one operation), none as
// "not implemented".
func TestEveryModelOperationAnswered(t *testing.T) {
	ctxType := reflect.TypeFor[context.Context]()
	ct := reflect.TypeFor[*elb.Client]()
	n := 0
	for i := range ct.NumMethod() {
		m := ct.Method(i)
		if m.Type.NumIn() != 4 || m.Type.In(1) != ctxType || m.Type.In(2).Elem().Name() != m.Name+"Input" {
			continue
		}
		n++
		if _, ok := elbOps[m.Name]; !ok {
			t.Errorf("the emulator does not answer %s", m.Name)
		}
	}
	if n != 29 {
		t.Errorf("the SDK's client has %d operations, the model 29", n)
	}
	if len(elbModelOnlyActions) != 0 {
		t.Errorf("actions of the model answered as not implemented: %v", elbModelOnlyActions)
	}
}
