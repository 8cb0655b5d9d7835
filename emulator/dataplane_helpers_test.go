package emulator

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// Data-plane test helpers: real loopback backends behind backed instances.

// testHealthCheckScale is the data-plane tests' clock: the quick health check below (interval
// 5 s, timeout 2 s) runs every 100 ms with a 40 ms timeout, as in the suite's profile.
const testHealthCheckScale = 0.02

// testBackend is an HTTP server behind one instance. It answers every path with its instance
// id and /healthz with 200 while healthy, 503 otherwise, like the suite's fixture.
type testBackend struct {
	id      atomic.Pointer[string]
	healthy atomic.Bool
	srv     *httptest.Server

	mu        sync.Mutex
	forwarded []string // X-Forwarded-For of the requests it served
	checks    atomic.Int64
}

func newTestBackend(t testing.TB) *testBackend {
	t.Helper()
	b := &testBackend{}
	b.healthy.Store(true)
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			b.checks.Add(1)
			if !b.healthy.Load() {
				http.Error(w, "unhealthy", http.StatusServiceUnavailable)
				return
			}
		case "/slow": // answers after ?ms= milliseconds: a request in flight that long
			ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
			select {
			case <-time.After(time.Duration(ms) * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		case "/session": // sets the application's cookie, as an application with sessions does
			http.SetCookie(w, &http.Cookie{Name: "app-session", Value: "s1", Path: "/"})
		}
		if r.URL.Path != "/healthz" {
			b.mu.Lock()
			b.forwarded = append(b.forwarded, r.Header.Get("X-Forwarded-For"))
			b.mu.Unlock()
		}
		if id := b.id.Load(); id != nil {
			io.WriteString(w, *id)
		}
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *testBackend) addr() string { return strings.TrimPrefix(b.srv.URL, "http://") }

// launchBacked runs one instance in zone backed by addr and waits until it is running.
func (e *env) launchBacked(zone, addr string) string {
	e.t.Helper()
	out, err := e.ec2.RunInstances(e.ctx, &ec2.RunInstancesInput{
		ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		Placement: &ec2types.Placement{AvailabilityZone: aws.String(zone)},
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance,
			Tags: []ec2types.Tag{{Key: aws.String(BackendTag), Value: aws.String(addr)}}}},
	})
	if err != nil {
		e.t.Fatalf("RunInstances backed by %s: %v", addr, err)
	}
	time.Sleep(testInstanceDelay + 10*time.Millisecond)
	return aws.ToString(out.Instances[0].InstanceId)
}

// backed starts n HTTP backends, each behind a new running instance in zone.
func (e *env) backed(zone string, n int) []*testBackend {
	e.t.Helper()
	out := make([]*testBackend, n)
	for i := range out {
		b := newTestBackend(e.t)
		id := e.launchBacked(zone, b.addr())
		b.id.Store(&id)
		out[i] = b
	}
	return out
}

func backendIDs(bs []*testBackend) []string {
	ids := make([]string, len(bs))
	for i, b := range bs {
		ids[i] = *b.id.Load()
	}
	return ids
}

// quickHealthCheck configures target with interval 5, timeout 2 and thresholds 2.
func (e *env) quickHealthCheck(lb, target string) {
	e.t.Helper()
	_, err := e.elb.ConfigureHealthCheck(e.ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String(lb),
		HealthCheck: &elbtypes.HealthCheck{Target: aws.String(target), Interval: aws.Int32(5), Timeout: aws.Int32(2),
			HealthyThreshold: aws.Int32(2), UnhealthyThreshold: aws.Int32(2)}})
	if err != nil {
		e.t.Fatalf("ConfigureHealthCheck %s: %v", lb, err)
	}
}

// listenersOf asks the extension where lb's listeners are.
func (e *env) listenersOf(lb string) (int, listenersAnswer) {
	e.t.Helper()
	r := e.get(listenersPath + "?LoadBalancerName=" + urlQueryEscape(lb))
	var a listenersAnswer
	if r.status == http.StatusOK {
		if err := json.Unmarshal([]byte(r.body), &a); err != nil {
			e.t.Fatalf("listeners answer %q: %v", r.body, err)
		}
	}
	return r.status, a
}

// listenerURL is the base URL of lb's listener on port.
func (e *env) listenerURL(lb string, port int) string {
	e.t.Helper()
	status, a := e.listenersOf(lb)
	if status != http.StatusOK {
		e.t.Fatalf("listeners of %s: HTTP %d", lb, status)
	}
	for _, l := range a.Listeners {
		if l.LoadBalancerPort == port {
			return "http://" + l.Address
		}
	}
	e.t.Fatalf("no listener on port %d in %+v", port, a)
	return ""
}

// nodeURLs are the base URLs of the nodes of lb's listener on port, by zone.
func (e *env) nodeURLs(lb string, port int) map[string]string {
	e.t.Helper()
	status, a := e.listenersOf(lb)
	if status != http.StatusOK {
		e.t.Fatalf("listeners of %s: HTTP %d", lb, status)
	}
	out := map[string]string{}
	for _, l := range a.Listeners {
		if l.LoadBalancerPort == port {
			for _, n := range l.Nodes {
				out[n.Zone] = "http://" + n.Address
			}
		}
	}
	return out
}

// traffic sends n requests, each on a new connection, and counts who answered: an instance
// id, or "HTTP <status>" / "error".
func traffic(t testing.TB, base string, n int) map[string]int {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	got := map[string]int{}
	for range n {
		res, err := client.Get(base + "/")
		if err != nil {
			got["error"]++
			continue
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			got[fmt.Sprintf("HTTP %d", res.StatusCode)]++
			continue
		}
		got[string(body)]++
	}
	return got
}

// waitFor polls cond every 10 ms until it holds, failing after timeout.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// tcpBackend accepts connections and answers each line with "<id>:<line>".
func tcpBackend(t testing.TB, id string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					fmt.Fprintf(c, "%s:%s\n", id, sc.Text())
				}
			})
		}
	})
	return ln.Addr().String()
}
