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
