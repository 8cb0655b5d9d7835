package main

// These tests run `make conformance TARGET=container` for real, send it the
// signals a terminal (SIGINT or SIGTERM to the process group) or a CI system
// (SIGTERM to make alone) sends, at each phase of the run, and count what is
// left: containers with the run's label, processes of the run, the
// emulator's listening port, temporary files, the compiled suite; and they
// read the reports. A proxy in front of the Docker Engine holds the run at
// the image build, the container's creation and its start, so that the
// signal lands in that phase every time. The last test kills a run outright
// and shows that the container it leaves is removed by the cleanup, and a
// foreign container is not.
//
// They need a Docker Engine (skipped with the reason otherwise) and make.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	containertarget "github.com/elbconform/elbconform/harness/target/container"
	"github.com/elbconform/elbconform/internal/procid"
	"github.com/elbconform/elbconform/internal/run"
)

const markEnv = "ELBCONFORM_SIGNAL_TEST_MARK"

func needDocker(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := containertarget.DockerAvailable(ctx); err != nil {
		t.Skipf("SKIPPED, no Docker: %v", err)
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("SKIPPED, no make")
	}
}

// skipShort: the tests run make and the suite about ten times (about 70 s);
// make container runs them, make unit (-short) does not.
func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("SKIPPED under -short: make container runs the interrupt tests (they run the container target about ten times, about 70 s)")
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// dockerProxy forwards the Docker API to the real engine and can hold one
// kind of request: before forwarding it (the image build), or after the
// engine answered and before the answer reaches the client (the container's
// creation or start: the engine has done it, the client does not know yet).
type dockerProxy struct {
	host    string // DOCKER_HOST of the proxy
	hold    *regexp.Regexp
	after   bool
	reached chan struct{}
	release chan struct{}
	once    sync.Once
}

func newDockerProxy(t *testing.T, hold string, after bool) *dockerProxy {
	t.Helper()
	network, addr := "unix", "/var/run/docker.sock"
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		u, err := url.Parse(h)
		if err != nil || (u.Scheme != "unix" && u.Scheme != "tcp") || os.Getenv("DOCKER_TLS_VERIFY") != "" {
			t.Skipf("SKIPPED: the Docker proxy needs a plain unix or tcp DOCKER_HOST, not %q", h)
		}
		network, addr = u.Scheme, u.Host
		if u.Scheme == "unix" {
			addr = u.Path
		}
	}
	p := &dockerProxy{reached: make(chan struct{}), release: make(chan struct{})}
	if hold != "" {
		p.hold = regexp.MustCompile(`^POST (/v[0-9.]+)?` + hold + `$`)
		p.after = after
	}
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme, pr.Out.URL.Host = "http", "docker"
		},
		Transport:     &http.Transport{DialContext: dial},
		FlushInterval: -1,
		ErrorLog:      nil,
		ModifyResponse: func(resp *http.Response) error {
			if p.after && p.matches(resp.Request) {
				p.holdHere(context.Background())
			}
			return nil
		},
	}
	sock := filepath.Join(t.TempDir(), "docker.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !p.after && p.matches(r) {
			p.holdHere(r.Context())
			if r.Context().Err() != nil {
				return
			}
		}
		rp.ServeHTTP(w, r)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { p.Release(); _ = srv.Close() })
	p.host = "unix://" + sock
	return p
}

func (p *dockerProxy) matches(r *http.Request) bool {
	return p.hold != nil && p.hold.MatchString(r.Method+" "+r.URL.Path)
}

// holdHere blocks the first matching request until Release.
func (p *dockerProxy) holdHere(ctx context.Context) {
	first := false
	p.once.Do(func() { first = true; close(p.reached) })
	if !first {
		return
	}
	select {
	case <-p.release:
	case <-ctx.Done():
	}
}

func (p *dockerProxy) Release() {
	select {
	case <-p.release:
	default:
		close(p.release)
	}
}

// aRun is one `make conformance TARGET=container` in a process group of its
// own (make is its leader), as a terminal runs a foreground job.
type aRun struct {
	t        *testing.T
	id, mark string
	dir, tmp string
	cmd      *exec.Cmd
	out      *syncBuffer
	exited   chan struct{}
	err      error
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

const staleVerdict = "# ✅ CONFORMANT (an earlier run)\n"

func startRun(t *testing.T, dockerHost string) *aRun {
	t.Helper()
	id := "sig" + strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	r := &aRun{t: t, id: id, mark: id, dir: t.TempDir(), tmp: t.TempDir(), out: &syncBuffer{}, exited: make(chan struct{})}
	// The previous run's verdict, which an interrupted run must not leave.
	for _, n := range []string{"conformance.md", "conformance.html", "conformance.yaml", "junit.xml", "report.json"} {
		if err := os.WriteFile(filepath.Join(r.dir, n), []byte(staleVerdict), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r.cmd = exec.Command("make", "--no-print-directory", "-C", repoRoot(t), "conformance", "TARGET=container", "REPORT_DIR="+r.dir)
	env := []string{}
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "DOCKER_HOST", "TMPDIR", containertarget.RunIDEnv:
		default:
			env = append(env, kv)
		}
	}
	r.cmd.Env = append(env, "TMPDIR="+r.tmp, containertarget.RunIDEnv+"="+id, markEnv+"="+r.mark,
		"DOCKER_HOST="+dockerHost, "TESTCONTAINERS_RYUK_DISABLED=true")
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw := io.Pipe()
	r.cmd.Stdout, r.cmd.Stderr = pw, pw
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r.err = r.cmd.Wait()
		pw.Close()
		close(r.exited)
	}()
	go func() { _, _ = io.Copy(r.out, pr) }()
	t.Cleanup(func() {
		// Whatever a failed test left: the run's processes and containers.
		for _, pid := range r.processes() {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		<-r.exited
		r.removeContainers()
	})
	return r
}

// processes are the live processes of the run (they inherit its mark).
func (r *aRun) processes() []int {
	var pids []int
	want := []byte(markEnv + "=" + r.mark + "\x00")
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err != nil || !strings.Contains(string(env), string(want)) {
			continue
		}
		if stat, err := os.ReadFile("/proc/" + e.Name() + "/stat"); err == nil {
			if i := strings.LastIndexByte(string(stat), ')'); i > 0 && strings.HasPrefix(string(stat[i+1:]), " Z") {
				continue // a zombie: exited, not yet reaped by its parent
			}
		}
		pids = append(pids, pid)
	}
	return pids
}

// running reports whether a process of the run has all of these in its
// command line.
func (r *aRun) running(parts ...string) bool {
	for _, pid := range r.processes() {
		cl, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		if err != nil {
			continue
		}
		all := true
		for _, p := range parts {
			all = all && strings.Contains(string(cl), p)
		}
		if all {
			return true
		}
	}
	return false
}

func (r *aRun) containers() []container.Summary {
	cli := dockerClient(r.t)
	list, err := cli.ContainerList(context.Background(), client.ContainerListOptions{
		All: true, Filters: make(client.Filters).Add("label", containertarget.LabelRun+"="+r.id),
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return list.Items
}

func (r *aRun) removeContainers() {
	cli := dockerClient(r.t)
	for _, c := range r.containers() {
		_, _ = cli.ContainerRemove(context.Background(), c.ID, client.ContainerRemoveOptions{Force: true})
	}
}

var (
	dockerOnce sync.Once
	dockerCli  *client.Client
	dockerErr  error
)

func dockerClient(t *testing.T) *client.Client {
	dockerOnce.Do(func() { dockerCli, dockerErr = client.New(client.FromEnv) })
	if dockerErr != nil {
		t.Fatal(dockerErr)
	}
	return dockerCli
}

// waitOutput waits for sub in the run's output (as it streams: Ginkgo's
// progress dots come without a newline).
func (r *aRun) waitOutput(sub string, limit time.Duration) {
	r.t.Helper()
	r.waitFor(fmt.Sprintf("%q in the output", sub), limit, func() bool { return strings.Contains(r.out.String(), sub) })
}

// waitFor polls cond.
func (r *aRun) waitFor(what string, limit time.Duration, cond func() bool) {
	r.t.Helper()
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
		select {
		case <-r.exited:
			r.t.Fatalf("the run ended before %s:\n%s", what, r.out)
		default:
		}
	}
	r.t.Fatalf("no %s within %s:\n%s", what, limit, r.out)
}

func (r *aRun) signal(sig syscall.Signal, group bool) {
	pid := r.cmd.Process.Pid
	if group {
		pid = -pid
	}
	if err := syscall.Kill(pid, sig); err != nil {
		r.t.Fatalf("kill %d %v: %v", pid, sig, err)
	}
}

func (r *aRun) wait(limit time.Duration) error {
	r.t.Helper()
	select {
	case <-r.exited:
		return r.err
	case <-time.After(limit):
		r.t.Fatalf("make did not exit within %s:\n%s", limit, r.out)
	}
	return nil
}

// leftovers lists what the run left behind, in words.
func (r *aRun) leftovers(elbTestBefore bool) []string {
	var left []string
	for range 20 { // processes being reaped by their parents
		if len(r.processes()) == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, pid := range r.processes() {
		cl, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		left = append(left, fmt.Sprintf("process %d: %s", pid, strings.ReplaceAll(string(cl), "\x00", " ")))
	}
	for _, c := range r.containers() {
		left = append(left, fmt.Sprintf("container %s (%s)", c.ID[:12], c.State))
	}
	if ents, _ := os.ReadDir(r.tmp); len(ents) > 0 {
		for _, e := range ents {
			left = append(left, "temporary file "+filepath.Join(r.tmp, e.Name()))
		}
	}
	if !elbTestBefore {
		if _, err := os.Stat(filepath.Join(repoRoot(r.t), "suites/elb/elb.test")); err == nil {
			left = append(left, "suites/elb/elb.test")
		}
	}
	if md, err := os.ReadFile(filepath.Join(r.dir, "conformance.md")); err == nil {
		if m := regexp.MustCompile(`\| Endpoint \| http://(127\.0\.0\.1:\d+)`).FindSubmatch(md); m != nil {
			if c, err := net.DialTimeout("tcp", string(m[1]), time.Second); err == nil {
				c.Close()
				left = append(left, "a listener at "+string(m[1]))
			}
		}
	}
	return left
}

func elbTestExists(t *testing.T) bool {
	_, err := os.Stat(filepath.Join(repoRoot(t), "suites/elb/elb.test"))
	return err == nil
}

// TestInterruptAtEachPhase interrupts the container target at each phase of
// a run and checks that it leaves nothing and reports INCOMPLETE.
func TestInterruptAtEachPhase(t *testing.T) {
	needDocker(t)
	skipShort(t)
	type phase struct {
		name  string
		hold  string // Docker API path the proxy holds
		after bool   // hold the engine's answer instead of the request
		reach func(r *aRun, p *dockerProxy)
	}
	proc := func(what string, parts ...string) func(*aRun, *dockerProxy) {
		return func(r *aRun, _ *dockerProxy) {
			r.waitFor(what, 5*time.Minute, func() bool { return r.running(parts...) })
		}
	}
	held := func(r *aRun, p *dockerProxy) {
		select {
		case <-p.reached:
		case <-r.exited:
			r.t.Fatalf("the run ended before the held request:\n%s", r.out)
		case <-time.After(5 * time.Minute):
			r.t.Fatalf("the held request never came:\n%s", r.out)
		}
	}
	phases := map[string]phase{
		"compile":        {name: "the suite's compilation", reach: proc("go test -c", "go\x00test\x00-c\x00")},
		"emulator-build": {name: "the emulator's cross-compilation", reach: proc("go build of the emulator", "-trimpath", "./cmd/elb-emulator")},
		"image":          {name: "the image build", hold: "/build", reach: held},
		"create":         {name: "the container's creation", hold: "/containers/create", after: true, reach: held},
		"start":          {name: "the container's start", hold: "/containers/[^/]+/start", after: true, reach: held},
		"specs": {name: "the specs", reach: func(r *aRun, _ *dockerProxy) {
			r.waitOutput("•", 5*time.Minute)
			time.Sleep(500 * time.Millisecond)
		}},
		"reports": {name: "the reports", reach: func(r *aRun, _ *dockerProxy) {
			r.waitOutput("elbconform: writing the reports", 5*time.Minute)
		}},
	}
	for _, tc := range []struct {
		phase string
		sig   syscall.Signal
		group bool // to make's process group, as a terminal; else to make alone, as CI systems
	}{
		{"compile", syscall.SIGINT, true},
		{"compile", syscall.SIGTERM, false},
		{"emulator-build", syscall.SIGTERM, true},
		{"image", syscall.SIGINT, true},
		{"create", syscall.SIGTERM, true},
		{"start", syscall.SIGINT, true},
		{"specs", syscall.SIGINT, true},
		{"specs", syscall.SIGTERM, false},
		{"reports", syscall.SIGTERM, true},
	} {
		to := "the process group"
		if !tc.group {
			to = "make alone"
		}
		p := phases[tc.phase]
		t.Run(fmt.Sprintf("%s %s to %s", tc.phase, sigName(tc.sig), to), func(t *testing.T) {
			elbTest := elbTestExists(t)
			proxy := newDockerProxy(t, p.hold, p.after)
			r := startRun(t, proxy.host)
			t0 := time.Now()
			p.reach(r, proxy)
			atSignal := time.Since(t0)
			r.signal(tc.sig, tc.group)
			t1 := time.Now()
			time.AfterFunc(300*time.Millisecond, proxy.Release)
			err := r.wait(4 * time.Minute)
			took := time.Since(t1)
			t.Logf("%s during %s (%.1fs into the run): make exited %.2fs later (%v)", sigName(tc.sig), p.name, atSignal.Seconds(), took.Seconds(), err)
			if err == nil {
				t.Errorf("make exited 0 after the interrupt")
			}
			if left := r.leftovers(elbTest); len(left) > 0 {
				t.Errorf("the interrupted run left:\n  %s\n%s", strings.Join(left, "\n  "), r.out)
			}
			md, err := os.ReadFile(filepath.Join(r.dir, "conformance.md"))
			switch {
			case err != nil:
				t.Errorf("no conformance.md: %v", err)
			case strings.Contains(string(md), "an earlier run"):
				t.Errorf("conformance.md is the earlier run's")
			case !strings.Contains(string(md), "INCOMPLETE") || !strings.Contains(string(md), "interrupted"):
				t.Errorf("conformance.md does not say INCOMPLETE (interrupted):\n%.600s", md)
			}
			for _, n := range []string{"conformance.html", "conformance.yaml", "report.json", "run.log"} {
				if b, err := os.ReadFile(filepath.Join(r.dir, n)); err != nil || strings.Contains(string(b), "an earlier run") {
					t.Errorf("%s: missing or the earlier run's (%v)", n, err)
				}
			}
			if b, _ := os.ReadFile(filepath.Join(r.dir, "run.log")); !strings.Contains(string(b), "interrupting the run") {
				t.Errorf("run.log does not record the interrupt")
			}
			if v := verdictLines(md); v != "" {
				t.Logf("verdict: %s", v)
			}
		})
	}
}

func verdictLines(md []byte) string {
	var out []string
	for _, l := range strings.Split(string(md), "\n") {
		if strings.HasPrefix(l, "# ") || strings.HasPrefix(l, "- ") {
			out = append(out, strings.TrimPrefix(strings.TrimPrefix(l, "# "), "- "))
		}
		if len(out) == 4 {
			break
		}
	}
	return strings.Join(out, "; ")
}

func sigName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGKILL:
		return "SIGKILL"
	}
	return s.String()
}

// TestKilledRunLeavesOnlyItsContainer kills every process of a run at once
// during the specs (as a crash would), then runs the cleanup the next
// container-target start runs: the orphan is removed, and so are the run's
// temporary folder and compiled suite; foreign containers (the same image,
// other labels; the suite's labels with a live owner; another host's) are
// not.
func TestKilledRunLeavesOnlyItsContainer(t *testing.T) {
	needDocker(t)
	skipShort(t)
	proxy := newDockerProxy(t, "", false)
	r := startRun(t, proxy.host)
	r.waitOutput("•", 5*time.Minute)
	for _, pid := range r.processes() {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	if err := r.wait(time.Minute); err == nil {
		t.Fatal("make exited 0 after SIGKILL")
	}
	time.Sleep(200 * time.Millisecond)
	if ps := r.processes(); len(ps) > 0 {
		t.Errorf("processes outlived SIGKILL: %v", ps)
	}
	orphans := r.containers()
	if len(orphans) != 1 || orphans[0].State != "running" {
		t.Fatalf("want the run's container left running, got %+v", orphans)
	}
	orphan := orphans[0]
	ownerPID, _ := strconv.Atoi(orphan.Labels[containertarget.LabelOwnerPID])
	if v, why := procid.Check(procid.Owner{PID: ownerPID, Start: orphan.Labels[containertarget.LabelOwnerStart], Host: orphan.Labels[containertarget.LabelOwnerHost]}); v != procid.Gone {
		t.Fatalf("the orphan's owner should be gone: %v (%s)", v, why)
	}
	t.Logf("SIGKILL left container %s (owner PID %d) and %d temporary entries", orphan.ID[:12], ownerPID, countEntries(r.tmp))

	// Foreign containers, from the same image.
	cli := dockerClient(t)
	self := procid.Self()
	foreign := map[string]map[string]string{
		"other labels": {"org.example.role": "something-else"},
		"no labels":    nil,
		"the role label alone, with the dead owner's PID": {containertarget.LabelRole: containertarget.RoleEmulator, containertarget.LabelOwnerPID: strconv.Itoa(ownerPID)},
		"the suite's labels, owner alive": {containertarget.LabelRole: containertarget.RoleEmulator, containertarget.LabelRun: "live", containertarget.LabelOwnerPID: strconv.Itoa(self.PID),
			containertarget.LabelOwnerStart: self.Start, containertarget.LabelOwnerHost: self.Host},
		"the suite's labels, owner on another host": {containertarget.LabelRole: containertarget.RoleEmulator, containertarget.LabelRun: "elsewhere", containertarget.LabelOwnerPID: strconv.Itoa(ownerPID),
			containertarget.LabelOwnerHost: "another-machine.example"},
	}
	ids := map[string]string{}
	for why, labels := range foreign {
		c, err := cli.ContainerCreate(context.Background(), client.ContainerCreateOptions{
			Config: &container.Config{Image: orphan.Image, Cmd: []string{"-addr", "127.0.0.1:0"}, Labels: labels},
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_, _ = cli.ContainerRemove(context.Background(), c.ID, client.ContainerRemoveOptions{Force: true})
		})
		if _, err := cli.ContainerStart(context.Background(), c.ID, client.ContainerStartOptions{}); err != nil {
			t.Fatal(err)
		}
		ids[why] = c.ID
	}

	var log strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	removed, err := containertarget.RemoveOrphans(ctx, &log)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cleanup: %s", strings.TrimSpace(log.String()))
	if _, err := cli.ContainerInspect(ctx, orphan.ID, client.ContainerInspectOptions{}); !cerrdefs.IsNotFound(err) {
		t.Errorf("the orphan still exists (%v)", err)
	} else if !containsID(removed, orphan.ID) {
		// Another container-target start on this engine came first.
		t.Logf("the orphan was removed by a concurrent container-target start")
	}
	for why, id := range ids {
		if containsID(removed, id) {
			t.Errorf("removed the foreign container with %s", why)
		}
		if _, err := cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{}); err != nil {
			t.Errorf("the foreign container with %s is gone: %v", why, err)
		}
	}

	// The next run's start removes the killed run's temporary folder and
	// compiled suite.
	msgs := run.SweepRunDirs(r.tmp)
	t.Logf("sweep: %q", msgs)
	if n := countEntries(r.tmp); n > 0 {
		t.Errorf("%d temporary entries left after the sweep", n)
	}
	if elbTestExists(t) {
		t.Errorf("suites/elb/elb.test left after the sweep")
	}
}

func containsID(os []containertarget.Orphan, id string) bool {
	for _, o := range os {
		if o.ID == id {
			return true
		}
	}
	return false
}

func countEntries(dir string) int {
	ents, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return -1
	}
	return len(ents)
}

// TestKilledRunnerTakesItsRunAlong kills the runner alone (as the OOM killer
// might): the Ginkgo CLI dies with it and the suite's processes get SIGTERM
// (harness/target LifelineEnv), so nothing of the run keeps running; at most
// its container is left, for the next container-target start.
func TestKilledRunnerTakesItsRunAlong(t *testing.T) {
	needDocker(t)
	skipShort(t)
	proxy := newDockerProxy(t, "", false)
	r := startRun(t, proxy.host)
	r.waitOutput("•", 5*time.Minute)
	runner := 0
	for _, pid := range r.processes() {
		if cl, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline"); strings.HasPrefix(string(cl), "bin/elbconform-run\x00") {
			runner = pid
		}
	}
	if runner == 0 {
		t.Fatalf("no runner process among %v", r.processes())
	}
	_ = syscall.Kill(runner, syscall.SIGKILL)
	t0 := time.Now()
	if err := r.wait(time.Minute); err == nil {
		t.Fatal("make exited 0 after its runner was killed")
	}
	var left []int
	for time.Since(t0) < 20*time.Second {
		if left = r.processes(); len(left) == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(left) > 0 {
		t.Fatalf("%d processes of the run still run %s after the runner was killed:\n%s", len(left), time.Since(t0).Round(time.Millisecond), r.leftovers(true))
	}
	t.Logf("every process of the run had ended %s after the runner was killed; containers left: %d", time.Since(t0).Round(time.Millisecond), len(r.containers()))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := containertarget.RemoveOrphans(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	if n := len(r.containers()); n > 0 {
		t.Errorf("%d containers of the run survive the cleanup", n)
	}
	run.SweepRunDirs(r.tmp)
	if n := countEntries(r.tmp); n > 0 {
		t.Errorf("%d temporary entries left after the sweep", n)
	}
}
