package target

import (
	"os"
	"syscall"

	"github.com/elbconform/elbconform/internal/procid"
	"github.com/elbconform/elbconform/internal/runenv"
)

// LifelineEnv, when set (the runner sets it for the Ginkgo processes it
// starts), makes the kernel send this process SIGTERM should its parent (the
// Ginkgo CLI) die: a run whose runner was killed outright then still takes
// the interrupt path, Ginkgo's cleanup included, instead of running on
// unattended. It is here, not in the container target, because it matters
// for every target: each suite process imports this package.
const LifelineEnv = runenv.Lifeline

func init() {
	if os.Getenv(LifelineEnv) != "" {
		procid.TieToParent(syscall.SIGTERM)
	}
}
