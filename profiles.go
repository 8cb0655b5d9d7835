// Package elbconform carries the files of this repository that the suite
// binary (cmd/elbconform) needs at run time and a checkout would otherwise
// provide: the default target profiles, ginkgo.yml. The catalogue and the
// profiles' deviations files are embedded by the suite package itself
// (suites/elb).
package elbconform

import _ "embed"

// Profiles is ginkgo.yml, the default target profiles.
//
//go:embed ginkgo.yml
var Profiles []byte
