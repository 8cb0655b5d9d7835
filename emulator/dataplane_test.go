package emulator

import (
	"bufio"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/elbconform/elbconform/emulator/internal/dataplane"
)

// dataEnv is an emulator on the suite's fast health-check clock with load balancer "lb" on
// zone a, a quick HTTP health check of /healthz, and its HTTP listener's URL.
func dataEnv(t *testing.T, opts Options) (*env, string) {
	t.Helper()
	opts.HealthCheckScale = testHealthCheckScale
	e := newEnv(t, opts)
	e.createLB("lb", "us-east-1a")
	e.quickHealthCheck("lb", "HTTP:80/healthz")
	return e, e.listenerURL("lb", 80)
}

// only reports whether traffic was served by exactly the instances ids, each at least once.
func only(got map[string]int, ids ...string) bool {
	if len(got) != len(ids) {
		return false
	}
	for _, id := range ids {
		if got[id] == 0 {
			return false
		}
	}
	return true
}

func TestDataplaneRoutesOnlyToInService(t *testing.T) {
	t.Parallel()
	e, url := dataEnv(t, Options{})
	bs := e.backed("us-east-1a", 2)
	ids := backendIDs(bs)

	if got := traffic(t, url, 3); got["HTTP 503"] != 3 {
		t.Errorf("no member: %v, want 503s", got)
	}
	must[[]string](t)(e.register("lb", ids...))
	// Until HealthyThreshold (2) checks pass, 100 ms apart, the instances are registering.
	for id, s := range must[map[string]elbtypes.InstanceState](t)(e.health("lb")) {
		if aws.ToString(s.State) != healthOutOfService || aws.ToString(s.Description) != descInProgress {
			t.Errorf("%s right after registration: %+v", id, s)
		}
	}
	if got := traffic(t, url, 3); got["HTTP 503"] != 3 {
		t.Errorf("members still registering: %v, want 503s", got)
	}
	for _, id := range ids {
		e.waitState("lb", id, healthInService, 2*time.Second)
	}
	if got := traffic(t, url, 20); !only(got, ids...) {
		t.Errorf("traffic %v, want both members", got)
	}
	// The health checks really hit the backends, and proxied requests say who sent them.
	for _, b := range bs {
		if b.checks.Load() < 2 {
			t.Errorf("backend %s saw %d health checks", *b.id.Load(), b.checks.Load())
		}
		b.mu.Lock()
		if len(b.forwarded) == 0 || b.forwarded[0] != "127.0.0.1" {
			t.Errorf("X-Forwarded-For %v", b.forwarded)
		}
		b.mu.Unlock()
	}
}

func TestDataplaneDeregisteredAndZoneNotEnabledGetNothing(t *testing.T) {
	t.Parallel()
	e, url := dataEnv(t, Options{})
	inA := backendIDs(e.backed("us-east-1a", 2))
	inB := backendIDs(e.backed("us-east-1b", 1))[0]
	must[[]string](t)(e.register("lb", append(inA, inB)...))
	for _, id := range inA {
		e.waitState("lb", id, healthInService, 2*time.Second)
	}
	time.Sleep(300 * time.Millisecond) // several check rounds, which inB passes
	if s := stateOf(e, "lb", inB); aws.ToString(s.Description) != descZoneNotEnabled {
		t.Errorf("%s in a zone not enabled: %+v", inB, s)
	}
	if got := traffic(t, url, 20); !only(got, inA...) {
		t.Errorf("traffic %v, want only %v", got, inA)
	}

	must[[]string](t)(e.deregister("lb", inA[0]))
	if got := traffic(t, url, 10); !only(got, inA[1]) {
		t.Errorf("after deregistering %s: %v", inA[0], got)
	}

	must[[]string](t)(e.enableZones("lb", "us-east-1b"))
	e.waitState("lb", inB, healthInService, 2*time.Second)
	// Without cross-zone load balancing (the default) each zone's node keeps to its zone.
	nodes := e.nodeURLs("lb", 80)
	if got := traffic(t, nodes["us-east-1a"], 10); !only(got, inA[1]) {
		t.Errorf("after enabling the zone, zone a's node: %v", got)
	}
	if got := traffic(t, nodes["us-east-1b"], 10); !only(got, inB) {
		t.Errorf("after enabling the zone, zone b's node: %v", got)
	}
}

func TestDataplaneFailingBackendGoesOutAndRecovers(t *testing.T) {
	t.Parallel()
	e, url := dataEnv(t, Options{})
	bs := e.backed("us-east-1a", 2)
	sick, well := bs[0], bs[1]
	ids := backendIDs(bs)
	must[[]string](t)(e.register("lb", ids...))
	for _, id := range ids {
		e.waitState("lb", id, healthInService, 2*time.Second)
	}

	sick.healthy.Store(false)
	s := e.waitState("lb", ids[0], healthOutOfService, 2*time.Second)
	if aws.ToString(s.ReasonCode) != reasonInstance || aws.ToString(s.Description) != descFailedChecks {
		t.Errorf("failing instance: %+v", s)
	}
	if got := traffic(t, url, 10); !only(got, ids[1]) {
		t.Errorf("traffic with %s failing: %v", ids[0], got)
	}

	well.healthy.Store(false)
	e.waitState("lb", ids[1], healthOutOfService, 2*time.Second)
	if got := traffic(t, url, 3); got["HTTP 503"] != 3 {
		t.Errorf("no healthy member: %v, want 503s", got)
	}

	sick.healthy.Store(true)
	e.waitState("lb", ids[0], healthInService, 2*time.Second)
	if got := traffic(t, url, 10); !only(got, ids[0]) {
		t.Errorf("after recovery: %v", got)
	}
}

// A new health check applies from the next check: a path the backend fails takes the
// instance out, and the check's protocol counts (TCP passes where HTTP failed).
func TestDataplaneConfigureHealthCheckTakesEffect(t *testing.T) {
	t.Parallel()
	e, _ := dataEnv(t, Options{})
	b := e.backed("us-east-1a", 1)[0]
	id := *b.id.Load()
	b.healthy.Store(false)
	must[[]string](t)(e.register("lb", id))
	e.waitState("lb", id, healthOutOfService, time.Second) // in progress, then failed
	waitFor(t, 2*time.Second, "the failure reason", func() bool {
		return aws.ToString(stateOf(e, "lb", id).ReasonCode) == reasonInstance
	})
	e.quickHealthCheck("lb", "TCP:1") // the port is ignored: the backing address is probed
	e.waitState("lb", id, healthInService, 2*time.Second)
	e.quickHealthCheck("lb", "HTTPS:443/healthz") // TLS to a plain-HTTP backend fails
	waitFor(t, 2*time.Second, "the HTTPS check to fail", func() bool {
		return aws.ToString(stateOf(e, "lb", id).ReasonCode) == reasonInstance
	})
}

// A stopped backed instance is OutOfService for its state, is not probed, and starts over
// (registration in progress) when it runs again.
func TestDataplaneStoppedInstanceStartsOver(t *testing.T) {
	t.Parallel()
	e, url := dataEnv(t, Options{})
	id := backendIDs(e.backed("us-east-1a", 1))[0]
	must[[]string](t)(e.register("lb", id))
	e.waitState("lb", id, healthInService, 2*time.Second)

	must[*ec2.StopInstancesOutput](t)(e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}))
	if got := traffic(t, url, 3); got["HTTP 503"] != 3 {
		t.Errorf("stopping member: %v, want 503s", got)
	}
	time.Sleep(testInstanceDelay + 150*time.Millisecond) // stopped, and a check round since
	must[*ec2.StartInstancesOutput](t)(e.ec2.StartInstances(e.ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}}))
	time.Sleep(testInstanceDelay + 10*time.Millisecond)
	if s := stateOf(e, "lb", id); aws.ToString(s.Description) != descInProgress {
		t.Errorf("restarted instance: %+v, want registration in progress", s)
	}
	e.waitState("lb", id, healthInService, 2*time.Second)
}

func TestDataplaneTCPListener(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{HealthCheckScale: testHealthCheckScale})
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName:  aws.String("empty"),
		Listeners:         []elbtypes.Listener{{Protocol: aws.String("TCP"), LoadBalancerPort: 7000, InstancePort: aws.Int32(7000)}},
		AvailabilityZones: []string{"us-east-1a"},
	}))
	_, a := e.listenersOf("empty")
	// No InService member: the connection is closed without an answer.
	if line, err := exchange(a.Listeners[0].Address, "hello"); err == nil {
		t.Errorf("no member: answered %q", line)
	}

	addr := e.tcpListener("tcp", tcpBackend(t, "b1"))
	for range 3 { // a new connection each time, each proxied both ways
		if line, err := exchange(addr, "hello"); err != nil || line != "b1:hello\n" {
			t.Errorf("through the TCP listener: %q, %v", line, err)
		}
	}
}

// exchange sends one line over a new connection to addr and reads one line back.
func exchange(addr, line string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := fmt.Fprintf(c, "%s\n", line); err != nil {
		return "", err
	}
	return bufio.NewReader(c).ReadString('\n')
}

func TestListenersExtension(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	_, certARN := e.uploadNew("x") // iam_helpers_test.go
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("ext"),
		Listeners: []elbtypes.Listener{
			{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(8080)},
			{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstancePort: aws.Int32(8080), SSLCertificateId: aws.String(certARN)},
		},
		AvailabilityZones: []string{"us-east-1a"},
	}))
	r := e.get(listenersPath + "?LoadBalancerName=ext")
	if r.status != 200 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("got %d %v %s", r.status, r.header, r.body)
	}
	_, a := e.listenersOf("ext")
	if a.LoadBalancerName != "ext" || len(a.Listeners) != 2 {
		t.Fatalf("answer %+v", a)
	}
	httpL, httpsL := a.Listeners[0], a.Listeners[1]
	if httpL.Protocol != "HTTP" || httpL.LoadBalancerPort != 80 || httpL.InstanceProtocol != "HTTP" || httpL.InstancePort != 8080 ||
		!strings.HasPrefix(httpL.Address, "127.0.0.1:") || !httpL.Served {
		t.Errorf("HTTP listener %+v", httpL)
	}
	if !strings.HasPrefix(httpsL.Address, "127.0.0.1:") || !httpsL.Served || httpsL.Address == httpL.Address {
		t.Errorf("HTTPS listener is served too, on its own address: %+v", httpsL)
	}
	if _, again := e.listenersOf("ext"); again.Listeners[0].Address != httpL.Address {
		t.Errorf("address changed: %s then %s", httpL.Address, again.Listeners[0].Address)
	}

	for path, want := range map[string]int{
		listenersPath + "?LoadBalancerName=nope": 404,
		listenersPath:                            400,
		"/_emulator/nothing":                     404,
	} {
		r := e.get(path)
		if r.status != want || r.header.Get("Content-Type") != "application/json" || !strings.Contains(r.body, `"error"`) {
			t.Errorf("%s: %d %v %s, want %d with a JSON error", path, r.status, r.header.Get("Content-Type"), r.body, want)
		}
	}

	// Deleting the load balancer closes its listeners. (Asked of the listener itself: a
	// dial could reach a parallel test's listener that got the freed port.)
	live := boundListeners(e, "ext")
	must[*elb.DeleteLoadBalancerOutput](t)(e.elb.DeleteLoadBalancer(e.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("ext")}))
	assertClosed(t, live)
}

// boundListeners answers lb's bound listeners.
func boundListeners(e *env, lb string) []*dataplane.Bound {
	e.t.Helper()
	h := e.srv.h
	h.st.mu.RLock()
	defer h.st.mu.RUnlock()
	live, err := h.bindListeners(h.st.elb.lbs[lb])
	if err != nil {
		e.t.Fatal(err)
	}
	return live
}

// assertClosed fails unless every served listener's socket is closed.
func assertClosed(t *testing.T, live []*dataplane.Bound) {
	t.Helper()
	for _, ll := range live {
		if !ll.Closed() {
			t.Errorf("listener %s not closed", ll.Addr)
		}
	}
}

func TestBackendTagValidated(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	_, err := e.ec2.RunInstances(e.ctx, &ec2.RunInstancesInput{
		ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance,
			Tags: []ec2types.Tag{{Key: aws.String(BackendTag), Value: aws.String("no-port")}}}},
	})
	wantCode(t, err, "InvalidParameterValue", 400)
	id := e.launch(1, "us-east-1a")[0]
	_, err = e.ec2.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{id},
		Tags: []ec2types.Tag{{Key: aws.String(BackendTag), Value: aws.String("127.0.0.1:99999")}}})
	wantCode(t, err, "InvalidParameterValue", 400)
	if _, err := NewHandler(Options{HealthCheckScale: -1}); err == nil {
		t.Error("negative HealthCheckScale accepted")
	}
}

// Backing an instance after launch with CreateTags starts its load balancer's checks.
func TestBackendTagAddedAfterRegistration(t *testing.T) {
	t.Parallel()
	e, url := dataEnv(t, Options{})
	b := newTestBackend(t)
	id := e.launchRunning(1, "us-east-1a")[0]
	b.id.Store(&id)
	must[[]string](t)(e.register("lb", id))
	must[*ec2.CreateTagsOutput](t)(e.ec2.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{id},
		Tags: []ec2types.Tag{{Key: aws.String(BackendTag), Value: aws.String(b.addr())}}}))
	e.waitState("lb", id, healthInService, 2*time.Second)
	if got := traffic(t, url, 5); !only(got, id) {
		t.Errorf("traffic %v", got)
	}
}

// checkerRunning reports whether lb has a health checker.
func checkerRunning(e *env, lb string) bool {
	h := e.srv.h
	h.st.mu.RLock()
	defer h.st.mu.RUnlock()
	return h.dp.CheckerRunning(h.st.elb.lbs[lb])
}

// The checker runs only while a backed member is registered: simulated members start none,
// and deregistering the last backed member stops it at once, whatever the interval.
func TestCheckerLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{}) // AWS's timing: the default check runs every 30 s
	e.createLB("lb", "us-east-1a")
	plain := e.launchRunning(1, "us-east-1a")
	must[[]string](t)(e.register("lb", plain...))
	if checkerRunning(e, "lb") {
		t.Error("a checker runs for simulated members only")
	}
	id := backendIDs(e.backed("us-east-1a", 1))[0]
	must[[]string](t)(e.register("lb", id))
	if !checkerRunning(e, "lb") {
		t.Fatal("no checker for a backed member")
	}
	must[[]string](t)(e.deregister("lb", id))
	waitFor(t, time.Second, "the checker to stop", func() bool { return !checkerRunning(e, "lb") })
	must[[]string](t)(e.register("lb", id))
	if !checkerRunning(e, "lb") {
		t.Fatal("no checker after re-registering")
	}
	must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}}))
	waitFor(t, time.Second, "the checker to stop after termination", func() bool { return !checkerRunning(e, "lb") })
}

// Close releases every listener port and every data-plane goroutine: servers, open
// connections, checkers and probes in flight.
func TestCloseReleasesDataplane(t *testing.T) {
	e, url := dataEnv(t, Options{})
	ids := backendIDs(e.backed("us-east-1a", 2))
	must[[]string](t)(e.register("lb", ids...))
	e.waitState("lb", ids[0], healthInService, 2*time.Second)
	traffic(t, url, 5)
	tcpAddr := e.tcpListener("tcp", tcpBackend(t, "b"))
	// Client connections left open over Close: an idle HTTP one and a TCP one mid-stream.
	addr := strings.TrimPrefix(url, "http://")
	for _, a := range []string{addr, tcpAddr} {
		c, err := net.Dial("tcp", a)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	live := append(boundListeners(e, "lb"), boundListeners(e, "tcp")...)
	if len(dataplaneGoroutines()) == 0 {
		t.Fatal("no data-plane goroutine found before Close: the check below would prove nothing")
	}

	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	assertClosed(t, live)
	// Close waits for the goroutines it counts; http.Server's connection goroutines end
	// just after their connection is closed.
	deadline := time.Now().Add(2 * time.Second)
	for left := dataplaneGoroutines(); len(left) > 0; left = dataplaneGoroutines() {
		if time.Now().After(deadline) {
			t.Fatalf("%d data-plane goroutines left after Close:\n%s", len(left), strings.Join(left, "\n\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// tcpListener creates load balancer name with a TCP listener on port 7000, registers an
// instance backed by addr, waits until it is InService and answers the listener's address.
func (e *env) tcpListener(name, addr string) string {
	e.t.Helper()
	must[*elb.CreateLoadBalancerOutput](e.t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName:  aws.String(name),
		Listeners:         []elbtypes.Listener{{Protocol: aws.String("TCP"), LoadBalancerPort: 7000, InstancePort: aws.Int32(7000)}},
		AvailabilityZones: []string{"us-east-1a"},
	}))
	e.quickHealthCheck(name, "TCP:7000")
	id := e.launchBacked("us-east-1a", addr)
	must[[]string](e.t)(e.register(name, id))
	e.waitState(name, id, healthInService, 2*time.Second)
	_, a := e.listenersOf(name)
	return a.Listeners[0].Address
}

// dataplaneGoroutines answers the stacks of goroutines running data-plane code.
func dataplaneGoroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "emulator/internal/dataplane.") {
			out = append(out, g)
		}
	}
	return out
}
