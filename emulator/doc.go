// Package emulator is the reference emulator of elbconform: an in-memory implementation of
// the Elastic Load Balancing Classic API (2012-06-01, awsQuery) plus the slice of EC2
// (2016-11-15, ec2Query) the suite's fixtures need to create instances, VPCs and subnets.
//
// It is the "known good" target the suite is developed against. Its behaviour follows
// /work/shared/elb-facts.md; where the facts leave a choice open the code says which choice
// was made and why. Time-dependent state (instance lifecycle, registration health) is derived
// lazily from timestamps rather than driven by timers, so reads never mutate state and the
// emulator has no background goroutines.
//
// Options.Faults switch on deliberate deviations (each breaks one documented promise) and
// Options.Variants switch on benign behaviours the documentation leaves open; the suite's
// self-test uses them to prove its specs catch real bugs and tolerate legal differences.
package emulator
