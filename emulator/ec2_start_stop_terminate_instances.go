package emulator

import (
	"net/http"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// transition is one lifecycle call: for each effective current state, the state to set, or
// "" for no change; a state missing from the map is IncorrectInstanceState.
type transition struct {
	verb string
	next map[string]string
}

var (
	terminateTransition = transition{"terminated", map[string]string{
		statePending: stateShuttingDown, stateRunning: stateShuttingDown, stateStopping: stateShuttingDown,
		stateStopped: stateShuttingDown, stateShuttingDown: "", stateTerminated: "",
	}}
	stopTransition = transition{"stopped", map[string]string{
		stateRunning: stateStopping, stateStopping: "", stateStopped: "",
	}}
	startTransition = transition{"started", map[string]string{
		stateStopped: statePending, statePending: "", stateRunning: "",
	}}
)

func (h *handler) terminateInstances(rc *wire.Request, x *wire.Writer) *wire.Error {
	return h.changeInstanceStates(rc, x, terminateTransition)
}

func (h *handler) stopInstances(rc *wire.Request, x *wire.Writer) *wire.Error {
	return h.changeInstanceStates(rc, x, stopTransition)
}

func (h *handler) startInstances(rc *wire.Request, x *wire.Writer) *wire.Error {
	return h.changeInstanceStates(rc, x, startTransition)
}

// changeInstanceStates applies a lifecycle call to every InstanceId.N, all or nothing, and
// answers each instance's previous and current state. Terminating an instance is told to ELB
// (elbHooks), which deregisters it from every load balancer.
func (h *handler) changeInstanceStates(rc *wire.Request, x *wire.Writer, t transition) *wire.Error {
	ids, err := rc.Params.List("InstanceId")
	if err != nil {
		return errEC2InvalidParam("%v", err)
	}
	if len(ids) == 0 {
		return errEC2Missing("InstanceId")
	}
	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	instances, e := h.lookupInstances(ids)
	if e != nil {
		return e
	}
	prev := make([]string, len(instances))
	for i, in := range instances {
		prev[i], _ = in.effectiveState(rc.Now, st.ec2.instanceDelay)
		if _, ok := t.next[prev[i]]; !ok {
			return wire.NewError(http.StatusBadRequest, "IncorrectInstanceState",
				"This instance '%s' is not in a state from which it can be %s.", in.id, t.verb)
		}
	}
	for i, in := range instances {
		next := t.next[prev[i]]
		if next == "" {
			continue
		}
		in.setState(next, rc.Now)
		if next == stateShuttingDown {
			st.ec2.elb.InstanceTerminating(in.id, rc.Now)
		}
	}
	x.Structs("instancesSet", len(instances), func(i int) {
		cur, _ := instances[i].effectiveState(rc.Now, st.ec2.instanceDelay)
		x.Leaf("instanceId", instances[i].id)
		writeState(x, "currentState", cur)
		writeState(x, "previousState", prev[i])
	})
	return nil
}
