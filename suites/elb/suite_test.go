package elb

import (
	"testing"

	// The Ginkgo CLI treats a package as a Ginkgo suite (parallel processes,
	// reports) only when one of its _test.go files imports Ginkgo: the specs
	// themselves live in plain .go files, so that cmd/elbconform can carry them.
	_ "github.com/onsi/ginkgo/v2"
)

// TestConformance is the suite under `go test` and the Ginkgo CLI.
func TestConformance(t *testing.T) { Run(t) }
