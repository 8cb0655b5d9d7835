package container

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

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
