package elb

import "testing"

// TestConformance is the suite under `go test` and the Ginkgo CLI.
func TestConformance(t *testing.T) { Run(t) }
