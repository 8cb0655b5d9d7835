package container

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/elbconform/elbconform/internal/procid"
)

// containerLabels are the labels of a container of run runID started by owner.
func containerLabels(runID string, owner procid.Owner) map[string]string {
	l := map[string]string{
		LabelRole:      RoleEmulator,
		LabelRun:       runID,
		LabelOwnerPID:  strconv.Itoa(owner.PID),
		LabelOwnerHost: owner.Host,
	}
	for k, v := range map[string]string{LabelOwnerStart: owner.Start, LabelOwnerBoot: owner.Boot, LabelOwnerPIDNS: owner.PIDNS} {
		if v != "" {
			l[k] = v
		}
	}
	return l
}

// ownerOf reads the owner labels of a container; ok is false unless the
// container carries every label the container target sets (role, run, owner
// PID and host), so a container this suite did not create is never judged.
func ownerOf(labels map[string]string) (o procid.Owner, ok bool) {
	if labels[LabelRole] != RoleEmulator || labels[LabelRun] == "" || labels[LabelOwnerHost] == "" {
		return o, false
	}
	pid, err := strconv.Atoi(labels[LabelOwnerPID])
	if err != nil || pid <= 0 {
		return o, false
	}
	return procid.Owner{PID: pid, Start: labels[LabelOwnerStart], Host: labels[LabelOwnerHost], Boot: labels[LabelOwnerBoot], PIDNS: labels[LabelOwnerPIDNS]}, true
}

// Orphan is a container RemoveOrphans removed.
type Orphan struct {
	ID, Run, Why string
}

// RemoveOrphans removes the emulator containers left by runs that were
// killed outright: those carrying every label the container target sets,
// whose owner ran on this host (and PID namespace) and is gone. A container
// without the labels, whose owner runs, or whose owner ran elsewhere is left
// alone. The container target calls it before it starts a container; it
// prints one line per container removed to log.
func RemoveOrphans(ctx context.Context, log io.Writer) ([]Orphan, error) {
	eng, err := checkDocker(ctx)
	if err != nil {
		return nil, err
	}
	defer eng.client.Close()
	return removeOrphans(ctx, eng.client, log)
}

func removeOrphans(ctx context.Context, cli *client.Client, log io.Writer) ([]Orphan, error) {
	ctx, cancel := context.WithTimeout(ctx, stopTimeout)
	defer cancel()
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{
		All:     true,
		Filters: make(client.Filters).Add("label", LabelRole+"="+RoleEmulator, LabelOwnerPID, LabelOwnerHost, LabelRun),
	})
	if err != nil {
		return nil, err
	}
	var removed []Orphan
	var errs []error
	for _, c := range list.Items {
		owner, ok := ownerOf(c.Labels)
		if !ok {
			continue
		}
		verdict, why := procid.Check(owner)
		if verdict != procid.Gone {
			continue
		}
		if _, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("removing container %s: %w", shortID(c.ID), err))
			continue
		}
		o := Orphan{ID: c.ID, Run: c.Labels[LabelRun], Why: why}
		removed = append(removed, o)
		fmt.Fprintf(log, "elbconform: container target: removed container %s, left by run %s, whose owner is gone (%s)\n", shortID(c.ID), o.Run, why)
	}
	return removed, errors.Join(errs...)
}

// removeRun removes every container of run runID, under its own deadline
// (the run's context is cancelled when it is interrupted).
func removeRun(cli *client.Client, runID string) {
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{
		All:     true,
		Filters: make(client.Filters).Add("label", LabelRole+"="+RoleEmulator, LabelRun+"="+runID),
	})
	if err != nil {
		return
	}
	for _, c := range list.Items {
		_, _ = cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	}
}
