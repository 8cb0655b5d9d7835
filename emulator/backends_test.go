package emulator

import (
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The data plane connects only to backends on allowed networks (backends.go, internal/dataplane/dial.go).

func backendTag(addr string) []ec2types.TagSpecification {
	return []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance,
		Tags: []ec2types.Tag{{Key: aws.String(BackendTag), Value: aws.String(addr)}}}}
}

// runBacked calls RunInstances for one instance tagged with addr.
func (e *env) runBacked(addr string) (*ec2.RunInstancesOutput, error) {
	return e.ec2.RunInstances(e.ctx, &ec2.RunInstancesInput{
		ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		TagSpecifications: backendTag(addr),
	})
}

// A backend off loopback (a cloud metadata address, a private network, a name) is refused
// at RunInstances and at CreateTags with a 400 InvalidParameterValue naming the flag, and
// nothing is launched or tagged.
func TestBackendOffLoopbackRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	for _, addr := range []string{"169.254.169.254:80", "10.1.2.3:8080", "[::ffff:169.254.169.254]:80", "0.0.0.0:80", "[fd00::1]:80"} {
		_, err := e.runBacked(addr)
		wantCode(t, err, "InvalidParameterValue", http.StatusBadRequest)
		want := "elb-emulator:backend=" + addr + " is not on a network the emulator may connect to; allowed: 127.0.0.0/8, ::1/128 " +
			"(start the emulator with -allow-backends"
		if !strings.Contains(err.Error(), want) {
			t.Errorf("RunInstances with backend %s: message %q, want it to contain %q", addr, err, want)
		}
	}
	_, err := e.runBacked("localhost:8080")
	wantCode(t, err, "InvalidParameterValue", http.StatusBadRequest)
	if !strings.Contains(err.Error(), "must be an IP address and port") {
		t.Errorf("a host name: message %q does not ask for an IP address", err)
	}
	if n := e.instanceCount(); n != 0 {
		t.Errorf("refused RunInstances launched %d instances", n)
	}

	id := e.launch(1, "")[0]
	_, err = e.ec2.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{id},
		Tags: []ec2types.Tag{{Key: aws.String(BackendTag), Value: aws.String("169.254.169.254:80")}}})
	wantCode(t, err, "InvalidParameterValue", http.StatusBadRequest)
	if !strings.Contains(err.Error(), "-allow-backends") {
		t.Errorf("CreateTags refusal %q does not name the flag", err)
	}
	out := must[*ec2.DescribeInstancesOutput](t)(e.ec2.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}))
	if tags := out.Reservations[0].Instances[0].Tags; len(tags) != 0 {
		t.Errorf("a refused CreateTags left tags %v", tags)
	}
}

// Every loopback spelling is accepted by default.
func TestBackendLoopbackAccepted(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	for _, addr := range []string{"127.0.0.1:8080", "127.9.8.7:1", "[::1]:65535", "[::ffff:127.0.0.1]:80"} {
		if _, err := e.runBacked(addr); err != nil {
			t.Errorf("loopback backend %s refused: %v", addr, err)
		}
	}
}

// hostAddr is a non-loopback IPv4 address of this machine, or the test is skipped.
func hostAddr(t *testing.T) netip.Addr {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skipf("no interface addresses: %v", err)
	}
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil && p.Addr().Is4() && !p.Addr().IsLoopback() && !p.Addr().IsLinkLocalUnicast() {
			return p.Addr()
		}
	}
	t.Skip("this machine has no non-loopback IPv4 address")
	return netip.Addr{}
}

// hostBackend is an HTTP backend on addr (port chosen by the OS) that answers id and
// counts the connections it accepted.
type hostBackend struct {
	addr  string
	conns atomic.Int64
	id    atomic.Pointer[string]
}

func newHostBackend(t *testing.T, ip netip.Addr) *hostBackend {
	t.Helper()
	ln, err := net.Listen("tcp", netip.AddrPortFrom(ip, 0).String())
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	b := &hostBackend{addr: ln.Addr().String()}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second,
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				b.conns.Add(1)
			}
		},
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if id := b.id.Load(); id != nil && r.URL.Path != "/healthz" {
				_, _ = io.WriteString(w, *id)
			}
		})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return b
}

// A network named in AllowedBackendNetworks is accepted, checked and served.
func TestBackendOnAllowedNetworkServes(t *testing.T) {
	t.Parallel()
	ip := hostAddr(t)
	b := newHostBackend(t, ip)
	e, url := dataEnv(t, Options{AllowedBackendNetworks: []netip.Prefix{netip.PrefixFrom(ip, 32)}})
	id := e.launchBacked("us-east-1a", b.addr)
	b.id.Store(&id)
	must[[]string](t)(e.register("lb", id))
	e.waitState("lb", id, healthInService, 3*time.Second)
	if got := traffic(t, url, 4); !only(got, id) {
		t.Errorf("traffic through the listener reached %v, want only %s", got, id)
	}
	// Still refused: another non-loopback address.
	_, err := e.runBacked("169.254.169.254:80")
	wantCode(t, err, "InvalidParameterValue", http.StatusBadRequest)
	if !strings.Contains(err.Error(), "allowed: 127.0.0.0/8, ::1/128, "+ip.String()+"/32") {
		t.Errorf("refusal %q does not list the allowed networks", err)
	}
}

// The dialer checks again: a backend address that bypassed the tag check (here written into
// the store directly) is never connected to, by health checks or by traffic.
func TestBackendCheckedAtConnectTime(t *testing.T) {
	t.Parallel()
	ip := hostAddr(t)
	b := newHostBackend(t, ip)
	e, url := dataEnv(t, Options{}) // loopback only
	id := e.launchRunning(1, "us-east-1a")[0]
	st := e.srv.h.st
	st.mu.Lock()
	st.ec2.instances[id].tags.set(BackendTag, b.addr) // as if the tag check had been skipped
	st.mu.Unlock()
	must[[]string](t)(e.register("lb", id))
	s := e.waitState("lb", id, healthOutOfService, 3*time.Second)
	time.Sleep(300 * time.Millisecond) // several check intervals (100 ms)
	if h, _ := e.health("lb", id); aws.ToString(h[id].State) != healthOutOfService {
		t.Errorf("a backend off the allowed networks went %s (%+v)", aws.ToString(h[id].State), s)
	}
	_ = traffic(t, url, 3)
	if n := b.conns.Load(); n != 0 {
		t.Errorf("the emulator opened %d connections to %s, which is not on an allowed network", n, b.addr)
	}
	if err := e.srv.h.dp.BackendControl("tcp4", b.addr, nil); err == nil {
		t.Errorf("backendControl allowed %s", b.addr)
	}
	if err := e.srv.h.dp.BackendControl("tcp4", "127.0.0.1:80", nil); err != nil {
		t.Errorf("backendControl refused loopback: %v", err)
	}
}

func TestParseNetworks(t *testing.T) {
	got, err := ParseNetworks(" 10.0.0.0/8, 172.17.0.1/16 ,,192.168.1.7, fd00::1 ")
	if err != nil {
		t.Fatal(err)
	}
	if want := "10.0.0.0/8,172.17.0.0/16,192.168.1.7/32,fd00::1/128"; got.String() != want {
		t.Errorf("ParseNetworks = %s, want %s", got.String(), want)
	}
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0", "fe80::1%eth0"} {
		if _, err := ParseNetworks(bad); err == nil {
			t.Errorf("ParseNetworks(%q) accepted", bad)
		}
	}
	var n Networks
	if err := n.Set("10.0.0.0/8"); err != nil || n.Set("192.168.0.0/16") != nil || len(n) != 2 {
		t.Errorf("Networks.Set does not accumulate: %v %v", n, err)
	}
	if _, err := NewHandler(Options{AllowedBackendNetworks: []netip.Prefix{{}}}); err == nil {
		t.Error("an invalid prefix in AllowedBackendNetworks was accepted")
	}
}
