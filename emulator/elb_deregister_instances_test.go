package emulator

import (
	"strings"
	"testing"
)

func TestDeregister(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launchRunning(4, "us-east-1a")
	e.createLB("lb", "us-east-1a")
	must[[]string](t)(e.register("lb", ids[:3]...))
	got := must[[]string](t)(e.deregister("lb", ids[0]))
	if !sameSet(got, ids[1:3]) {
		t.Errorf("Deregister answered %v, want remaining %v", got, ids[1:3])
	}
	// One unregistered id: InvalidInstance, nothing removed (not even the registered one).
	_, err := e.deregister("lb", ids[1], ids[3])
	wantCode(t, err, "InvalidInstance", 400)
	_, err = e.deregister("lb", ids[1], "i-0123456789abcdef0")
	wantCode(t, err, "InvalidInstance", 400)
	if m := e.members("lb"); !sameSet(m, ids[1:3]) {
		t.Errorf("failed deregister changed membership to %v", m)
	}
	_, err = e.deregister("nope", ids[1])
	wantCode(t, err, "LoadBalancerNotFound", 400)
	r := e.post(elbForm("DeregisterInstancesFromLoadBalancer", "LoadBalancerName", "lb"), "")
	if r.status != 400 || !strings.Contains(r.body, "<Code>ValidationError</Code>") {
		t.Errorf("missing Instances: %d %s", r.status, r.body)
	}
	got = must[[]string](t)(e.deregister("lb", ids[1], ids[2], ids[2]))
	if len(got) != 0 || len(e.members("lb")) != 0 {
		t.Errorf("deregistering everything left %v", got)
	}
}
