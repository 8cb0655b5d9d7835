package emulator

import (
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// What attributes, policies and listener changes do to traffic (internal/dataplane: route.go,
// drain.go, idle.go, sticky.go), through the SDK and real requests.

func (e *env) setAttributes(lb string, a elbtypes.LoadBalancerAttributes) {
	e.t.Helper()
	if _, err := e.elb.ModifyLoadBalancerAttributes(e.ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerName: aws.String(lb), LoadBalancerAttributes: &a}); err != nil {
		e.t.Fatalf("ModifyLoadBalancerAttributes: %v", err)
	}
}

func draining(on bool, seconds int32) elbtypes.LoadBalancerAttributes {
	return elbtypes.LoadBalancerAttributes{ConnectionDraining: &elbtypes.ConnectionDraining{Enabled: on, Timeout: aws.Int32(seconds)}}
}

// inService registers ids with lb and waits until each is InService.
func (e *env) inService(lb string, ids ...string) {
	e.t.Helper()
	must[[]string](e.t)(e.register(lb, ids...))
	for _, id := range ids {
		e.waitState(lb, id, healthInService, 3*time.Second)
	}
}

// ask sends one GET and answers who served it (an instance id, "HTTP <status>" or "error").
func ask(client *http.Client, url string) string {
	res, err := client.Get(url)
	if err != nil {
		return "error"
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return "HTTP " + res.Status[:3]
	}
	return string(body)
}

func noKeepAlive() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
}

func TestDataplaneCrossZone(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{HealthCheckScale: testHealthCheckScale})
	e.createLB("lb", "us-east-1a", "us-east-1b")
	e.quickHealthCheck("lb", "HTTP:80/healthz")
	inA := backendIDs(e.backed("us-east-1a", 1))[0]
	inB := backendIDs(e.backed("us-east-1b", 1))[0]
	e.inService("lb", inA, inB)
	nodes := e.nodeURLs("lb", 80)
	if len(nodes) != 2 {
		t.Fatalf("nodes %v, want one per enabled zone", nodes)
	}
	if got := traffic(t, nodes["us-east-1a"], 10); !only(got, inA) {
		t.Errorf("cross-zone off (the default), zone a's node: %v", got)
	}
	if got := traffic(t, nodes["us-east-1b"], 10); !only(got, inB) {
		t.Errorf("cross-zone off, zone b's node: %v", got)
	}
	e.setAttributes("lb", elbtypes.LoadBalancerAttributes{CrossZoneLoadBalancing: &elbtypes.CrossZoneLoadBalancing{Enabled: true}})
	for zone, node := range nodes {
		if got := traffic(t, node, 10); !only(got, inA, inB) {
			t.Errorf("cross-zone on, zone %s's node: %v", zone, got)
		}
	}
	if again := e.nodeURLs("lb", 80); again["us-east-1a"] != nodes["us-east-1a"] {
		t.Errorf("a node's address changed with the attributes: %v then %v", nodes, again)
	}
}

func TestDataplaneDrainingCompletesInFlightRequests(t *testing.T) {
	t.Parallel()
	e, url := dataEnv(t, Options{})
	e.setAttributes("lb", draining(true, 60))
	id := backendIDs(e.backed("us-east-1a", 1))[0]
	e.inService("lb", id)

	done := make(chan string, 1)
	go func() { done <- ask(noKeepAlive(), url+"/slow?ms=600") }()
	time.Sleep(150 * time.Millisecond)
	must[[]string](t)(e.deregister("lb", id))

	s := stateOf(e, "lb", id)
	if aws.ToString(s.State) != healthInService || aws.ToString(s.Description) != descDeregistering {
		t.Errorf("while its request is in flight: %+v, want InService %q", s, descDeregistering)
	}
	all := must[map[string]string](t)(healthStates(e, "lb"))
	if all[id] != healthInService {
		t.Errorf("DescribeInstanceHealth without Instances: %v, want %s draining", all, id)
	}
	if got := ask(noKeepAlive(), url+"/"); got != "HTTP 503" {
		t.Errorf("a new request while %s drains: %s, want 503 (no member left)", id, got)
	}
	if got := <-done; got != id {
		t.Errorf("the in-flight request: %s, want it completed by %s", got, id)
	}
	if s := stateOf(e, "lb", id); aws.ToString(s.State) != healthOutOfService || aws.ToString(s.Description) != descNotRegistered {
		t.Errorf("after its request completed: %+v", s)
	}
}

func TestDataplaneDrainingTimeoutCutsRequests(t *testing.T) {
	t.Parallel()
	e, url := dataEnv(t, Options{})
	e.setAttributes("lb", draining(true, 1))
	id := backendIDs(e.backed("us-east-1a", 1))[0]
	e.inService("lb", id)

	start := time.Now()
	done := make(chan string, 1)
	go func() { done <- ask(noKeepAlive(), url+"/slow?ms=5000") }()
	time.Sleep(150 * time.Millisecond)
	must[[]string](t)(e.deregister("lb", id))
	if got := <-done; got == id {
		t.Errorf("a request longer than the draining timeout completed")
	}
	if took := time.Since(start); took < time.Second || took > 3*time.Second {
		t.Errorf("the request was cut after %v, want about the 1 s draining timeout", took)
	}
	if s := stateOf(e, "lb", id); aws.ToString(s.State) != healthOutOfService {
		t.Errorf("after the draining timeout: %+v", s)
	}
}

func TestDataplaneNoDrainingCutsInFlightRequests(t *testing.T) {
	t.Parallel()
	e, url := dataEnv(t, Options{})
	id := backendIDs(e.backed("us-east-1a", 1))[0]
	e.inService("lb", id)

	start := time.Now()
	done := make(chan string, 1)
	go func() { done <- ask(noKeepAlive(), url+"/slow?ms=5000") }()
	time.Sleep(150 * time.Millisecond)
	must[[]string](t)(e.deregister("lb", id))
	if s := stateOf(e, "lb", id); aws.ToString(s.State) != healthOutOfService {
		t.Errorf("without draining, right after deregistration: %+v", s)
	}
	if got := <-done; got == id {
		t.Errorf("without draining the in-flight request completed")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("without draining the request was cut only after %v", took)
	}
}

func TestDataplaneIdleTimeoutClosesIdleConnections(t *testing.T) {
	t.Parallel()
	e, url := dataEnv(t, Options{})
	e.setAttributes("lb", elbtypes.LoadBalancerAttributes{ConnectionSettings: &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(1)}})
	id := backendIDs(e.backed("us-east-1a", 1))[0]
	e.inService("lb", id)

	for _, what := range []string{"HTTP", "TCP"} {
		addr := strings.TrimPrefix(url, "http://")
		if what == "TCP" {
			addr = e.tcpListener("tcp", tcpBackend(t, "i-tcp"))
			e.setAttributes("tcp", elbtypes.LoadBalancerAttributes{ConnectionSettings: &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(1)}})
		}
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_ = c.SetReadDeadline(start.Add(5 * time.Second))
		_, err = c.Read(make([]byte, 1))
		took := time.Since(start)
		c.Close()
		if ne, ok := err.(net.Error); err == nil || ok && ne.Timeout() {
			t.Errorf("%s: an idle connection stayed open 5 s with a 1 s idle timeout (%v)", what, err)
		} else if took < 900*time.Millisecond || took > 2*time.Second {
			t.Errorf("%s: an idle connection was closed after %v, want about 1 s", what, took)
		}
	}

	// A connection used more often than the timeout stays open (a timeout of 3 s and a
	// request every 0.5 s leave room for a slow machine).
	e.setAttributes("lb", elbtypes.LoadBalancerAttributes{ConnectionSettings: &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(3)}})
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{}}
	reused := 0
	for range 4 {
		trace := &httptrace.ClientTrace{GotConn: func(c httptrace.GotConnInfo) {
			if c.Reused {
				reused++
			}
		}}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(e.ctx, trace), http.MethodGet, url+"/", nil)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		time.Sleep(500 * time.Millisecond)
	}
	if reused != 3 {
		t.Errorf("requests every 0.5 s reused the connection %d times of 3", reused)
	}
}

func TestDataplaneStickyLBCookie(t *testing.T) {
	t.Parallel()
	e, url := dataEnv(t, Options{})
	ids := backendIDs(e.backed("us-east-1a", 2))
	e.inService("lb", ids...)
	must[*elb.CreateLBCookieStickinessPolicyOutput](t)(e.elb.CreateLBCookieStickinessPolicy(e.ctx, &elb.CreateLBCookieStickinessPolicyInput{
		LoadBalancerName: aws.String("lb"), PolicyName: aws.String("sticky"), CookieExpirationPeriod: aws.Int64(60)}))
	must[*elb.SetLoadBalancerPoliciesOfListenerOutput](t)(e.elb.SetLoadBalancerPoliciesOfListener(e.ctx, &elb.SetLoadBalancerPoliciesOfListenerInput{
		LoadBalancerName: aws.String("lb"), LoadBalancerPort: 80, PolicyNames: []string{"sticky"}}))

	client := cookieClient()
	res, err := client.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	stuck := string(body)
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "AWSELB" {
			cookie = c
		}
	}
	if cookie == nil || cookie.MaxAge != 60 || strings.Contains(cookie.Value, stuck) {
		t.Fatalf("the first answer's AWSELB cookie: %+v (want an opaque value, Max-Age 60)", cookie)
	}
	for range 10 {
		if got := ask(client, url+"/"); got != stuck {
			t.Fatalf("with the cookie: %s, want %s every time", got, stuck)
		}
	}
	if got := traffic(t, url, 10); !only(got, ids...) {
		t.Errorf("without the cookie traffic still spreads: %v", got)
	}
	other := ids[0]
	if other == stuck {
		other = ids[1]
	}
	must[[]string](t)(e.deregister("lb", stuck))
	for range 5 {
		if got := ask(client, url+"/"); got != other {
			t.Fatalf("once %s is deregistered: %s, want %s", stuck, got, other)
		}
	}
}

func TestDataplaneStickyAppCookie(t *testing.T) {
	t.Parallel()
	e, url := dataEnv(t, Options{})
	ids := backendIDs(e.backed("us-east-1a", 2))
	e.inService("lb", ids...)
	must[*elb.CreateAppCookieStickinessPolicyOutput](t)(e.elb.CreateAppCookieStickinessPolicy(e.ctx, &elb.CreateAppCookieStickinessPolicyInput{
		LoadBalancerName: aws.String("lb"), PolicyName: aws.String("app"), CookieName: aws.String("app-session")}))
	must[*elb.SetLoadBalancerPoliciesOfListenerOutput](t)(e.elb.SetLoadBalancerPoliciesOfListener(e.ctx, &elb.SetLoadBalancerPoliciesOfListenerInput{
		LoadBalancerName: aws.String("lb"), LoadBalancerPort: 80, PolicyNames: []string{"app"}}))

	// No application cookie yet: no stickiness cookie, traffic spreads.
	client := cookieClient()
	if got := askAll(client, url+"/", 10); len(got) != 2 {
		t.Errorf("before the application's cookie: %v, want both members", got)
	}
	stuck := ask(client, url+"/session")
	for range 10 {
		if got := ask(client, url+"/"); got != stuck {
			t.Fatalf("holding the application's cookie: %s, want %s every time", got, stuck)
		}
	}
}

func cookieClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Timeout: 5 * time.Second, Jar: jar, Transport: &http.Transport{DisableKeepAlives: true}}
}

func askAll(client *http.Client, url string, n int) map[string]int {
	got := map[string]int{}
	for range n {
		got[ask(client, url)]++
	}
	return got
}

// A back end slower to answer than the idle timeout gets the client a 504, as AWS's
// troubleshooting guide says of HTTP 504 ("the application takes longer to respond than the
// configured idle timeout"); within the timeout the answer comes through, whatever the
// default 60 s would say (a drained request may take longer than 60 s when the timeout is
// raised).
func TestDataplaneIdleTimeoutBoundsTheBackendWait(t *testing.T) {
	t.Parallel()
	e, url := dataEnv(t, Options{})
	id := backendIDs(e.backed("us-east-1a", 1))[0]
	e.inService("lb", id)

	e.setAttributes("lb", elbtypes.LoadBalancerAttributes{ConnectionSettings: &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(1)}})
	start := time.Now()
	if got := ask(noKeepAlive(), url+"/slow?ms=3000"); got != "HTTP 504" {
		t.Errorf("a back end answering after 3 s with a 1 s idle timeout: %s, want HTTP 504", got)
	}
	if took := time.Since(start); took < 900*time.Millisecond || took > 2500*time.Millisecond {
		t.Errorf("the 504 came after %v, want about the 1 s idle timeout", took)
	}

	e.setAttributes("lb", elbtypes.LoadBalancerAttributes{ConnectionSettings: &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(5)}})
	if got := ask(noKeepAlive(), url+"/slow?ms=1500"); got == "HTTP 504" || got == "error" {
		t.Errorf("a back end answering after 1.5 s with a 5 s idle timeout: %s, want its answer", got)
	}
}
