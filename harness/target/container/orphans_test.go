package container

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	mobycontainer "github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/elbconform/elbconform/harness/target"
	"github.com/elbconform/elbconform/internal/procid"
)

func TestContainerLabelsNameTheOwner(t *testing.T) {
	self := procid.Self()
	l := containerLabels("r1", self)
	if l[LabelRole] != RoleEmulator || l[LabelRun] != "r1" || l[LabelOwnerPID] != strconv.Itoa(self.PID) || l[LabelOwnerHost] != self.Host {
		t.Fatalf("labels %v", l)
	}
	o, ok := ownerOf(l)
	if !ok || o != self {
		t.Fatalf("ownerOf(%v) = %+v, %v; want %+v", l, o, ok, self)
	}
	for _, drop := range []string{LabelRole, LabelRun, LabelOwnerPID, LabelOwnerHost} {
		partial := map[string]string{}
		for k, v := range l {
			if k != drop {
				partial[k] = v
			}
		}
		if _, ok := ownerOf(partial); ok {
			t.Errorf("a container without %s is judged", drop)
		}
	}
}

// deadPID is the PID of a process of this host that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// ensureImage builds the emulator image if no earlier test did.
func ensureImage(t *testing.T, cli *client.Client) {
	t.Helper()
	ctx := context.Background()
	if _, err := cli.ImageInspect(ctx, EmulatorImage); err == nil {
		return
	}
	run, err := target.Start(ctx, containerConfig(t), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("building the emulator image: %v", err)
	}
	if err := run.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

// startLabelled starts a container of the emulator image with these labels
// and removes it when the test ends (if it is still there).
func startLabelled(t *testing.T, cli *client.Client, labels map[string]string) string {
	t.Helper()
	ctx := context.Background()
	c, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &mobycontainer.Config{Image: EmulatorImage, Cmd: []string{"-addr", "127.0.0.1:0"}, Labels: labels},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = cli.ContainerRemove(context.Background(), c.ID, client.ContainerRemoveOptions{Force: true})
	})
	if _, err := cli.ContainerStart(ctx, c.ID, client.ContainerStartOptions{}); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// RemoveOrphans removes a container whose owner is gone and leaves alone
// every other: one without the suite's labels, one whose owner runs, one
// whose owner ran on another host.
func TestRemoveOrphans(t *testing.T) {
	needDocker(t)
	cli, err := client.New(client.FromEnv)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ensureImage(t, cli)

	self := procid.Self()
	gone := self
	gone.PID, gone.Start = deadPID(t), ""
	elsewhere := gone
	elsewhere.Host = "another-machine.example"
	run := "test-" + newRunLabel()
	orphan := startLabelled(t, cli, containerLabels(run+"-orphan", gone))
	kept := map[string]string{
		"its owner runs":             startLabelled(t, cli, containerLabels(run+"-live", self)),
		"its owner ran elsewhere":    startLabelled(t, cli, containerLabels(run+"-elsewhere", elsewhere)),
		"it has only the role label": startLabelled(t, cli, map[string]string{LabelRole: RoleEmulator, LabelOwnerPID: strconv.Itoa(gone.PID)}),
		"it has no labels":           startLabelled(t, cli, nil),
	}

	var log bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	removed, err := RemoveOrphans(ctx, &log)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("log: %s", strings.TrimSpace(log.String()))
	found := false
	for _, o := range removed {
		found = found || o.ID == orphan
		for why, id := range kept {
			if o.ID == id {
				t.Errorf("removed a container although %s", why)
			}
		}
	}
	if _, err := cli.ContainerInspect(ctx, orphan, client.ContainerInspectOptions{}); !cerrdefs.IsNotFound(err) {
		t.Errorf("the orphan still exists: %v", err)
	}
	if !found {
		// Another container-target start on this engine (a concurrent test
		// or run) removed it first.
		t.Logf("the orphan %s was removed by a concurrent container-target start", orphan[:12])
	} else if !strings.Contains(log.String(), "removed container "+orphan[:12]+", left by run "+run+"-orphan, whose owner is gone (PID "+strconv.Itoa(gone.PID)+" has exited)") {
		t.Errorf("log lacks the removal: %q", log.String())
	}
	for why, id := range kept {
		if _, err := cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{}); err != nil {
			t.Errorf("the container that survives because %s: %v", why, err)
		}
	}
}
