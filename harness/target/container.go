package target

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/elbconform/elbconform/harness/clients"
	"github.com/elbconform/elbconform/harness/config"
	"github.com/elbconform/elbconform/internal/procid"
	"github.com/elbconform/elbconform/internal/runenv"
)

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

// LifelineEnv, when set (the runner sets it for the Ginkgo processes it
// starts), makes the kernel send this process SIGTERM should its parent (the
// Ginkgo CLI) die: a run whose runner was killed outright then still takes
// the interrupt path, Ginkgo's cleanup included, instead of running on
// unattended.
const LifelineEnv = runenv.Lifeline

func init() {
	if os.Getenv(LifelineEnv) != "" {
		procid.TieToParent(syscall.SIGTERM)
	}
}

// DockerAvailable reports whether a Docker Engine answers, within a short
// deadline: nil when one does, else the error the container target would give.
// Use it to decide whether to run container tests (and to say why not).
func DockerAvailable(ctx context.Context) error {
	_, err := checkDocker(ctx)
	return err
}

// engine is what the container target needs to know of the Docker Engine.
type engine struct {
	host   string // where it answered
	os     string // GOOS of the images it runs
	arch   string // GOARCH of the images it runs
	client *client.Client
}

// checkDocker finds the Docker Engine and pings it. An explicit DOCKER_HOST is
// taken at its word: testcontainers would otherwise silently fall back to the
// default socket when DOCKER_HOST does not answer, and the run would use an
// engine the user did not choose. Without DOCKER_HOST, testcontainers'
// discovery (properties file, default socket, rootless socket) decides.
func checkDocker(ctx context.Context) (*engine, error) {
	if err := ryukOff(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, dockerCheckTimeout)
	defer cancel()
	host := os.Getenv("DOCKER_HOST")
	fail := func(where string, err error) error {
		return fmt.Errorf("the container target needs a Docker Engine: none answered at %s (%v). Start Docker, set DOCKER_HOST, or use the default emulator target", where, err)
	}
	var cli *client.Client
	if host != "" {
		c, err := client.New(client.FromEnv)
		if err != nil {
			return nil, fail(host, err)
		}
		cli = c
	} else {
		c, err := testcontainers.NewDockerClientWithOpts(ctx)
		if err != nil {
			return nil, fail("the default socket unix:///var/run/docker.sock (DOCKER_HOST is unset)", err)
		}
		cli, host = c.Client, c.DaemonHost()
	}
	if _, err := cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		_ = cli.Close()
		return nil, fail(host, err)
	}
	v, err := cli.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		_ = cli.Close()
		return nil, fail(host, err)
	}
	if v.Os != "linux" {
		_ = cli.Close()
		return nil, fmt.Errorf("the container target needs a Docker Engine that runs Linux containers; the one at %s runs %s containers. Switch it to Linux containers, or use the default emulator target", host, v.Os)
	}
	return &engine{host: host, os: v.Os, arch: v.Arch, client: cli}, nil
}

// ryukOff makes sure testcontainers' reaper (Ryuk) stays off: it runs from an
// image that would have to be pulled. testcontainers reads the variable once
// per process, on its first use, and only the literal word "true" switches
// Ryuk off; so this runs before any testcontainers call.
func ryukOff() error {
	ryukOnce.Do(func() {
		if _, set := os.LookupEnv(ryukEnv); !set {
			_ = os.Setenv(ryukEnv, "true")
		}
	})
	if !testcontainers.ReadConfig().RyukDisabled {
		return fmt.Errorf("the container target runs without testcontainers' reaper (Ryuk would need an image pulled from a registry): set %s=true, the literal lowercase word (it is %q; testcontainers treats anything else, even 1, as false), or remove ryuk.disabled=false from ~/.testcontainers.properties", ryukEnv, os.Getenv(ryukEnv))
	}
	return nil
}

var ryukOnce sync.Once

// startContainer builds the reference emulator into a FROM-scratch image and
// runs it with testcontainers on the host network, so that the listeners of
// the load balancers it emulates and the health checks it makes reach
// 127.0.0.1 on this machine.
func startContainer(ctx context.Context, cfg *config.Config, log io.Writer) (*Running, error) {
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
			HostConfigModifier: func(hc *container.HostConfig) { hc.NetworkMode = "host" },
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
	return &Running{
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

// newRunLabel is a random run label, for a process the runner did not start.
func newRunLabel() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

func freeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func round(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > 2*t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return tail(string(t.b), t.max)
}

// discardLogger silences testcontainers' own progress lines: the target
// prints one summary line of its own.
type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
