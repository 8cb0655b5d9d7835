// Package kubernetes holds the manifests that run the suite image as a
// Kubernetes Job. No cluster runs them here; this test checks what can drift
// from the rest of the repository: the image names `make image` builds, the
// suite's command line, the report folder and the emulator's port.
package kubernetes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	jobFile      = "elbconform-job.yaml"
	emulatorFile = "elbconform-with-emulator.yaml"
	readerFile   = "elbconform-reports.yaml"
	suiteName    = "elbconform" // the suite's container in both Jobs
)

func TestJobAgainstAnEndpoint(t *testing.T) {
	objs := load(t, jobFile)
	pod := objs.job(t).Spec.Template.Spec
	suite := checkSuiteContainer(t, objs, pod)

	// The endpoint comes from the ConfigMap, credentials from a Secret the
	// user may not have made (an IAM role may serve instead).
	endpoint := endpointOf(t, objs, suite)
	if u, err := url.Parse(endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		t.Errorf("%s: endpoint %q is not an http(s) URL", jobFile, endpoint)
	}
	var secret bool
	for _, e := range suite.EnvFrom {
		if e.SecretRef != nil {
			secret = true
			if e.SecretRef.Optional == nil || !*e.SecretRef.Optional {
				t.Errorf("%s: the credentials Secret %s must be optional (a service account's role may serve instead)", jobFile, e.SecretRef.Name)
			}
		}
	}
	if !secret {
		t.Errorf("%s: the suite container takes no credentials from a Secret", jobFile)
	}
}

func TestJobWithEmulatorSidecar(t *testing.T) {
	objs := load(t, emulatorFile)
	pod := objs.job(t).Spec.Template.Spec
	suite := checkSuiteContainer(t, objs, pod)
	if len(pod.InitContainers) != 1 {
		t.Fatalf("%s: want the emulator as the one init container, got %d", emulatorFile, len(pod.InitContainers))
	}
	emu := pod.InitContainers[0]
	if want := imageNames(t)["EMULATOR_IMAGE"]; emu.Image != want {
		t.Errorf("%s: emulator image %q, but make image builds %q", emulatorFile, emu.Image, want)
	}
	checkPullPolicy(t, emulatorFile, emu)
	// Only restartPolicy Always makes an init container a sidecar that runs
	// beside the suite; without it the pod would wait for it to exit.
	if emu.RestartPolicy == nil || *emu.RestartPolicy != "Always" {
		t.Errorf("%s: the emulator init container needs restartPolicy: Always to be a native sidecar", emulatorFile)
	}

	port := emulatorPort(t, emu.Args)
	if len(emu.Ports) != 1 || emu.Ports[0].ContainerPort != port {
		t.Errorf("%s: emulator ports %+v, want containerPort %d (its -addr)", emulatorFile, emu.Ports, port)
	}
	if p := emu.StartupProbe; p == nil || p.HTTPGet == nil || fmt.Sprint(p.HTTPGet.Port) != strconv.Itoa(port) || p.HTTPGet.Path != "/healthz" {
		t.Errorf("%s: the emulator's startupProbe must GET /healthz on port %d, so that the suite starts once it answers", emulatorFile, port)
	}
	u, err := url.Parse(endpointOf(t, objs, suite))
	if err != nil {
		t.Fatalf("%s: endpoint: %v", emulatorFile, err)
	}
	// The pod's loopback: the emulator's health checks must reach the web
	// servers the suite serves there for its instances.
	if ip := net.ParseIP(u.Hostname()); (ip == nil || !ip.IsLoopback()) && u.Hostname() != "localhost" {
		t.Errorf("%s: endpoint %s: want the pod's loopback, where the sidecar listens", emulatorFile, u)
	}
	if u.Port() != strconv.Itoa(port) {
		t.Errorf("%s: endpoint %s, but the emulator listens on port %d", emulatorFile, u, port)
	}
}

// TestReportsShared: both Jobs write to one claim (applying the second file
// must not change the first's claim, which Kubernetes would refuse), and the
// reader pod mounts that claim.
func TestReportsShared(t *testing.T) {
	a, b := load(t, jobFile).only(t, "PersistentVolumeClaim"), load(t, emulatorFile).only(t, "PersistentVolumeClaim")
	if a.Metadata.Name != b.Metadata.Name || !reflect.DeepEqual(a.Spec, b.Spec) {
		t.Errorf("the claims of %s (%s) and %s (%s) differ", jobFile, a.Metadata.Name, emulatorFile, b.Metadata.Name)
	}
	reader := load(t, readerFile).only(t, "Pod")
	var spec podSpec
	if err := json.Unmarshal(reader.Spec, &spec); err != nil {
		t.Fatal(err)
	}
	if claims := spec.claims(); !slices.Contains(claims, a.Metadata.Name) {
		t.Errorf("%s mounts claims %v, not %s", readerFile, claims, a.Metadata.Name)
	}
}

// checkSuiteContainer checks what both Jobs share: the suite image, a
// command line elbconform run accepts, its report folder on the claim, and
// a writable /tmp. It returns the suite container.
func checkSuiteContainer(t *testing.T, objs objects, pod podSpec) container {
	t.Helper()
	file := objs.file
	i := slices.IndexFunc(pod.Containers, func(c container) bool { return c.Name == suiteName })
	if i < 0 {
		t.Fatalf("%s: no container named %s", file, suiteName)
	}
	c := pod.Containers[i]
	if want := imageNames(t)["SUITE_IMAGE"]; c.Image != want {
		t.Errorf("%s: suite image %q, but make image builds %q", file, c.Image, want)
	}
	checkPullPolicy(t, file, c)
	if pod.RestartPolicy != "Never" {
		t.Errorf("%s: restartPolicy %q: a run is a result, want Never", file, pod.RestartPolicy)
	}
	if len(c.Command) > 0 {
		t.Errorf("%s: command %q replaces the image's entrypoint, elbconform; give args only", file, c.Command)
	}
	checkCommandLine(t, file, c.Args)

	dir, ok := flagValue(c.Args, "report-dir")
	if !ok {
		t.Fatalf("%s: args %q set no --report-dir", file, c.Args)
	}
	m := c.mount(dir)
	if m == nil {
		t.Fatalf("%s: --report-dir %s is not a mounted volume: the reports would go with the pod", file, dir)
	}
	if v := pod.volume(m.Name); v == nil || v.PersistentVolumeClaim == nil || objs.named("PersistentVolumeClaim", v.PersistentVolumeClaim.ClaimName) == nil {
		t.Errorf("%s: the report folder's volume %s is not a claim the file defines", file, m.Name)
	}
	if c.SecurityContext != nil && c.SecurityContext.ReadOnlyRootFilesystem && c.mount("/tmp") == nil {
		t.Errorf("%s: read-only root filesystem but no volume at /tmp, where elbconform run makes its working folder", file)
	}
	return c
}

func checkPullPolicy(t *testing.T, file string, c container) {
	t.Helper()
	if c.ImagePullPolicy != "IfNotPresent" && c.ImagePullPolicy != "Never" {
		t.Errorf("%s: container %s: imagePullPolicy %q; the image is loaded into the nodes, not in a registry: want IfNotPresent or Never", file, c.Name, c.ImagePullPolicy)
	}
}

// checkCommandLine runs the real elbconform with the container's args and
// -h after its own flags: the flag parser returns at -h having parsed the
// flags before it, so exit status 0 means every flag exists and has its
// value, and a renamed or removed flag fails here (exit status 2).
func checkCommandLine(t *testing.T, file string, args []string) {
	t.Helper()
	if len(args) == 0 || args[0] != "run" {
		t.Fatalf("%s: args %q: want elbconform run", file, args)
	}
	own := args
	if i := slices.Index(args, "--"); i >= 0 { // Ginkgo's flags are not elbconform's
		own = args[:i]
	}
	out, err := elbconform(t, append(slices.Clone(own), "-h")...)
	if err != nil {
		t.Errorf("%s: elbconform does not take args %q: %v\n%s", file, own, err, out)
	} else if !bytes.Contains(out, []byte("usage: elbconform run")) {
		t.Errorf("%s: elbconform %q -h printed no usage of run:\n%s", file, own, out)
	}
}

// flagValue finds a flag's value as Go's flag package reads it: -name or
// --name, then =value or the next argument.
func flagValue(args []string, name string) (string, bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v, true
		}
		if a == name && i+1 < len(args) {
			return args[i+1], true
		}
	}
	return "", false
}

// endpointOf is the endpoint the suite container tests: --endpoint, else
// AWS_ENDPOINT_URL from its env or from a ConfigMap of the file.
func endpointOf(t *testing.T, objs objects, c container) string {
	t.Helper()
	if v, ok := flagValue(c.Args, "endpoint"); ok {
		return v
	}
	for _, e := range c.Env {
		if e.Name == "AWS_ENDPOINT_URL" {
			return e.Value
		}
	}
	for _, e := range c.EnvFrom {
		if e.ConfigMapRef == nil {
			continue
		}
		if cm := objs.named("ConfigMap", e.ConfigMapRef.Name); cm != nil && cm.Data["AWS_ENDPOINT_URL"] != "" {
			return cm.Data["AWS_ENDPOINT_URL"]
		}
	}
	t.Fatalf("%s: the suite container names no endpoint (--endpoint, or AWS_ENDPOINT_URL in its env or a ConfigMap of the file)", objs.file)
	return ""
}

// emulatorPort is the port the emulator image listens on with these args:
// the last -addr of its Dockerfile's ENTRYPOINT and the args.
func emulatorPort(t *testing.T, args []string) int {
	t.Helper()
	path := filepath.Join(repoRoot(t), "deploy", "images", "elb-emulator", "Dockerfile")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^ENTRYPOINT\s+(\[.*\])\s*$`).FindSubmatch(raw)
	if m == nil {
		t.Fatalf("%s: no ENTRYPOINT in exec form", path)
	}
	var entrypoint []string
	if err := json.Unmarshal(m[1], &entrypoint); err != nil {
		t.Fatalf("%s: ENTRYPOINT: %v", path, err)
	}
	var addr string
	all := append(entrypoint[1:], args...)
	for i, a := range all {
		if v, ok := strings.CutPrefix(strings.TrimLeft(a, "-"), "addr="); ok && strings.HasPrefix(a, "-") {
			addr = v
		} else if strings.TrimLeft(a, "-") == "addr" && strings.HasPrefix(a, "-") && i+1 < len(all) {
			addr = all[i+1]
		}
	}
	_, p, err := net.SplitHostPort(addr)
	port, perr := strconv.Atoi(p)
	if err != nil || perr != nil {
		t.Fatalf("the emulator's -addr %q (ENTRYPOINT %q, args %q) has no port", addr, entrypoint, args)
	}
	return port
}

// imageNames reads deploy/images/names.env, the names make image builds.
func imageNames(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "images", "names.env"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && !strings.HasPrefix(k, "#") {
			names[k] = v
		}
	}
	for _, k := range []string{"SUITE_IMAGE", "EMULATOR_IMAGE"} {
		if names[k] == "" {
			t.Fatalf("names.env sets no %s", k)
		}
	}
	return names
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// elbconform runs cmd/elbconform with args. go run, because it keeps the
// linked binary in the build cache (Go 1.24 and later): only the first run
// after a change links it.
func elbconform(t *testing.T, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command("go", append([]string{"run", "./cmd/elbconform"}, args...)...)
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0") // the Makefile's build configuration: one SDK compile
	return cmd.CombinedOutput()
}
