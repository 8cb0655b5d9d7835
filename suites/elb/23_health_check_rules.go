package elb

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gstruct"
	"github.com/onsi/gomega/types"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
)

// ConfigureHealthCheck's ranges and target syntax (API reference HealthCheck): Interval 5-300,
// Timeout 2-60 and "less than the Interval value", both thresholds 2-10; the target is
// PROTOCOL:PORT for TCP and SSL, PROTOCOL:PORT/PATH for HTTP and HTTPS ("you must include a
// ping path"), with a port from 1 through 65535. A refused call leaves the health check in
// force as it was: the fixtures' FastHealthCheck.
var _ = Describe("Parameter rules: ConfigureHealthCheck", func() {
	var lb string
	BeforeEach(func(ctx SpecContext) { lb = f.CreateLoadBalancer(ctx, f.Zones(ctx, 1)[0]) })

	// valid is a health check every rule accepts; each case changes one thing of it.
	valid := func() elbtypes.HealthCheck {
		return elbtypes.HealthCheck{Target: aws.String("TCP:80"), Interval: aws.Int32(30), Timeout: aws.Int32(5),
			UnhealthyThreshold: aws.Int32(2), HealthyThreshold: aws.Int32(10)}
	}
	with := func(change func(*elbtypes.HealthCheck)) elbtypes.HealthCheck {
		hc := valid()
		change(&hc)
		return hc
	}
	describe := func(hc elbtypes.HealthCheck) string {
		return fmt.Sprintf("%s interval %d timeout %d unhealthy %d healthy %d", aws.ToString(hc.Target),
			aws.ToInt32(hc.Interval), aws.ToInt32(hc.Timeout), aws.ToInt32(hc.UnhealthyThreshold), aws.ToInt32(hc.HealthyThreshold))
	}
	// refusedAll sends each health check and expects it refused as matcher says, then the
	// health check in force unchanged.
	refusedAll := func(ctx SpecContext, matcher types.GomegaMatcher, checks ...elbtypes.HealthCheck) {
		GinkgoHelper()
		for _, hc := range checks {
			_, err := f.ConfigureHealthCheck(ctx, lb, hc)
			Expect(err).To(matcher, "health check %s", describe(hc))
		}
		Consistently(f.HealthCheckOf).WithContext(ctx).WithArguments(lb).WithTimeout(settle()).Should(Equal(fixtures.FastHealthCheck),
			"a refused ConfigureHealthCheck changes nothing")
	}

	It("refuses an Interval outside 5-300 with ValidationError (HTTP 400)", Behaviour("HC-RANGE-INTERVAL"), func(ctx SpecContext) {
		refusedAll(ctx, match.APIError(400, "ValidationError"),
			with(func(hc *elbtypes.HealthCheck) { hc.Interval, hc.Timeout = aws.Int32(4), aws.Int32(2) }),
			with(func(hc *elbtypes.HealthCheck) { hc.Interval = aws.Int32(301) }))
	})

	It("refuses a Timeout outside 2-60 with ValidationError (HTTP 400)", Behaviour("HC-RANGE-TIMEOUT"), func(ctx SpecContext) {
		refusedAll(ctx, match.APIError(400, "ValidationError"),
			with(func(hc *elbtypes.HealthCheck) { hc.Timeout = aws.Int32(1) }),
			with(func(hc *elbtypes.HealthCheck) { hc.Interval, hc.Timeout = aws.Int32(120), aws.Int32(61) }))
	})

	It("refuses a healthy or unhealthy threshold outside 2-10 with ValidationError (HTTP 400)", Behaviour("HC-RANGE-THRESHOLDS"), func(ctx SpecContext) {
		refusedAll(ctx, match.APIError(400, "ValidationError"),
			with(func(hc *elbtypes.HealthCheck) { hc.UnhealthyThreshold = aws.Int32(1) }),
			with(func(hc *elbtypes.HealthCheck) { hc.UnhealthyThreshold = aws.Int32(11) }),
			with(func(hc *elbtypes.HealthCheck) { hc.HealthyThreshold = aws.Int32(1) }),
			with(func(hc *elbtypes.HealthCheck) { hc.HealthyThreshold = aws.Int32(11) }))
	})

	It("refuses a Timeout that is not less than the Interval with a 400 client error", Behaviour("HC-RANGE-TIMEOUT-BELOW-INTERVAL"), func(ctx SpecContext) {
		refusedAll(ctx, match.ClientError(400),
			with(func(hc *elbtypes.HealthCheck) { hc.Interval, hc.Timeout = aws.Int32(10), aws.Int32(10) }),
			with(func(hc *elbtypes.HealthCheck) { hc.Interval, hc.Timeout = aws.Int32(10), aws.Int32(20) }))
	})

	It("refuses a TCP or SSL target with a path with ValidationError (HTTP 400), and an HTTP or HTTPS target without one with a 400 client error", Behaviour("HC-RANGE-TARGET-PATH"), func(ctx SpecContext) {
		target := func(t string) elbtypes.HealthCheck {
			return with(func(hc *elbtypes.HealthCheck) { hc.Target = aws.String(t) })
		}
		for _, hc := range []elbtypes.HealthCheck{target("TCP:80/"), target("SSL:443/ping")} {
			_, err := f.ConfigureHealthCheck(ctx, lb, hc)
			Expect(err).To(match.APIError(400, "ValidationError"), "health check %s", describe(hc))
		}
		refusedAll(ctx, match.ClientError(400), target("HTTP:80"), target("HTTPS:443"))
	})

	It("refuses a target whose port is outside 1-65535 or whose protocol is not TCP, SSL, HTTP or HTTPS with a 400 client error", Behaviour("HC-RANGE-TARGET-PORT"), func(ctx SpecContext) {
		target := func(t string) elbtypes.HealthCheck {
			return with(func(hc *elbtypes.HealthCheck) { hc.Target = aws.String(t) })
		}
		refusedAll(ctx, match.ClientError(400), target("TCP:0"), target("TCP:65536"), target("HTTP:65536/"), target("TCP"), target("FTP:21"), target("UDP:53"))
	})

	It("accepts the ends of every range, a Timeout one below the Interval, and a target of each protocol, and puts each in force as sent", Behaviour("HC-RANGE-ACCEPTS-BOUNDS"), func(ctx SpecContext) {
		for _, hc := range []elbtypes.HealthCheck{
			{Target: aws.String("TCP:1"), Interval: aws.Int32(5), Timeout: aws.Int32(2), UnhealthyThreshold: aws.Int32(2), HealthyThreshold: aws.Int32(2)},
			{Target: aws.String("SSL:65535"), Interval: aws.Int32(300), Timeout: aws.Int32(60), UnhealthyThreshold: aws.Int32(10), HealthyThreshold: aws.Int32(10)},
			{Target: aws.String("HTTP:80/"), Interval: aws.Int32(5), Timeout: aws.Int32(4), UnhealthyThreshold: aws.Int32(3), HealthyThreshold: aws.Int32(3)},
			{Target: aws.String("HTTPS:443/health/check"), Interval: aws.Int32(61), Timeout: aws.Int32(60), UnhealthyThreshold: aws.Int32(5), HealthyThreshold: aws.Int32(5)},
		} {
			out, err := f.ConfigureHealthCheck(ctx, lb, hc)
			Expect(err).NotTo(HaveOccurred(), "health check %s", describe(hc))
			Expect(out.HealthCheck).To(gstruct.PointTo(Equal(hc)))
			Eventually(f.HealthCheckOf).WithContext(ctx).WithArguments(lb).Should(Equal(hc))
		}
	})
})
