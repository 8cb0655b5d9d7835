package emulator

import (
	"slices"

	"github.com/elbconform/elbconform/emulator/internal/modes"
)

// Mode names and describes one fault mode or benign variant.
type Mode = modes.Mode

// FaultModes lists the fault modes Options.Faults accepts, in a stable order.
func FaultModes() []Mode { return slices.Clone(modes.Faults) }

// Variants lists the benign variants Options.Variants accepts, in a stable order.
func Variants() []Mode { return slices.Clone(modes.Variants) }
