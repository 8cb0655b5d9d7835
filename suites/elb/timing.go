package elb

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// settle is how long a spec watches for something that must NOT happen
// (a duplicate appearing, an instance coming into service) once the thing it
// waits for has settled: a few polls of the target's profile.
func settle() time.Duration { return 5 * f.Polling() }

// noneCreated watches, for one settle window, that DescribeLoadBalancers lists none of
// names: each was refused by a CreateLoadBalancer, and a refused create creates nothing.
// A spec that sends several watches them all at once rather than one after another.
func noneCreated(ctx context.Context, names ...string) {
	GinkgoHelper()
	Consistently(func() ([]string, error) { return f.LoadBalancersListed(ctx, names...) }).WithContext(ctx).WithTimeout(settle()).
		Should(BeEmpty(), "refused CreateLoadBalancer calls create nothing")
}

// WaitsOnAWSClocks schedules a spec before the others: it waits on clocks no target
// profile shortens on AWS (an instance of its own starting, stopping or terminating, the
// default health check's 30 s interval, a draining timeout), so a late start would make it
// the run's long tail while the other processes sit idle.
var WaitsOnAWSClocks = SpecPriority(1)
