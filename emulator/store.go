package emulator

import (
	"sync"
)

// store is the emulator's whole state, in two parts with their own data and operations:
// ec2 (ec2_state.go: VPCs, subnets, instances) and elb (elb_state.go: load balancers). ELB
// code reads EC2 only through the ec2Reader interface (elb.ec2), and EC2 tells ELB what it
// must react to only through the elbHooks interface (ec2.elb); both are in services.go.
//
// One RWMutex guards both parts, so every call is all-or-nothing, including the calls that
// cross the seam (a termination deregistering, DeleteSubnet asking whether a load balancer
// uses the subnet): mutations take the write lock, reads the read lock. Because
// time-dependent state is derived from timestamps (see instance.effectiveState and
// elb_health.go), reads never write and can run in parallel.
type store struct {
	mu sync.RWMutex

	ec2 *ec2State
	elb *elbState
	iam *iamState // server certificates (iam_state.go)
}

// newStore builds the initial world (newEC2State) and an ELB without load balancers, wired
// to read it. The hooks EC2 calls (ec2.elb) are set by newHandler.
func newStore(o Options) *store {
	e := newEC2State(o)
	return &store{ec2: e, elb: newELBState(o, e), iam: newIAMState(o)}
}

func splitDash(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
