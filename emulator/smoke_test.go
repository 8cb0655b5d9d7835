package emulator

import "testing"

func TestSmoke(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launchRunning(3, "us-east-1a")
	e.createLB("web", "us-east-1a")
	got, err := e.register("web", ids[0], ids[1])
	t.Log(got, err)
	got, err = e.register("web", ids[2], ids[2])
	t.Log(got, err)
	t.Log(e.members("web"))
	h, err := e.health("web")
	t.Log(h, err)
	e.waitState("web", ids[0], "InService", 2e9)
	r := e.post(elbForm("DescribeLoadBalancers"), "")
	t.Log(r.status, r.body)
}
