package procid

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// exited is the identity of a process that ran here and has been reaped.
func exited(t *testing.T) Owner {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	o := Of(cmd.Process.Pid)
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestCheck(t *testing.T) {
	self := Self()
	if self.Host == "" || self.PID != os.Getpid() {
		t.Fatalf("Self() = %+v", self)
	}
	if runtime.GOOS == "linux" && (self.Start == "" || self.Boot == "" || self.PIDNS == "") {
		t.Errorf("on Linux Self() should know start time, boot and PID namespace: %+v", self)
	}
	dead := exited(t)
	reused := self
	reused.Start = "1" // this PID, but a process that started at boot: not this one
	otherBoot := dead
	otherBoot.PID = self.PID // alive here, but the label is from an earlier boot
	otherBoot.Boot = "00000000-0000-0000-0000-000000000000"
	otherHost := dead
	otherHost.Host = "another-machine.example"
	otherNS := dead
	otherNS.PIDNS = "pid:[1]"

	for _, tc := range []struct {
		name  string
		owner Owner
		want  Verdict
		why   string
	}{
		{"this process", self, Alive, "is running"},
		{"a process that exited", dead, Gone, "has exited"},
		{"a reused PID", reused, Gone, "newer process"},
		{"an earlier boot", otherBoot, Gone, "rebooted"},
		{"another host", otherHost, Foreign, "another-machine.example"},
		{"another PID namespace", otherNS, Foreign, "PID namespace"},
		{"no owner", Owner{}, Foreign, "not named"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if runtime.GOOS != "linux" && (tc.name == "a reused PID" || tc.name == "an earlier boot" || tc.name == "another PID namespace") {
				t.Skip("SKIPPED: needs /proc")
			}
			got, why := Check(tc.owner)
			if got != tc.want || !strings.Contains(why, tc.why) {
				t.Errorf("Check(%+v) = %v, %q; want %v, …%s…", tc.owner, got, why, tc.want, tc.why)
			}
		})
	}
}

func TestKillGroup(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	cmd.SysProcAttr = GroupAttr(9)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	if !GroupAlive(pid) {
		t.Fatal("the group of a running child is not alive")
	}
	if !KillGroup(pid, 15) {
		t.Fatal("KillGroup found nobody")
	}
	_ = cmd.Wait()
	if GroupAlive(pid) {
		t.Error("the group is alive after its only process was killed and reaped")
	}
	if KillGroup(1, 0) || KillGroup(0, 0) {
		t.Error("KillGroup must refuse groups 0 and 1")
	}
}
