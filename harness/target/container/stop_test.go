package container

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/elbconform/elbconform/emulator"
	"github.com/elbconform/elbconform/harness/target"
)

// TestEmulatorContainerStopsPromptly: the emulator, PID 1 of its container,
// exits by itself on docker stop's SIGTERM (exit status 0, well within the
// 5 s the container target allows before SIGKILL) while its data plane is
// busy: a load balancer with HTTP and TCP listeners and running health
// checks, a member whose backend answers, an idle connection through each
// listener, a request stuck at its backend, and an API request whose body
// never arrives.
func TestEmulatorContainerStopsPromptly(t *testing.T) {
	needDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	run, err := target.Start(ctx, containerConfig(t), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Stop(context.Background())
	api := run.Endpoint.ELBURL

	stuck := make(chan struct{})
	defer close(stuck)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/stuck" {
			select {
			case <-stuck:
			case <-r.Context().Done():
			}
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	defer backend.Close()

	call := func(version string, params url.Values) string {
		t.Helper()
		params.Set("Version", version)
		res, err := http.PostForm(api+"/", params)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: HTTP %d %s", params.Get("Action"), res.StatusCode, b)
		}
		return string(b)
	}
	const lb = "stop-test"
	call("2012-06-01", url.Values{"Action": {"CreateLoadBalancer"}, "LoadBalancerName": {lb}, "AvailabilityZones.member.1": {"us-east-1a"},
		"Listeners.member.1.Protocol": {"HTTP"}, "Listeners.member.1.LoadBalancerPort": {"80"}, "Listeners.member.1.InstancePort": {"80"},
		"Listeners.member.2.Protocol": {"TCP"}, "Listeners.member.2.LoadBalancerPort": {"81"}, "Listeners.member.2.InstancePort": {"81"}})
	call("2012-06-01", url.Values{"Action": {"ConfigureHealthCheck"}, "LoadBalancerName": {lb}, "HealthCheck.Target": {"HTTP:80/"},
		"HealthCheck.Interval": {"5"}, "HealthCheck.Timeout": {"2"}, "HealthCheck.HealthyThreshold": {"2"}, "HealthCheck.UnhealthyThreshold": {"2"}})
	out := call("2016-11-15", url.Values{"Action": {"RunInstances"}, "ImageId": {"ami-12345678"}, "MinCount": {"1"}, "MaxCount": {"1"},
		"InstanceType": {"t3.micro"}, "Placement.AvailabilityZone": {"us-east-1a"},
		"TagSpecification.1.ResourceType": {"instance"}, "TagSpecification.1.Tag.1.Key": {emulator.BackendTag},
		"TagSpecification.1.Tag.1.Value": {strings.TrimPrefix(backend.URL, "http://")}})
	id := regexp.MustCompile(`i-[0-9a-f]+`).FindString(out)
	if id == "" {
		t.Fatalf("RunInstances: no instance ID in %s", out)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		out := call("2012-06-01", url.Values{"Action": {"RegisterInstancesWithLoadBalancer"}, "LoadBalancerName": {lb}, "Instances.member.1.InstanceId": {id}})
		if strings.Contains(out, id) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("could not register %s: %s", id, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for !strings.Contains(call("2012-06-01", url.Values{"Action": {"DescribeInstanceHealth"}, "LoadBalancerName": {lb}}), "InService") {
		if time.Now().After(deadline) {
			t.Fatal("the member never went InService")
		}
		time.Sleep(100 * time.Millisecond)
	}

	res, err := http.Get(api + "/_emulator/listeners?LoadBalancerName=" + lb)
	if err != nil {
		t.Fatal(err)
	}
	var listeners struct {
		Listeners []struct {
			LoadBalancerPort int    `json:"loadBalancerPort"`
			Address          string `json:"address"`
		} `json:"listeners"`
	}
	err = json.NewDecoder(res.Body).Decode(&listeners)
	res.Body.Close()
	if err != nil || len(listeners.Listeners) != 2 {
		t.Fatalf("listeners: %+v (%v)", listeners, err)
	}
	for _, l := range listeners.Listeners {
		c, err := net.Dial("tcp", l.Address) // idle, through the listener
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if l.LoadBalancerPort == 80 {
			go func() { _, _ = http.Get("http://" + l.Address + "/stuck") }()
		}
	}
	slow, err := net.Dial("tcp", strings.TrimPrefix(api, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	_, _ = io.WriteString(slow, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nAction=")
	time.Sleep(300 * time.Millisecond)

	cli, err := client.New(client.FromEnv)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ctr := containerID(t, run.Description)
	timeout := 5
	t0 := time.Now()
	if _, err := cli.ContainerStop(ctx, ctr, client.ContainerStopOptions{Timeout: &timeout}); err != nil {
		t.Fatal(err)
	}
	took := time.Since(t0)
	info, err := cli.ContainerInspect(ctx, ctr, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("docker stop took %s; exit status %d", took.Round(time.Millisecond), info.Container.State.ExitCode)
	if code := info.Container.State.ExitCode; code != 0 {
		t.Errorf("the emulator exited with status %d on SIGTERM (137: killed after the stop timeout)", code)
	}
	if took > 3*time.Second {
		t.Errorf("docker stop took %s; the emulator must exit within its 2 s shutdown limit", took)
	}
}
