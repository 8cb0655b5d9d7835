package emulator

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// What one request may cost: a stalled request is cut off (RunInstances' bound by the
// account's instance limit is tested in ec2_run_instances_test.go).

// stalledCreate is a complete CreateLoadBalancer request body: if the emulator acted on a
// body cut short, it would create load balancer "stalled".
const stalledCreate = "Action=CreateLoadBalancer&Version=2012-06-01&LoadBalancerName=stalled" +
	"&Listeners.member.1.Protocol=HTTP&Listeners.member.1.LoadBalancerPort=80&Listeners.member.1.InstancePort=80" +
	"&AvailabilityZones.member.1=us-east-1a"

// sendPartial opens a connection, sends the headers announcing contentLength bytes and then
// body (fewer bytes), and returns the connection.
func sendPartial(t *testing.T, e *env, contentLength int, body string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_, err = io.WriteString(c, "POST / HTTP/1.1\r\nHost: emulator\r\n"+
		"Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"+
		"Content-Length: "+strconv.Itoa(contentLength)+"\r\n\r\n"+body)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// readAnswer reads one HTTP response from c (nil if the server closed the connection
// without one) and how long it took to arrive.
func readAnswer(t *testing.T, c net.Conn, start time.Time) (*http.Response, string, time.Duration) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	took := time.Since(start)
	if err != nil {
		return nil, "", took
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b), took
}

func noLoadBalancer(t *testing.T, e *env, name string) {
	t.Helper()
	_, err := e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{name}})
	if apiCode(err) != "LoadBalancerNotFound" {
		t.Errorf("load balancer %s exists after a request cut short (DescribeLoadBalancers: %v)", name, err)
	}
}

// A request whose body stalls is answered 400 RequestTimeout once RequestReadTimeout has
// passed, and nothing of what arrived is acted on.
func TestStalledBodyIsCutOff(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	e := newEnv(t, Options{RequestReadTimeout: timeout})
	start := time.Now()
	c := sendPartial(t, e, len(stalledCreate)+100, stalledCreate) // 100 bytes never come
	res, body, took := readAnswer(t, c, start)
	if res == nil {
		t.Fatalf("no answer to a stalled body (after %v)", took)
	}
	if took < timeout-50*time.Millisecond || took > timeout+2*time.Second {
		t.Errorf("stalled body answered after %v, want about %v", took, timeout)
	}
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "<Code>RequestTimeout</Code>") {
		t.Errorf("stalled body answered %d %s, want 400 RequestTimeout", res.StatusCode, body)
	}
	noLoadBalancer(t, e, "stalled")
}

// Headers that stall are cut off by the same deadline (the connection is closed).
func TestStalledHeadersAreCutOff(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	e := newEnv(t, Options{RequestReadTimeout: timeout})
	c, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	_, _ = io.WriteString(c, "POST / HTTP/1.1\r\nHost: emulator\r\n") // and never the rest
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.ReadAll(c) // until the server closes
	if took := time.Since(start); err != nil || took > timeout+2*time.Second {
		t.Errorf("stalled headers: connection closed after %v (%v), want about %v", took, err, timeout)
	}
}

// A body cut short (the client stops sending before Content-Length) is refused with 400
// IncompleteBody, and not acted on.
func TestIncompleteBodyIsNotActedOn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	start := time.Now()
	c := sendPartial(t, e, len(stalledCreate)+100, stalledCreate)
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	res, body, _ := readAnswer(t, c, start)
	if res == nil {
		t.Fatal("no answer to a body cut short")
	}
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "<Code>IncompleteBody</Code>") {
		t.Errorf("incomplete body answered %d %s, want 400 IncompleteBody", res.StatusCode, body)
	}
	noLoadBalancer(t, e, "stalled")
}

func TestRequestReadTimeoutValidated(t *testing.T) {
	if _, err := NewHandler(Options{RequestReadTimeout: -time.Second}); err == nil {
		t.Error("negative RequestReadTimeout accepted")
	}
}
