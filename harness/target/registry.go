package target

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/elbconform/elbconform/harness/config"
)

// StartFunc starts one kind of target.
type StartFunc func(ctx context.Context, cfg *config.Config, log io.Writer) (*Running, error)

// Target kinds that live in packages of their own register here, from their
// package's init, so that Start offers them only in builds that import them.
// The container target is one (harness/target/container): it alone needs
// the Docker client, which the default run should neither download nor
// compile.
var (
	registryMu sync.Mutex
	registry   = map[string]StartFunc{}
)

// Register makes target kind available to Start. A kind registers once.
func Register(kind string, start StartFunc) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[kind]; dup {
		panic(fmt.Sprintf("target: kind %q registered twice", kind))
	}
	registry[kind] = start
}

// missing says how to get a build that has a registered kind.
var missing = map[string]string{
	config.TargetContainer: "this build of the suite has no container target: build it with -tags container, as `make conformance TARGET=container` and `make container` do (go build -tags container ./cmd/elbconform for the binary)",
}

func startRegistered(ctx context.Context, cfg *config.Config, log io.Writer) (*Running, error) {
	registryMu.Lock()
	start, ok := registry[cfg.Target]
	registryMu.Unlock()
	if !ok {
		return nil, errors.New(missing[cfg.Target])
	}
	return start(ctx, cfg, log)
}
