package emulator

import (
	"net/http"
	"strings"
	"time"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// registerInstances adds instances and answers the whole membership after the call (doc:
// "the updated list"). Re-registering is a no-op success and duplicates within one request
// count once (set semantics). An instance that does not exist, is not running (terminated,
// shutting-down, stopped, stopping) or is in another VPC makes the whole call InvalidInstance.
// Pending instances are accepted: they go InService once running.
func (h *handler) registerInstances(rc *wire.Request, x *wire.Writer) *wire.Error {
	return h.membershipCall(rc, x, func(lb *loadBalancer, ids []string) *wire.Error {
		if e := h.dev.RegisterRequest(ids); e != nil {
			return e
		}
		unique := dedupe(ids)
		var bad, good []string
		var unknown []string
		for _, id := range unique {
			problem, isUnknown := h.registrationProblem(lb, id, rc.Now)
			switch {
			case problem == "":
				good = append(good, id)
			case isUnknown:
				unknown = append(unknown, id)
				bad = append(bad, problem)
			default:
				bad = append(bad, problem)
			}
		}
		if len(bad) > 0 {
			h.dev.OnRefusedRegister(good, unknown, func(id string) { h.register(lb, id, rc.Now) })
			return errInvalidInstance("%s", wire.Truncate(strings.Join(bad, " "), 2000))
		}

		if quota := h.quota(limitInstances); quota >= 0 {
			added := 0
			for _, id := range unique {
				if _, ok := lb.members.get(id); !ok {
					added++
				}
			}
			if lb.members.len()+added > quota {
				// Not in the model: the quota error is undocumented. LimitExceeded is the code
				// AWS query services of the same family (Auto Scaling, IAM) use for quotas.
				return wire.NewError(http.StatusBadRequest, "LimitExceeded",
					"Exceeded quota of %d registered instances per load balancer (%s has %d, the call adds %d).",
					quota, lb.name, lb.members.len(), added)
			}
		}

		seen := make(map[string]bool, len(ids))
		for _, id := range ids {
			if seen[id] {
				h.dev.OnRepeatInRequest(lb, id)
				continue
			}
			seen[id] = true
			h.register(lb, id, rc.Now)
		}
		writeInstanceList(x, h.dev.RegisterAnswer(unique, lb.members.ids()))
		return nil
	})
}

// regProblems is the set of reasons an instance cannot be registered; the first in the
// order below is the one answered.
type regProblems uint8

const (
	problemUnknown    regProblems = 1 << iota // the instance does not exist
	problemNotVisible                         // ELB does not see it yet (its view of EC2 lags)
	problemTerminated                         // terminated or shutting-down
	problemStopped                            // stopped or stopping
	problemOtherVPC                           // not in the load balancer's VPC
)

// registrationProblem returns why id cannot be registered with lb ("" if it can) and whether
// the reason is that the instance does not exist. The caller holds the store lock.
func (h *handler) registrationProblem(lb *loadBalancer, id string, now time.Time) (problem string, unknown bool) {
	in, exists := h.st.elb.ec2.Instance(id, now)
	var p regProblems
	if !exists {
		p |= problemUnknown
	} else {
		switch in.state {
		case stateTerminated, stateShuttingDown:
			p |= problemTerminated
		case stateStopped, stateStopping:
			p |= problemStopped
		}
		if in.vpcID != lb.vpc.id {
			p |= problemOtherVPC
		}
	}
	p = h.dev.RegistrationProblems(lb, in, exists, now, p)
	state := in.state
	switch {
	case p&problemUnknown != 0:
		return "The instance " + wire.Truncate(id, 64) + " does not exist.", true
	case p&problemNotVisible != 0:
		return "Could not find EC2 instance " + id + ".", false
	case p&(problemTerminated|problemStopped) != 0:
		return "EC2 instance " + id + " is not in running state (" + state + ").", false
	case p&problemOtherVPC != 0:
		return "EC2 instance " + id + " is not in the same VPC as load balancer " + lb.name + ".", false
	}
	return "", false
}

// register adds one instance to lb and to the reverse index (elbState.byInstance).
func (h *handler) register(lb *loadBalancer, id string, now time.Time) {
	if mem, ok := lb.members.get(id); ok {
		h.dev.OnReregister(mem)
		return
	}
	lb.members.add(id, now)
	delete(lb.former, id)
	delete(lb.draining, id) // a registration of its own; the old one's flights still end as they would
	if in, ok := h.st.elb.ec2.Instance(id, now); ok {
		h.st.elb.link(id, lb)
		h.onRegister(lb, in) // a backed instance needs the health checker (dataplane.go)
	}
	h.dev.OnMembershipChange(lb, id, true, now)
}
