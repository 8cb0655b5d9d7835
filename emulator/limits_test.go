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

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// What one request may cost: a stalled request is cut off, RunInstances is bounded by the
// account's instance limit.

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

// runInstances calls RunInstances with MinCount min and MaxCount max.
func (e *env) runInstances(minCount, maxCount int32) (*ec2.RunInstancesOutput, error) {
	return e.ec2.RunInstances(e.ctx, &ec2.RunInstancesInput{
		ImageId: aws.String("ami-12345678"), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(minCount), MaxCount: aws.Int32(maxCount),
	})
}

// instanceCount is how many instances DescribeInstances knows, in any state.
func (e *env) instanceCount() int {
	e.t.Helper()
	out := must[*ec2.DescribeInstancesOutput](e.t)(e.ec2.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{}))
	n := 0
	for _, r := range out.Reservations {
		n += len(r.Instances)
	}
	return n
}

// Over the limit: AWS's InstanceLimitExceeded (400) naming the instances requested (running
// plus MinCount) and the limit, and nothing is allocated.
func TestRunInstancesOverTheLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{MaxRunningInstances: 5})
	e.launch(3, "")
	_, err := e.runInstances(3, 3)
	wantCode(t, err, "InstanceLimitExceeded", http.StatusBadRequest)
	if msg := err.Error(); !strings.Contains(msg, "You have requested more instances (6) than your current instance limit of 5 allows") {
		t.Errorf("message %q is not AWS's", msg)
	}
	if n := e.instanceCount(); n != 3 {
		t.Errorf("a refused RunInstances left %d instances, want the 3 launched before", n)
	}
}

// MaxCount above what the limit leaves, MinCount within it: what fits is launched, as AWS
// launches "the largest possible number of instances above the specified minimum count".
func TestRunInstancesLaunchesWhatFits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{MaxRunningInstances: 5})
	e.launch(3, "")
	out := must[*ec2.RunInstancesOutput](t)(e.runInstances(1, 100000))
	if len(out.Instances) != 2 {
		t.Fatalf("MinCount 1, MaxCount 100000 with 2 left of the limit launched %d instances, want 2", len(out.Instances))
	}
	for i, in := range out.Instances {
		if aws.ToInt32(in.AmiLaunchIndex) != int32(i) {
			t.Errorf("instance %d has launch index %d", i, aws.ToInt32(in.AmiLaunchIndex))
		}
	}
	_, err := e.runInstances(1, 1)
	wantCode(t, err, "InstanceLimitExceeded", http.StatusBadRequest)
}

// Stopped and terminated instances give their place back; pending ones count.
func TestRunInstancesLimitCountsRunningOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{MaxRunningInstances: 3})
	ids := e.launchRunning(3, "")
	must[*ec2.StopInstancesOutput](t)(e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: ids[:1]}))
	must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids[1:2]}))
	out := must[*ec2.RunInstancesOutput](t)(e.runInstances(1, 10))
	if len(out.Instances) != 2 {
		t.Errorf("with 1 of 3 still running, RunInstances launched %d, want 2", len(out.Instances))
	}
	_, err := e.runInstances(1, 1) // the 2 new ones are pending, and count
	wantCode(t, err, "InstanceLimitExceeded", http.StatusBadRequest)
}

// The default is AWS's documented On-Demand instance limit, 20: MaxCount 100,000 launches
// 20, not 100,000 (which answered 91 MB).
func TestRunInstancesDefaultLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	out := must[*ec2.RunInstancesOutput](t)(e.runInstances(1, 100000))
	if len(out.Instances) != defaultMaxRunning || defaultMaxRunning != 20 {
		t.Errorf("RunInstances MaxCount 100000 launched %d, want the default limit 20", len(out.Instances))
	}
	_, err := e.runInstances(1, 1)
	wantCode(t, err, "InstanceLimitExceeded", http.StatusBadRequest)
}

// MinCount above MaxCount is InvalidParameterCombination, as in EC2's error table.
func TestRunInstancesMinAboveMax(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	_, err := e.runInstances(3, 2)
	wantCode(t, err, "InvalidParameterCombination", http.StatusBadRequest)
	if n := e.instanceCount(); n != 0 {
		t.Errorf("a refused RunInstances launched %d instances", n)
	}
}

// Without an account limit, one call is still bounded.
func TestRunInstancesUnlimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{MaxRunningInstances: -1})
	out := must[*ec2.RunInstancesOutput](t)(e.runInstances(30, 30))
	if len(out.Instances) != 30 {
		t.Errorf("unlimited: launched %d of 30", len(out.Instances))
	}
	_, err := e.runInstances(maxRunCount+1, maxRunCount+1)
	wantCode(t, err, "InstanceLimitExceeded", http.StatusBadRequest)
	if n := e.instanceCount(); n != 30 {
		t.Errorf("a refused RunInstances left %d instances, want 30", n)
	}
}
