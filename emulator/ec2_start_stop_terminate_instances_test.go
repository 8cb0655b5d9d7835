package emulator

import (
	"slices"
	"testing"
	"time"

	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestInstanceLifecycle(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launch(2, "")
	// Stopping a pending instance is refused.
	_, err := e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: ids[:1]})
	wantCode(t, err, "IncorrectInstanceState", 400)
	time.Sleep(testInstanceDelay + 10*time.Millisecond)

	stop := must[*ec2.StopInstancesOutput](t)(e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: ids[:1]}))
	if c := stop.StoppingInstances[0]; c.PreviousState.Name != "running" || c.CurrentState.Name != "stopping" {
		t.Errorf("stop: %s -> %s", c.PreviousState.Name, c.CurrentState.Name)
	}
	_, err = e.ec2.StartInstances(e.ctx, &ec2.StartInstancesInput{InstanceIds: ids[:1]})
	wantCode(t, err, "IncorrectInstanceState", 400)
	time.Sleep(testInstanceDelay + 10*time.Millisecond)
	start := must[*ec2.StartInstancesOutput](t)(e.ec2.StartInstances(e.ctx, &ec2.StartInstancesInput{InstanceIds: ids[:1]}))
	if c := start.StartingInstances[0]; c.PreviousState.Name != "stopped" || c.CurrentState.Name != "pending" {
		t.Errorf("start: %s -> %s", c.PreviousState.Name, c.CurrentState.Name)
	}
	term := must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}))
	for _, c := range term.TerminatingInstances {
		if c.CurrentState.Name != "shutting-down" {
			t.Errorf("terminate: %s -> %s", c.PreviousState.Name, c.CurrentState.Name)
		}
	}
	time.Sleep(testInstanceDelay + 10*time.Millisecond)
	got := must[[]ec2types.Instance](t)(e.describeInstances(&ec2.DescribeInstancesInput{InstanceIds: ids}))
	if len(got) != 2 || got[0].State.Name != "terminated" || got[1].State.Name != "terminated" {
		t.Errorf("terminated instances should stay describable as terminated: %+v", got)
	}
	again := must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids[:1]}))
	if c := again.TerminatingInstances[0]; c.PreviousState.Name != "terminated" || c.CurrentState.Name != "terminated" {
		t.Errorf("terminate twice: %s -> %s", c.PreviousState.Name, c.CurrentState.Name)
	}
	_, err = e.ec2.StartInstances(e.ctx, &ec2.StartInstancesInput{InstanceIds: ids[:1]})
	wantCode(t, err, "IncorrectInstanceState", 400)
	_, err = e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
	wantCode(t, err, "InvalidInstanceID.NotFound", 400)
}

func TestTerminateDeregistersFromEveryLB(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launchRunning(2, "us-east-1a")
	for _, lb := range []string{"a", "b", "c"} {
		e.createLB(lb, "us-east-1a")
		must[[]string](t)(e.register(lb, ids...))
	}
	must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids[:1]}))
	for _, lb := range []string{"a", "b", "c"} {
		if m := e.members(lb); !slices.Equal(m, ids[1:]) {
			t.Errorf("%s members after terminate: %v", lb, m)
		}
	}
}
