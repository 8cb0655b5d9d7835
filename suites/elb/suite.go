// Package elb is the conformance suite for Elastic Load Balancing Classic
// (API 2012-06-01), centred on RegisterInstancesWithLoadBalancer and the
// operations whose state it touches. Spec files are numbered in reading
// order; each spec states one documented behaviour in plain words and names
// its behaviour ID (behaviours.yaml) as a label and in its text.
package elb

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness"
	"github.com/elbconform/elbconform/reports"
)

// Run runs the suite's specs as Ginkgo's RunSpecs does and reports whether they
// passed. `go test` runs it through TestConformance; the elbconform binary
// (cmd/elbconform) runs it in each of its suite processes, with no test
// framework and no checkout around it.
func Run(t GinkgoTestingT) bool {
	RegisterFailHandler(Fail)
	return RunSpecs(t, SuiteName)
}

// SuiteName is the suite's name in Ginkgo's reports.
const SuiteName = "ELB Classic conformance"

// f is this Ginkgo process's framework: its target session and fixtures.
var f *fixtures.Framework

// Setup errors stop the run before any spec with their own one-line message
// (AbortSuite, not a Gomega failure: a configuration mistake is not a failed
// assertion, and its message is the whole story). When process 1 aborts,
// Ginkgo stops the other processes without a message of their own, so the
// reason is reported once.
var _ = SynchronizedBeforeSuite(func(ctx SpecContext) []byte {
	// Process 1 starts the target once and shares it with every process.
	cfg, err := harness.LoadConfig()
	if err != nil {
		AbortSuite(err.Error())
	}
	run, stop, err := harness.Start(ctx, cfg, GinkgoWriter)
	if err != nil {
		AbortSuite(err.Error())
	}
	// Runs on process 1 after every process has finished.
	DeferCleanup(func(ctx context.Context) error { return stop(ctx) })
	// The account's quotas and the load balancers it already holds size how many specs
	// may hold load balancers at once (fixtures/headroom.go); with no room the run stops
	// here, before any spec.
	s, err := harness.Join(ctx, cfg, run)
	if err != nil {
		AbortSuite("building the clients: " + err.Error())
	}
	// Before the headroom: a run stopped for want of room still names its target.
	AddReportEntry(reports.TargetEntry, s.Info())
	suiteConfig, _ := GinkgoConfiguration()
	room, err := fixtures.MeasureHeadroom(ctx, s, suiteConfig.ParallelTotal, cfg.QuotaBudget)
	if err != nil {
		AbortSuite(err.Error())
	}
	DeferCleanup(room.Remove)
	AddReportEntry(fixtures.HeadroomEntry, room.Summary)
	// The running instances specs share (fixtures/pool.go), launched once for the run.
	pool, err := fixtures.New(s).LaunchPool(ctx)
	if err != nil {
		AbortSuite("setup: " + err.Error())
	}
	return fixtures.Shared{Run: run.Marshal(), Headroom: room, Pool: pool}.Marshal()
}, func(ctx SpecContext, b []byte) {
	cfg, err := harness.LoadConfig()
	if err != nil {
		AbortSuite(err.Error())
	}
	shared, err := fixtures.UnmarshalShared(b)
	if err != nil {
		AbortSuite(err.Error())
	}
	run, err := harness.UnmarshalRun(shared.Run)
	if err != nil {
		AbortSuite(err.Error())
	}
	s, err := harness.Join(ctx, cfg, run)
	if err != nil {
		AbortSuite("building the clients: " + err.Error())
	}
	f = fixtures.New(s)
	f.FitInto(shared.Headroom)
	f.UsePool(shared.Pool)
	// Specs pass their context to Eventually so an interrupt stops them;
	// without this, Gomega would then wait for the context rather than the
	// profile's timeout.
	EnforceDefaultTimeoutsWhenUsingContexts()
	SetDefaultEventuallyTimeout(f.Timeout())
	SetDefaultEventuallyPollingInterval(f.Polling())
	SetDefaultConsistentlyPollingInterval(f.Polling())
	if GinkgoParallelProcess() == 1 {
		GinkgoWriter.Printf("elbconform: %s (profile %s, run %s; %d instances shared by the specs)\n", run.Description, run.Profile, run.ID, shared.Pool.Size())
	}
})

var _ = SynchronizedAfterSuite(func() {
	// Every process reports the retries its SDK clients made: a target may
	// throttle, and the suite retries as real clients do, but users should see it.
	if f != nil {
		AddReportEntry(reports.RetriesEntry, reports.Retries{Retries: int(f.Clients.Retries.Retries()), Throttled: int(f.Clients.Retries.Throttled())})
	}
}, func() {})

// A spec that needs a capability the target's profile declares it lacks is
// skipped with the profile's reason: reported as skipped, never as passed.
var _ = BeforeEach(func() {
	f.SpecStarts()
	for _, label := range CurrentSpecReport().Labels() {
		if reason, lacks := f.Config.LacksLabel(label); lacks {
			Skip("target profile " + f.Config.Name + " lacks " + label + ": " + reason)
		}
	}
})

// A failed spec's report gets the target's view of the load balancers it
// created, taken before its cleanups remove them.
var _ = JustAfterEach(func() { f.DumpIfFailed() })
