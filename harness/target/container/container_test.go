package container

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/elbconform/elbconform/harness/clients"
	"github.com/elbconform/elbconform/harness/config"
	"github.com/elbconform/elbconform/harness/target"
)

// containerConfig is the container profile of the repository's ginkgo.yml.
func containerConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load(".", func(k string) (string, bool) {
		if k == "CONFORMANCE_TARGET" {
			return config.TargetContainer, true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// needDocker skips the test, visibly, when no Docker Engine answers.
func needDocker(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := DockerAvailable(ctx); err != nil {
		t.Skipf("SKIPPED, no Docker: %v", err)
	}
}

func TestContainerTarget(t *testing.T) {
	needDocker(t)
	cfg := containerConfig(t)
	// A cold cross-compile of the emulator takes about a minute on 2 cores.
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	var log bytes.Buffer
	t0 := time.Now()
	run, err := target.Start(ctx, cfg, &log)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	total := time.Since(t0)
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = run.Stop(context.Background())
		}
	})
	t.Logf("target log: %s", strings.TrimSpace(log.String()))
	t.Logf("description: %s", run.Description)
	t.Logf("Start took %s in all (compile + image build + container start-up)", total.Round(time.Millisecond))

	if !run.Emulated || !run.Endpoint.StaticCredentials || run.Endpoint.Region != cfg.Region ||
		!strings.HasPrefix(run.Endpoint.ELBURL, "http://127.0.0.1:") || run.Endpoint.EC2URL != run.Endpoint.ELBURL {
		t.Fatalf("unexpected Running: %+v", run)
	}
	for _, want := range []string{"reference emulator in container ", "image " + EmulatorImage, "built in ", "started in ", run.Endpoint.ELBURL} {
		if !strings.Contains(run.Description, want) {
			t.Errorf("description %q lacks %q", run.Description, want)
		}
	}

	c, err := clients.New(ctx, run.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ELB.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{}); err != nil {
		t.Fatalf("DescribeLoadBalancers through the container: %v", err)
	}
	azs, err := c.EC2.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		t.Fatalf("DescribeAvailabilityZones through the container: %v", err)
	}
	if len(azs.AvailabilityZones) == 0 {
		t.Fatal("DescribeAvailabilityZones: no zones")
	}
	if err := target.Preflight(ctx, c, run.Endpoint); err != nil {
		t.Fatalf("Preflight: %v", err)
	}

	cli, err := client.New(client.FromEnv)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	img, err := cli.ImageInspect(ctx, EmulatorImage)
	if err != nil {
		t.Fatalf("docker image inspect %s: %v", EmulatorImage, err)
	}
	t.Logf("image %s: %.1f MB (%d bytes), %d layer(s)", EmulatorImage, float64(img.Size)/1e6, img.Size, len(img.RootFS.Layers))

	id := containerID(t, run.Description)
	if _, err := cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{}); err != nil {
		t.Fatalf("container %s should exist while the target runs: %v", id, err)
	}
	t0 = time.Now()
	if err := run.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	stopped = true
	t.Logf("Stop took %s", time.Since(t0).Round(time.Millisecond))
	if err := run.Stop(ctx); err != nil {
		t.Errorf("a second Stop: %v", err)
	}
	_, err = cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if !cerrdefs.IsNotFound(err) {
		t.Fatalf("container %s should be gone after Stop; inspect says: %v", id, err)
	}
	if _, err := cli.ImageInspect(ctx, EmulatorImage); err != nil {
		t.Errorf("image %s should be kept for the next run: %v", EmulatorImage, err)
	}
}

// containerID is the short container ID in a container target's description.
func containerID(t *testing.T, description string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(description, "reference emulator in container ")
	if !ok {
		t.Fatalf("no container ID in %q", description)
	}
	id, _, _ := strings.Cut(rest, " ")
	return id
}

func TestContainerTargetBrokenDockerHost(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix:///nonexistent.sock")
	cfg := containerConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	t0 := time.Now()
	if err := DockerAvailable(ctx); err == nil {
		t.Fatal("DockerAvailable: nil with DOCKER_HOST=unix:///nonexistent.sock")
	}
	var log bytes.Buffer
	run, err := target.Start(ctx, cfg, &log)
	took := time.Since(t0)
	if err == nil {
		_ = run.Stop(ctx)
		t.Fatal("Start succeeded with a broken DOCKER_HOST (testcontainers fell back to another engine?)")
	}
	t.Logf("error after %s: %v", took.Round(time.Millisecond), err)
	for _, want := range []string{
		"the container target needs a Docker Engine: none answered at unix:///nonexistent.sock",
		"Start Docker, set DOCKER_HOST, or use the default emulator target",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q", want)
		}
	}
	if strings.Count(err.Error(), "\n") > 0 {
		t.Errorf("want a one-line message, got %q", err)
	}
	if took > 5*time.Second {
		t.Errorf("took %s to give up; want a quick answer", took)
	}
}

func TestContainerTargetCompileError(t *testing.T) {
	needDocker(t)
	cfg := containerConfig(t)
	root := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/broken\n\ngo 1.22\n")
	write("cmd/elb-emulator/main.go", "package main\n\nfunc main() { undefinedThing() }\n")
	cfg.Root = root
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err := target.Start(ctx, cfg, &bytes.Buffer{})
	if err == nil {
		t.Fatal("Start succeeded with an emulator that does not compile")
	}
	t.Logf("error: %v", err)
	for _, want := range []string{"could not compile the emulator", "undefined: undefinedThing", "use the default emulator target"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q", want)
		}
	}
}
