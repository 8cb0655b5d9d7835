package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/elbconform/elbconform/reports"
)

// A user's first run is often in an account that is not empty: AWS's default quota is
// 20 Classic load balancers a region, and the account may already hold some of its own.
// These tests start the emulator binary with that quota, fill part of it with load
// balancers the suite does not own, and run the binary as a user would: the run must
// fit itself into the room left (fixtures/headroom.go), and stop before any spec, with
// one message, where there is not enough; a quota refusal during the run stops it as a
// setup failure, not a failed behaviour (the last two tests need reports to read
// catalogue.SetupFailureEntry).

// regionQuota is AWS's default classic-load-balancers quota (docs/sources.md 8c).
const regionQuota = 20

// TestRunFitsIntoThreeFreeLoadBalancers: 17 of 20 load balancers taken, the whole
// suite still passes (one spec at a time holds load balancers), and the account's
// own load balancers are left as they were.
func TestRunFitsIntoThreeFreeLoadBalancers(t *testing.T) {
	if testing.Short() {
		t.Skip("a whole run of the suite (about a minute): not with -short")
	}
	url := startEmulatorBinary(t, "-max-load-balancers", fmt.Sprint(regionQuota))
	ours := createForeignLoadBalancers(t, url, regionQuota-3)

	start := time.Now()
	code, out, dir := runBinary(t, endpointEnv(url), "run", "--report-dir", "out")
	t.Logf("a run with 3 of %d load balancers free: %s, exit %d", regionQuota, time.Since(start).Round(time.Second), code)
	r, err := reports.ParseJSON(mustRead(t, filepath.Join(dir, "out", reports.JSONFile)))
	if err != nil {
		t.Fatalf("conformance.json: %v\n%s", err, out)
	}
	if code != 0 || r.Verdict != reports.Conformant {
		t.Fatalf("verdict %s, exit %d; want CONFORMANT, 0\n%s", r.Verdict, code, tail(out, 60))
	}
	// QUOTA-LOAD-BALANCERS fills the 3 free places and is refused the next: it ran.
	for _, b := range r.Behaviours {
		if b.ID == "QUOTA-LOAD-BALANCERS" && b.Result != reports.Passed {
			t.Errorf("QUOTA-LOAD-BALANCERS is %s, want passed: 3 free places are within the quota specs' budget", b.Result)
		}
	}
	if !strings.Contains(out, "1 spec at a time may hold load balancers") {
		t.Errorf("the run does not say how far it reduced its parallelism:\n%s", tail(out, 60))
	}
	if left := listLoadBalancers(t, url); !sameSet(left, ours) {
		t.Errorf("after the run the region holds %v, want exactly the account's own %v", left, ours)
	}
}

// TestRunStopsWhenNoLoadBalancerIsFree: 20 of 20 taken, the run stops before any spec
// with one message that says what it needs and what the account holds.
func TestRunStopsWhenNoLoadBalancerIsFree(t *testing.T) {
	url := startEmulatorBinary(t, "-max-load-balancers", fmt.Sprint(regionQuota))
	createForeignLoadBalancers(t, url, regionQuota)

	code, out, dir := runBinary(t, endpointEnv(url), "run", "--report-dir", "out")
	if code == 0 {
		t.Fatalf("a run with no free load balancer passed:\n%s", tail(out, 40))
	}
	// Once from the suite (process 1; the others stop without a word), once in the verdict.
	want := "the region holds 20 load balancers and its classic-load-balancers quota (DescribeAccountLimits) is 20: this run needs at least 3 free"
	suite, verdict, _ := strings.Cut(out, "elbconform: writing the reports")
	if n := strings.Count(suite, want); n != 1 {
		t.Errorf("the suite's output says %q %d times, want once:\n%s", want, n, tail(out, 40))
	}
	if !strings.Contains(verdict, want) {
		t.Errorf("the verdict does not give the reason %q:\n%s", want, verdict)
	}
	r, err := reports.ParseJSON(mustRead(t, filepath.Join(dir, "out", reports.JSONFile)))
	if err != nil {
		t.Fatalf("conformance.json: %v\n%s", err, out)
	}
	if r.Verdict != reports.Incomplete {
		t.Errorf("verdict %s, want INCOMPLETE: nothing was checked", r.Verdict)
	}
	for _, b := range r.Behaviours {
		if b.Result == reports.Passed || b.Result == reports.Failed {
			t.Errorf("behaviour %s is %s: no spec should have run", b.ID, b.Result)
		}
	}
}

// TestRunStopsOnTheInstanceQuota: EC2's instance quota is not reported, so the run
// cannot fit itself to it; a refusal for it stops the run as a setup failure, with the
// reason, and no behaviour fails for it. With room for 2 instances the run's shared
// instances (6) are refused before any spec; with room for 7 they fit, and a spec that
// launches its own is refused (DATA-HEALTH-CHECK launches two, which never fit).
func TestRunStopsOnTheInstanceQuota(t *testing.T) {
	for _, c := range []struct{ room, want string }{
		{"2", "RunInstances of the 6 instances the run's specs share"},
		{"7", "Besides the 6 instances its specs share"},
	} {
		t.Run("room for "+c.room, func(t *testing.T) {
			url := startEmulatorBinary(t, "-max-running-instances", c.room)
			code, out, dir := runBinary(t, endpointEnv(url), "run", "--report-dir", "out")
			wantStoppedForSetup(t, code, out, dir, "was refused for an account quota (InstanceLimitExceeded")
			if !strings.Contains(out, c.want) {
				t.Errorf("the run's output does not say %q:\n%s", c.want, tail(out, 40))
			}
		})
	}
}

// TestRunStopsWhenSomethingElseTakesTheRoom: another user of the account fills the
// load balancer quota while the suite runs. The run stops as a setup failure with the
// numbers, and the other user's load balancers are left alone.
func TestRunStopsWhenSomethingElseTakesTheRoom(t *testing.T) {
	url := startEmulatorBinary(t, "-max-load-balancers", fmt.Sprint(regionQuota))
	ours := createForeignLoadBalancers(t, url, regionQuota-9)
	ctx, stop := context.WithCancel(context.Background())
	filled := make(chan []string)
	go func() { filled <- fillOnceTheSuiteStarts(ctx, url) }()
	code, out, dir := runBinary(t, endpointEnv(url), "run", "--report-dir", "out")
	stop()
	ours = append(ours, <-filled...)
	wantStoppedForSetup(t, code, out, dir, "was refused for an account quota (TooManyLoadBalancers")
	if !strings.Contains(out, "Something else created load balancers in the region meanwhile") {
		t.Errorf("the message does not say what happened:\n%s", tail(out, 40))
	}
	if left := listLoadBalancers(t, url); !sameSet(left, ours) {
		t.Errorf("after the run the region holds %v, want exactly the other user's %v", left, ours)
	}
}

// fillOnceTheSuiteStarts waits for the suite's first load balancer, then creates load
// balancers of another user whenever there is room, until ctx ends. It returns their names.
func fillOnceTheSuiteStarts(ctx context.Context, url string) []string {
	c := elbClient(url)
	var names []string
	for started := false; ctx.Err() == nil; time.Sleep(5 * time.Millisecond) {
		if !started {
			out, err := c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
			started = err == nil && slices.ContainsFunc(out.LoadBalancerDescriptions, func(d elbtypes.LoadBalancerDescription) bool {
				return strings.HasPrefix(aws.ToString(d.LoadBalancerName), "ec-")
			})
			continue
		}
		name := fmt.Sprintf("late-%02d", len(names))
		if _, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String(name),
			AvailabilityZones: []string{"us-east-1a"}, Listeners: []elbtypes.Listener{httpListener}}); err == nil {
			names = append(names, name)
		}
	}
	return names
}

// wantStoppedForSetup checks a run that a quota refusal in a spec stopped: it failed,
// said why, is INCOMPLETE for that reason, and no behaviour failed for it.
func wantStoppedForSetup(t *testing.T, code int, out, dir, why string) {
	t.Helper()
	if code == 0 {
		t.Fatalf("the run passed:\n%s", tail(out, 40))
	}
	_, verdict, _ := strings.Cut(out, "elbconform: writing the reports")
	if !strings.Contains(verdict, why) || !strings.Contains(verdict, "a quota refusal is a setup failure of the run, not a failed behaviour") {
		t.Errorf("the verdict does not give the reason %q:\n%s", why, verdict)
	}
	r, err := reports.ParseJSON(mustRead(t, filepath.Join(dir, "out", reports.JSONFile)))
	if err != nil {
		t.Fatalf("conformance.json: %v\n%s", err, out)
	}
	if r.Verdict != reports.Incomplete {
		t.Errorf("verdict %s, want INCOMPLETE", r.Verdict)
	}
	for _, b := range r.Behaviours {
		if b.Result == reports.Failed {
			t.Errorf("behaviour %s failed: a quota refusal is a setup failure, not a failed behaviour\n%s", b.ID, verdict)
		}
	}
}

// endpointEnv points the binary at the emulator binary as a vendor points it at an
// endpoint, with the profile that claims traffic (the emulator routes it) and the
// emulator's short clocks.
func endpointEnv(url string) []string {
	return []string{
		"AWS_ENDPOINT_URL=" + url, "CONFORMANCE_PROFILE=emulator-endpoint", "CONFORMANCE_EVENTUALLY_POLLING=100ms",
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION=us-east-1",
	}
}

// startEmulatorBinary builds cmd/elb-emulator, starts it on a free loopback port with
// fast clocks and the flags given, and stops it when the test ends.
func startEmulatorBinary(t *testing.T, flags ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "elb-emulator")
	build := exec.Command("go", "build", "-o", bin, "../elb-emulator")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building elb-emulator: %v\n%s", err, out)
	}
	args := append([]string{"-addr", "127.0.0.1:0", "-instance-start-delay", "100ms", "-health-check-scale", "0.02"}, flags...)
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if _, url, ok := strings.Cut(lines.Text(), "listening on "); ok {
			go func() { _, _ = bufio.NewReader(stdout).WriteTo(discard{}) }()
			return strings.Fields(url)[0]
		}
	}
	t.Fatalf("elb-emulator did not say where it listens")
	return ""
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func elbClient(url string) *elb.Client {
	return elb.New(elb.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
}

// createForeignLoadBalancers creates n load balancers as another user of the account
// would: names and tags that are not the suite's. It returns their names.
func createForeignLoadBalancers(t *testing.T, url string, n int) []string {
	t.Helper()
	c := elbClient(url)
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("shop-%02d", i)
		_, err := c.CreateLoadBalancer(context.Background(), &elb.CreateLoadBalancerInput{
			LoadBalancerName:  aws.String(names[i]),
			AvailabilityZones: []string{"us-east-1a"},
			Listeners:         []elbtypes.Listener{httpListener},
			Tags:              []elbtypes.Tag{{Key: aws.String("team"), Value: aws.String("shop")}},
		})
		if err != nil {
			t.Fatalf("creating the account's own load balancer %s: %v", names[i], err)
		}
	}
	return names
}

var httpListener = elbtypes.Listener{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstanceProtocol: aws.String("HTTP"), InstancePort: aws.Int32(80)}

func listLoadBalancers(t *testing.T, url string) []string {
	t.Helper()
	var names []string
	pages := elb.NewDescribeLoadBalancersPaginator(elbClient(url), &elb.DescribeLoadBalancersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatalf("DescribeLoadBalancers: %v", err)
		}
		for _, d := range page.LoadBalancerDescriptions {
			names = append(names, aws.ToString(d.LoadBalancerName))
		}
	}
	return names
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]bool{}
	for _, s := range a {
		seen[s] = true
	}
	for _, s := range b {
		if !seen[s] {
			return false
		}
	}
	return true
}

// tail is the last n lines of out: a failed run's output is long.
func tail(out string, n int) string {
	lines := strings.Split(out, "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}
