package emulator

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// TestConcurrentUse hammers the emulator from many goroutines with every kind of call (run
// under -race). Afterwards membership must be consistent: no duplicates, no terminated or
// unknown instances, and DescribeLoadBalancers agrees with DescribeInstanceHealth.
func TestConcurrentUse(t *testing.T) {
	e := newEnv(t, Options{MaxRunningInstances: -1}) // concurrency, not quotas: an SDK retry of a served RunInstances must not hit a limit
	ids := e.launchRunning(40, "us-east-1a")
	lbs := []string{"c0", "c1", "c2"}
	for _, lb := range lbs {
		e.createLB(lb, "us-east-1a", "us-east-1b")
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for i := range 40 {
				lb := lbs[rng.IntN(len(lbs))]
				pick := []string{ids[rng.IntN(len(ids))], ids[rng.IntN(len(ids))]}
				var err error
				switch i % 8 {
				case 0, 1:
					_, err = e.register(lb, pick...)
				case 2:
					_, err = e.deregister(lb, pick...)
				case 3:
					_, err = e.health(lb)
				case 4:
					_, err = e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{})
				case 5:
					if rng.IntN(4) == 0 {
						_, err = e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: pick[:1]})
					}
				case 6:
					_, err = e.elb.EnableAvailabilityZonesForLoadBalancer(e.ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{
						LoadBalancerName: aws.String(lb), AvailabilityZones: []string{"us-east-1c"}})
				case 7:
					_, err = e.ec2.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{})
				}
				// InvalidInstance is expected (terminated picks, unregistered deregisters).
				if err != nil && apiCode(err) != "InvalidInstance" {
					t.Errorf("worker %d call %d: %v", w, i, err)
				}
			}
		})
	}
	wg.Wait()

	st := e.srv.h.st
	for _, lb := range lbs {
		members := e.members(lb)
		seen := map[string]bool{}
		for _, id := range members {
			if seen[id] {
				t.Errorf("%s: duplicate member %s", lb, id)
			}
			seen[id] = true
			st.mu.RLock()
			in := st.ec2.instances[id]
			state := ""
			if in != nil {
				state = in.state
				if _, ok := st.elb.byInstance[id][lb]; !ok {
					t.Errorf("%s: reverse index misses %s", lb, id)
				}
			}
			st.mu.RUnlock()
			if in == nil || state == stateShuttingDown || state == stateTerminated {
				t.Errorf("%s: member %s is %q", lb, id, state)
			}
		}
		h := must[map[string]elbTypesState](t)(healthStates(e, lb))
		if len(h) != len(members) {
			t.Errorf("%s: %d members but %d health states", lb, len(members), len(h))
		}
	}
	t.Log(fmt.Sprintf("final sizes checked for %d load balancers", len(lbs)))
}
