// Package container is the container target: the reference emulator built
// into a FROM-scratch image and run with testcontainers-go. It lives apart
// from package target because it alone needs the Docker client (about 40
// modules): a build imports it only when it should offer the container
// target (the suite with -tags container, as `make conformance
// TARGET=container` builds it), so the default embedded run neither
// downloads nor compiles them. Importing it registers the target kind
// "container" with package target.
package container

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	mobycontainer "github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/elbconform/elbconform/harness/clients"
	"github.com/elbconform/elbconform/harness/config"
	"github.com/elbconform/elbconform/harness/target"
	"github.com/elbconform/elbconform/internal/procid"
	"github.com/elbconform/elbconform/internal/runenv"
)

func init() {
	target.Register(config.TargetContainer, start)
}

// The image the container target builds. It is kept between runs, so a later
// build of an unchanged binary reuses its layer.
const (
	EmulatorImageRepo = "elbconform/elb-emulator"
	EmulatorImageTag  = "dev"
	EmulatorImage     = EmulatorImageRepo + ":" + EmulatorImageTag
)

// Deadlines of the container target. Every Docker call runs under one of them.
const (
	dockerCheckTimeout = 10 * time.Second // is an engine answering at all?
	goBuildTimeout     = 5 * time.Minute  // a cold cross-compile takes about a minute on 2 cores
	imageBuildTimeout  = 2 * time.Minute
	containerTimeout   = time.Minute // create, start, "listening" log line, /healthz
	stopTimeout        = 30 * time.Second
	logTail            = 4 << 10 // bytes of build or container log kept for error messages
)

const ryukEnv = "TESTCONTAINERS_RYUK_DISABLED"

// Labels of the emulator containers. Without Ryuk (it would need an image
// pulled from a registry) nothing removes a container whose run was killed
// outright, so each container names its run and its owner, the test process
// that started it (internal/procid): the next container-target start removes
// containers whose owner is gone (RemoveOrphans), and only those.
const (
	LabelRole       = "org.elbconform.role"
	RoleEmulator    = "reference-emulator"
	LabelRun        = "org.elbconform.run"
	LabelOwnerPID   = "org.elbconform.owner-pid"
	LabelOwnerStart = "org.elbconform.owner-start"
	LabelOwnerHost  = "org.elbconform.owner-host"
	LabelOwnerBoot  = "org.elbconform.owner-boot"
	LabelOwnerPIDNS = "org.elbconform.owner-pidns"
)

// RunIDEnv, when set (the runner, cmd/elbconform-run, sets it), is the run
// label of the containers this process starts; otherwise each start draws one.
const RunIDEnv = runenv.RunID

// start builds the reference emulator into a FROM-scratch image and
// runs it with testcontainers on the host network, so that the listeners of
// the load balancers it emulates and the health checks it makes reach
// 127.0.0.1 on this machine.
func start(ctx context.Context, cfg *config.Config, log io.Writer) (*target.Running, error) {
	eng, err := checkDocker(ctx)
	if err != nil {
		return nil, err
	}
	defer eng.client.Close()
	if _, err := removeOrphans(ctx, eng.client, log); err != nil {
		fmt.Fprintf(log, "elbconform: container target: could not look for containers left by earlier runs: %v\n", err)
	}
	runID := os.Getenv(RunIDEnv)
	if runID == "" {
		runID = newRunLabel()
	}

	dir, err := os.MkdirTemp("", "elbconform-emulator-image-")
	if err != nil {
		return nil, fmt.Errorf("the container target needs a temporary build directory: %w", err)
	}
	defer os.RemoveAll(dir)

	t0 := time.Now()
	if err := buildEmulatorBinary(ctx, cfg.Root, dir, eng.arch); err != nil {
		return nil, err
	}
	compiled := time.Since(t0)
	dockerfile := "FROM scratch\n" +
		"COPY elb-emulator /elb-emulator\n" +
		"USER 65534:65534\n" +
		"ENTRYPOINT [\"/elb-emulator\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		return nil, fmt.Errorf("the container target cannot write its Dockerfile: %w", err)
	}

	port, err := freeLoopbackPort()
	if err != nil {
		return nil, fmt.Errorf("the container target found no free port on 127.0.0.1: %w", err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	url := "http://" + addr
	args := []string{"-addr", addr, "-region", cfg.Region}
	if d := cfg.Emulator.RegistrationDelay.D(); d > 0 {
		args = append(args, "-registration-delay", d.String())
	}
	if d := cfg.Emulator.InstanceStartDelay.D(); d > 0 {
		args = append(args, "-instance-start-delay", d.String())
	}
	args = append(args, "-health-check-scale", fmt.Sprint(cfg.Emulator.HealthCheckScale)) // 0 = AWS's timing

	buildLog := &tailBuffer{max: logTail}
	var built time.Time
	buildStart := time.Now()
	req := testcontainers.GenericContainerRequest{
		ContainerRequest: testcontainers.ContainerRequest{
			FromDockerfile: testcontainers.FromDockerfile{
				Context:        dir,
				Dockerfile:     "Dockerfile",
				Repo:           EmulatorImageRepo,
				Tag:            EmulatorImageTag,
				KeepImage:      true,
				BuildLogWriter: buildLog,
			},
			Cmd:                args,
			Labels:             containerLabels(runID, procid.Self()),
			HostConfigModifier: func(hc *mobycontainer.HostConfig) { hc.NetworkMode = "host" },
			WaitingFor:         wait.ForLog("elb-emulator listening on").WithStartupTimeout(containerTimeout),
			LifecycleHooks: []testcontainers.ContainerLifecycleHooks{{
				PostBuilds: []testcontainers.ContainerRequestHook{func(context.Context, testcontainers.ContainerRequest) error {
					built = time.Now()
					return nil
				}},
			}},
		},
		Started: true,
		Logger:  discardLogger{},
	}
	gctx, cancel := context.WithTimeout(ctx, imageBuildTimeout+containerTimeout)
	defer cancel()
	ctr, err := testcontainers.GenericContainer(gctx, req)
	if err != nil && ctr == nil {
		// Cut short (an interrupt cancels ctx) while the engine was creating
		// the container: it may exist without testcontainers knowing it, or
		// come into existence a moment later.
		removeRun(eng.client, runID)
		if ctx.Err() != nil {
			time.Sleep(500 * time.Millisecond)
			removeRun(eng.client, runID)
		}
	}
	if built.IsZero() {
		// The image did not build: nothing was created.
		if err == nil {
			err = errors.New("no image was built")
		}
		return nil, fmt.Errorf("the container target could not build image %s from the emulator binary (Docker Engine at %s): %v\n--- build log (tail) ---\n%s\nCheck that the engine can build FROM-scratch images (docker build), or use the default emulator target", EmulatorImage, eng.host, err, buildLog.String())
	}
	imageBuilt := built.Sub(buildStart)
	if err == nil {
		err = waitHealthy(gctx, url)
	}
	if err != nil {
		logs := containerLogs(ctr)
		stopErr := terminate(ctr)
		removeRun(eng.client, runID)
		if stopErr != nil {
			logs += fmt.Sprintf("\n(and removing the container failed: %v)", stopErr)
		}
		return nil, fmt.Errorf("the emulator container (image %s, command /elb-emulator %s) did not become ready at %s: %v\n--- container log (tail) ---\n%s\nThe container target runs on the host network, so the Docker Engine must run on this machine (engine: %s); check that port %d is free, or use the default emulator target", EmulatorImage, strings.Join(args, " "), url, err, logs, eng.host, port)
	}
	started := time.Since(built)

	id := ctr.GetContainerID()
	short := id
	if len(short) > 12 {
		short = short[:12]
	}
	size := ""
	ictx, icancel := context.WithTimeout(ctx, dockerCheckTimeout)
	if img, err := eng.client.ImageInspect(ictx, EmulatorImage); err == nil {
		size = fmt.Sprintf(", %.1f MB", float64(img.Size)/1e6)
	}
	icancel()
	fmt.Fprintf(log, "elbconform: container target: compiled elb-emulator for linux/%s in %s; built image %s in %s%s; container %s (label %s=%s) started and healthy in %s at %s\n",
		eng.arch, round(compiled), EmulatorImage, round(imageBuilt), size, short, LabelRun, runID, round(started), url)

	var once sync.Once
	var stopErr error
	return &target.Running{
		Endpoint: clients.Endpoint{ELBURL: url, EC2URL: url, IAMURL: url, Region: cfg.Region, StaticCredentials: true},
		Description: fmt.Sprintf("reference emulator in container %s (image %s, built in %s, started in %s) at %s",
			short, EmulatorImage, round(compiled+imageBuilt), round(started), url),
		Emulated: true,
		Stop: func(context.Context) error {
			once.Do(func() { stopErr = terminate(ctr) })
			return stopErr
		},
	}, nil
}

// buildEmulatorBinary cross-compiles cmd/elb-emulator into dir, statically.
func buildEmulatorBinary(ctx context.Context, root, dir, arch string) error {
	ctx, cancel := context.WithTimeout(ctx, goBuildTimeout)
	defer cancel()
	out := filepath.Join(dir, "elb-emulator")
	// The go command's own temporary folder goes inside dir, which the caller
	// removes: a go build cut short by a signal leaves its folder behind.
	gotmp := filepath.Join(dir, "gotmp")
	if err := os.Mkdir(gotmp, 0o755); err != nil {
		return fmt.Errorf("the container target cannot create its build folder: %w", err)
	}
	defer os.RemoveAll(gotmp) // not part of the image's build context
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", out, "./cmd/elb-emulator")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch, "GOTMPDIR="+gotmp)
	// go build runs compilers and the linker: in a process group of its own
	// they all stop with it when ctx ends (an interrupt), and with this
	// process should it die.
	cmd.SysProcAttr = procid.GroupAttr(syscall.SIGKILL)
	cmd.Cancel = func() error {
		procid.KillGroup(cmd.Process.Pid, syscall.SIGKILL)
		return nil
	}
	cmd.WaitDelay = 10 * time.Second
	if b, err := cmd.CombinedOutput(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (deadline %s)", ctx.Err(), goBuildTimeout)
		}
		return fmt.Errorf("the container target could not compile the emulator (CGO_ENABLED=0 GOOS=linux GOARCH=%s go build ./cmd/elb-emulator in %s): %v\n%s\nFix the build (go build ./cmd/elb-emulator), or use the default emulator target",
			arch, root, err, tail(string(b), logTail))
	}
	return nil
}

// waitHealthy polls GET /healthz until it answers 200 or ctx ends.
func waitHealthy(ctx context.Context, url string) error {
	hc := &http.Client{Timeout: 2 * time.Second}
	var last error
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/healthz", nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET /healthz answered %s", resp.Status)
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("GET %s/healthz did not answer 200 in time: %v", url, last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// terminate stops and removes the container, under its own deadline (the
// caller's context may already be cancelled when a run is interrupted).
func terminate(ctr testcontainers.Container) error {
	if ctr == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	if err := testcontainers.TerminateContainer(ctr, testcontainers.StopContext(ctx), testcontainers.StopTimeout(5*time.Second)); err != nil {
		return fmt.Errorf("removing the emulator container %s: %w (remove it with docker rm -f %s)", ctr.GetContainerID(), err, ctr.GetContainerID())
	}
	return nil
}

// containerLogs is the tail of the container's output, for error messages.
func containerLogs(ctr testcontainers.Container) string {
	if ctr == nil {
		return "(no container was created)"
	}
	ctx, cancel := context.WithTimeout(context.Background(), dockerCheckTimeout)
	defer cancel()
	rc, err := ctr.Logs(ctx)
	if err != nil {
		return fmt.Sprintf("(logs unavailable: %v)", err)
	}
	defer rc.Close()
	b := &tailBuffer{max: logTail}
	_, _ = io.Copy(b, rc)
	if b.String() == "" {
		return "(the container printed nothing)"
	}
	return b.String()
}
