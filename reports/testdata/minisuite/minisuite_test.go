// Package minisuite is a tiny Ginkgo suite whose only purpose is to produce
// real Ginkgo JSON reports for the report generator's tests (see
// ../record.sh). It talks to nothing: every outcome is scripted, and the
// MINISUITE_SCENARIO environment variable picks which run to simulate.
package minisuite

import (
	"os"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestMiniSuite(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "elbconform mini suite")
}

var _ = SynchronizedBeforeSuite(func() []byte {
	// The real suite attaches the target it resolved as this entry.
	AddReportEntry("elbconform/target", map[string]string{
		"target":         "emulator",
		"profile":        "emulator",
		"endpoint":       "http://127.0.0.1:1234",
		"region":         "us-east-1",
		"product":        "elb-emulator",
		"productVersion": "0.1.0",
	}, ReportEntryVisibilityNever)
	if os.Getenv("MINISUITE_SCENARIO") == "setup-fail" {
		Fail("cannot reach http://127.0.0.1:1234: dial tcp 127.0.0.1:1234: connect: connection refused")
	}
	return nil
}, func([]byte) {})

var _ = SynchronizedAfterSuite(func() {}, func() {
	AddReportEntry("elbconform/retries", map[string]int{"retries": 3, "throttled": 1}, ReportEntryVisibilityNever)
})

var _ = Describe("CreateLoadBalancer", Label("create"), func() {
	It("returns the DNS name of the new load balancer", Label("CRT-RESP-DNSNAME"), func() {
		Expect("my-lb-123.us-east-1.elb.amazonaws.com").To(HaveSuffix(".elb.amazonaws.com"))
	})
	It("rejects a name with markup such as <script>", Label("CRT-ERR-NAME", "wire"), func() {
		// The message carries markup so the tests can check it is escaped.
		Expect(`<script>alert("pwned")</script>`).To(Equal("ValidationError"), "error code for an invalid name")
	})
})

var _ = Describe("RegisterInstancesWithLoadBalancer", func() {
	It("lists the registered instances in its answer", Label("REG-RESP-MEMBERSHIP", "wire"), func() {
		Expect([]string{"i-1", "i-2"}).To(ConsistOf("i-2", "i-1"))
	})
	It("reports new instances as OutOfService until checked", Label("REG-HEALTH-INITIAL", "health"), func() {
		Skip("target profile emulator does not support capability \"health\"")
	})
})

var _ = Describe("DeleteLoadBalancer", func() {
	It("succeeds when the load balancer does not exist", Label("DEL-IDEMPOTENT"), func() {
		Expect("LoadBalancerNotFound").To(BeEmpty(), "deleting a missing load balancer")
	})
})

var _ = Describe("DescribeLoadBalancers", func() {
	It("pages with Marker and NextMarker", Label("DESC-PAGINATION"), func() {
		Expect(2).To(Equal(2))
	})
	It("honours PageSize up to 400", Label("DESC-PAGESIZE", "slow"), func() {
		Expect(400).To(BeNumerically("<=", 400))
	})
})

var _ = Describe("AddTags", func() {
	It("names a behaviour the catalogue does not know", Label("TAG-NOT-IN-CATALOGUE"), func() {
		Expect(true).To(BeTrue())
	})
	It("names no behaviour at all", Label("wire"), func() {
		Expect(true).To(BeTrue())
	})
})
