package target

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/elbconform/elbconform/harness/config"
)

// This package's tests do not import harness/target/container, so they are a
// build without the container target: choosing it must fail at once, with
// one line that says how to get a build that has it, and never start anything.
func TestContainerTargetAbsentFromThisBuild(t *testing.T) {
	cfg, err := config.Load(".", func(k string) (string, bool) {
		if k == "CONFORMANCE_TARGET" {
			return config.TargetContainer, true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	run, err := Start(context.Background(), cfg, &log)
	if err == nil {
		_ = run.Stop(context.Background())
		t.Fatal("Start chose the container target in a build that does not import harness/target/container")
	}
	for _, want := range []string{"no container target", "-tags container", "make conformance TARGET=container"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "\n") || log.Len() != 0 {
		t.Errorf("want one line and nothing logged; got %q, log %q", err, log.String())
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	const kind = "test-kind-registered-twice"
	t.Cleanup(func() {
		registryMu.Lock()
		delete(registry, kind)
		registryMu.Unlock()
	})
	start := func(context.Context, *config.Config, io.Writer) (*Running, error) { return nil, nil }
	Register(kind, start)
	defer func() {
		if recover() == nil {
			t.Error("a second Register of the same kind did not panic")
		}
	}()
	Register(kind, start)
}
