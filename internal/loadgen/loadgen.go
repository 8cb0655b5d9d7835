// Package loadgen drives an ELB Classic endpoint with concurrent clients and measures
// throughput and latency. It works against any endpoint (the reference emulator, moto,
// LocalStack, ...): it creates its own load balancer and instances through the endpoint's
// ELB and EC2 APIs, tags them like the suite's fixtures (elbconform:owner=elbconform, so
// `make sweep` finds leftovers) and removes them in Cleanup.
//
// cmd/loadgen is the command line; the emulator's loopback benchmarks use the same callers.
package loadgen

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/smithy-go"
)

// Operations loadgen can drive.
const (
	OpRegister       = "register"        // RegisterInstancesWithLoadBalancer, one instance per call
	OpDescribeHealth = "describe-health" // DescribeInstanceHealth of the whole load balancer
	OpDescribeLBs    = "describe-lbs"    // DescribeLoadBalancers naming the load balancer
)

// Ops lists the operations, for flag help and validation.
var Ops = []string{OpRegister, OpDescribeHealth, OpDescribeLBs}

// Tags put on every resource loadgen creates; the same keys as the suite's fixtures.
const (
	ownerTag   = "elbconform:owner"
	ownerValue = "elbconform"
	runIDTag   = "elbconform:run-id"
)

const elbVersion = "2012-06-01"

// Target says where to send requests and how to sign them.
type Target struct {
	Endpoint string // base URL, e.g. http://127.0.0.1:4580
	Region   string // default us-east-1
	// Credentials sign the requests; nil means static dummy credentials (what emulators accept).
	Credentials aws.CredentialsProvider
}

func (t Target) region() string {
	if t.Region == "" {
		return "us-east-1"
	}
	return t.Region
}

func (t Target) credentials() aws.CredentialsProvider {
	if t.Credentials == nil {
		return credentials.NewStaticCredentialsProvider("elbconform", "elbconform", "")
	}
	return t.Credentials
}

// httpClient returns a dedicated HTTP client: one per load client, so that clients do not
// queue on a shared connection pool and each keeps its connection alive.
func httpClient() *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.MaxIdleConns = 4
		tr.MaxIdleConnsPerHost = 4
	})
}

func (t Target) awsConfig() aws.Config {
	return aws.Config{
		Region:      t.region(),
		Credentials: aws.NewCredentialsCache(t.credentials()),
		HTTPClient:  httpClient(),
		// A load test counts errors; it must not hide them behind retries.
		Retryer: func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// ELB returns an SDK ELB Classic client of its own (own HTTP connection pool, no retries).
func (t Target) ELB() *elb.Client {
	return elb.NewFromConfig(t.awsConfig(), func(o *elb.Options) {
		if t.Endpoint != "" {
			o.BaseEndpoint = aws.String(t.Endpoint)
		}
	})
}

// EC2 returns an SDK EC2 client of its own (own HTTP connection pool, no retries).
func (t Target) EC2() *ec2.Client {
	return ec2.NewFromConfig(t.awsConfig(), func(o *ec2.Options) {
		if t.Endpoint != "" {
			o.BaseEndpoint = aws.String(t.Endpoint)
		}
	})
}

// Fixture is the load balancer and instances a run works on.
type Fixture struct {
	Target    Target
	LB        string
	Instances []string
	RunID     string

	elb *elb.Client
	ec2 *ec2.Client
}

// SetupOptions shape the fixture.
type SetupOptions struct {
	Instances int    // instances launched and registered (default 10)
	Zone      string // availability zone (default <region>a)
	ImageID   string // AMI for RunInstances (default ami-12345678, which emulators accept)
	// Wait is how long to wait for the instances to run (default 2m).
	Wait time.Duration
}

// Setup creates a load balancer with one HTTP listener and launches opts.Instances
// instances, waits until they run and registers them, so every operation starts from a
// load balancer with that many members. On error it removes what it created.
func Setup(ctx context.Context, t Target, opts SetupOptions) (_ *Fixture, err error) {
	if opts.Instances <= 0 {
		opts.Instances = 10
	}
	if opts.Zone == "" {
		opts.Zone = t.region() + "a"
	}
	if opts.ImageID == "" {
		opts.ImageID = "ami-12345678"
	}
	if opts.Wait <= 0 {
		opts.Wait = 2 * time.Minute
	}
	runID := "loadgen-" + randomHex(8)
	f := &Fixture{Target: t, LB: "elbconform-" + runID, RunID: runID, elb: t.ELB(), ec2: t.EC2()}
	defer func() {
		if err != nil {
			_ = f.Cleanup(context.WithoutCancel(ctx))
		}
	}()
	_, err = f.elb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName:  aws.String(f.LB),
		Listeners:         []elbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstanceProtocol: aws.String("HTTP"), InstancePort: aws.Int32(8080)}},
		AvailabilityZones: []string{opts.Zone},
		Tags: []elbtypes.Tag{
			{Key: aws.String(ownerTag), Value: aws.String(ownerValue)},
			{Key: aws.String(runIDTag), Value: aws.String(runID)},
		},
	})
	if err != nil {
		f.LB = "" // nothing to delete
		return nil, fmt.Errorf("CreateLoadBalancer: %w", err)
	}
	out, err := f.ec2.RunInstances(ctx, &ec2.RunInstancesInput{
		ImageId: aws.String(opts.ImageID), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(int32(opts.Instances)), MaxCount: aws.Int32(int32(opts.Instances)),
		Placement: &ec2types.Placement{AvailabilityZone: aws.String(opts.Zone)},
		TagSpecifications: []ec2types.TagSpecification{{
			ResourceType: ec2types.ResourceTypeInstance,
			Tags: []ec2types.Tag{
				{Key: aws.String("Name"), Value: aws.String(f.LB)},
				{Key: aws.String(ownerTag), Value: aws.String(ownerValue)},
				{Key: aws.String(runIDTag), Value: aws.String(runID)},
			},
		}},
	})
	if err != nil {
		return nil, fmt.Errorf("RunInstances: %w", err)
	}
	for _, in := range out.Instances {
		f.Instances = append(f.Instances, aws.ToString(in.InstanceId))
	}
	w := ec2.NewInstanceRunningWaiter(f.ec2, func(o *ec2.InstanceRunningWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, time.Second
	})
	if err = w.Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: f.Instances}, opts.Wait); err != nil {
		return nil, fmt.Errorf("waiting for instances %v to run: %w", f.Instances, err)
	}
	for start := 0; start < len(f.Instances); start += 1000 {
		batch := f.Instances[start:min(start+1000, len(f.Instances))]
		if _, err = f.elb.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{
			LoadBalancerName: aws.String(f.LB), Instances: elbInstances(batch),
		}); err != nil {
			return nil, fmt.Errorf("RegisterInstancesWithLoadBalancer: %w", err)
		}
	}
	return f, nil
}

// Cleanup deletes the load balancer and terminates the instances (best effort; the first
// error is returned). Everything carries elbconform:run-id=<RunID> for `make sweep`.
func (f *Fixture) Cleanup(ctx context.Context) error {
	var errs []error
	if f.LB != "" {
		if _, err := f.elb.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String(f.LB)}); err != nil {
			errs = append(errs, fmt.Errorf("DeleteLoadBalancer %s: %w", f.LB, err))
		}
	}
	for start := 0; start < len(f.Instances); start += 500 {
		batch := f.Instances[start:min(start+500, len(f.Instances))]
		if _, err := f.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: batch}); err != nil {
			errs = append(errs, fmt.Errorf("TerminateInstances: %w", err))
		}
	}
	return errors.Join(errs...)
}

func elbInstances(ids []string) []elbtypes.Instance {
	out := make([]elbtypes.Instance, len(ids))
	for i, id := range ids {
		out[i] = elbtypes.Instance{InstanceId: aws.String(id)}
	}
	return out
}

// CallMode is how a caller sends its requests.
type CallMode int

const (
	// SDK sends through aws-sdk-go-v2 (serialise, sign, send, deserialise every call).
	SDK CallMode = iota
	// RawSigned builds the form by hand and signs each request with SigV4: the HTTP
	// work of a client without the SDK's middleware stack.
	RawSigned
	// RawPresigned signs one request and replays its headers: the server's ceiling, with
	// the client doing as little as an HTTP client can.
	RawPresigned
)

func (m CallMode) String() string {
	return [...]string{"sdk", "raw-signed", "raw-presigned"}[m]
}

// Caller performs one operation per call. Each worker needs its own (callers are not safe
// for concurrent use); worker numbers them, so that register calls of different workers
// name different instances.
type Caller func(ctx context.Context) error

// NewCaller returns a caller for op in mode. Register calls name the fixture's instances in
// turn, one per call: they are already members, so every call is a full, successful
// registration (validation, membership update, answer listing all members) that leaves the
// load balancer the same size, and a long run measures a steady state rather than an
// ever-growing answer.
func (f *Fixture) NewCaller(op string, mode CallMode, worker int) (Caller, error) {
	if !slices.Contains(Ops, op) {
		return nil, fmt.Errorf("unknown operation %q (want one of %s)", op, strings.Join(Ops, ", "))
	}
	next := worker
	nextInstance := func() string {
		id := f.Instances[next%len(f.Instances)]
		next++
		return id
	}
	if mode == SDK {
		c := f.Target.ELB()
		switch op {
		case OpRegister:
			return func(ctx context.Context) error {
				_, err := c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{
					LoadBalancerName: aws.String(f.LB), Instances: []elbtypes.Instance{{InstanceId: aws.String(nextInstance())}},
				})
				return err
			}, nil
		case OpDescribeHealth:
			return func(ctx context.Context) error {
				_, err := c.DescribeInstanceHealth(ctx, &elb.DescribeInstanceHealthInput{LoadBalancerName: aws.String(f.LB)})
				return err
			}, nil
		default:
			return func(ctx context.Context) error {
				_, err := c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{f.LB}})
				return err
			}, nil
		}
	}
	rc, err := f.newRawClient(mode)
	if err != nil {
		return nil, err
	}
	body := func() string {
		switch op {
		case OpRegister:
			return "Action=RegisterInstancesWithLoadBalancer&Instances.member.1.InstanceId=" + url.QueryEscape(nextInstance()) +
				"&LoadBalancerName=" + url.QueryEscape(f.LB) + "&Version=" + elbVersion
		case OpDescribeHealth:
			return "Action=DescribeInstanceHealth&LoadBalancerName=" + url.QueryEscape(f.LB) + "&Version=" + elbVersion
		default:
			return "Action=DescribeLoadBalancers&LoadBalancerNames.member.1=" + url.QueryEscape(f.LB) + "&Version=" + elbVersion
		}
	}
	if mode == RawPresigned && op != OpRegister {
		fixed := body()
		return func(ctx context.Context) error { return rc.do(ctx, fixed) }, nil
	}
	return func(ctx context.Context) error { return rc.do(ctx, body()) }, nil
}

// rawClient posts awsQuery forms over plain net/http.
type rawClient struct {
	url     string
	http    *http.Client
	signer  *v4.Signer
	creds   aws.Credentials
	region  string
	presign http.Header // RawPresigned: headers of one signed request, replayed
	buf     bytes.Buffer
}

func (f *Fixture) newRawClient(mode CallMode) (*rawClient, error) {
	creds, err := f.Target.credentials().Retrieve(context.Background())
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	u := f.Target.Endpoint
	if u == "" {
		u = "https://elasticloadbalancing." + f.Target.region() + ".amazonaws.com"
	}
	rc := &rawClient{
		url:    strings.TrimRight(u, "/") + "/",
		http:   &http.Client{Transport: &http.Transport{MaxIdleConns: 4, MaxIdleConnsPerHost: 4, IdleConnTimeout: time.Minute}},
		signer: v4.NewSigner(),
		creds:  creds,
		region: f.Target.region(),
	}
	if mode == RawPresigned {
		req, err := rc.newRequest(context.Background(), "Action=DescribeLoadBalancers&Version="+elbVersion)
		if err != nil {
			return nil, err
		}
		rc.presign = req.Header.Clone()
	}
	return rc, nil
}

func (rc *rawClient) newRequest(ctx context.Context, body string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rc.url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if rc.presign != nil {
		for k, v := range rc.presign {
			if k != "Content-Length" {
				req.Header[k] = v
			}
		}
		return req, nil
	}
	sum := sha256.Sum256([]byte(body))
	err = rc.signer.SignHTTP(ctx, rc.creds, req, hex.EncodeToString(sum[:]), "elasticloadbalancing", rc.region, time.Now())
	return req, err
}

// do sends one request and reads the whole answer; a non-2xx answer is an error carrying the
// AWS error code from the body.
func (rc *rawClient) do(ctx context.Context, body string) error {
	req, err := rc.newRequest(ctx, body)
	if err != nil {
		return err
	}
	resp, err := rc.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	rc.buf.Reset()
	if _, err := rc.buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return &rawError{status: resp.StatusCode, code: between(rc.buf.String(), "<Code>", "</Code>")}
	}
	return nil
}

type rawError struct {
	status int
	code   string
}

func (e *rawError) Error() string       { return fmt.Sprintf("HTTP %d %s", e.status, e.code) }
func (e *rawError) ErrorCode() string   { return e.code }
func (e *rawError) HTTPStatusCode() int { return e.status }

func between(s, open, close string) string {
	_, after, ok := strings.Cut(s, open)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, close)
	return v
}

// ErrorCode classifies an error for the error counts: the AWS error code, else the HTTP
// status, else the kind of transport error.
func ErrorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() != "" {
		return api.ErrorCode()
	}
	var raw *rawError
	if errors.As(err, &raw) {
		if raw.code != "" {
			return raw.code
		}
		return "HTTP " + strconv.Itoa(raw.status)
	}
	var st interface{ HTTPStatusCode() int }
	if errors.As(err, &st) && st.HTTPStatusCode() != 0 {
		return "HTTP " + strconv.Itoa(st.HTTPStatusCode())
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return "timeout"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	}
	return "transport"
}

// RunOptions shape a load run.
type RunOptions struct {
	Op       string
	Mode     CallMode
	Clients  int           // concurrent clients (default 1)
	Duration time.Duration // how long to send (default 5s)
	Warmup   time.Duration // sent before measuring, not counted (default 0)
}

// Result is what a run measured.
type Result struct {
	Op       string
	Mode     CallMode
	Clients  int
	Elapsed  time.Duration
	OK       int64
	Errors   map[string]int64 // by ErrorCode
	Latency  Percentiles      // of successful calls
	Requests int64            // OK + errors
}

// Throughput is successful calls per second.
func (r *Result) Throughput() float64 { return float64(r.OK) / r.Elapsed.Seconds() }

// Percentiles of a latency sample.
type Percentiles struct{ P50, P90, P99, P999, Max time.Duration }

// ComputePercentiles sorts d in place and picks nearest-rank percentiles.
func ComputePercentiles(d []time.Duration) Percentiles {
	if len(d) == 0 {
		return Percentiles{}
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(q float64) time.Duration {
		i := int(q*float64(len(d))+0.5) - 1
		return d[max(0, min(i, len(d)-1))]
	}
	return Percentiles{P50: at(0.50), P90: at(0.90), P99: at(0.99), P999: at(0.999), Max: d[len(d)-1]}
}

// Run drives the fixture with opts.Clients concurrent clients for opts.Duration.
func (f *Fixture) Run(ctx context.Context, opts RunOptions) (*Result, error) {
	if opts.Clients <= 0 {
		opts.Clients = 1
	}
	if opts.Duration <= 0 {
		opts.Duration = 5 * time.Second
	}
	callers := make([]Caller, opts.Clients)
	for i := range callers {
		c, err := f.NewCaller(opts.Op, opts.Mode, i)
		if err != nil {
			return nil, err
		}
		callers[i] = c
	}
	type workerResult struct {
		lat    []time.Duration
		errors map[string]int64
	}
	results := make([]workerResult, opts.Clients)
	var (
		wg      sync.WaitGroup
		startMu sync.RWMutex // held for writing until the measured phase starts
		start   time.Time
		stop    time.Time
	)
	startMu.Lock()
	for i, call := range callers {
		wg.Go(func() {
			res := workerResult{lat: make([]time.Duration, 0, 1<<14), errors: map[string]int64{}}
			// Warm-up: connections and client caches, not counted.
			warmEnd := time.Now().Add(opts.Warmup)
			for time.Now().Before(warmEnd) && ctx.Err() == nil {
				_ = call(ctx)
			}
			startMu.RLock()
			end := stop
			startMu.RUnlock()
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				err := call(ctx)
				d := time.Since(t0)
				if err != nil {
					res.errors[ErrorCode(err)]++
					continue
				}
				res.lat = append(res.lat, d)
			}
			results[i] = res
		})
	}
	time.Sleep(opts.Warmup)
	start = time.Now()
	stop = start.Add(opts.Duration)
	startMu.Unlock()
	wg.Wait()
	elapsed := time.Since(start)

	r := &Result{Op: opts.Op, Mode: opts.Mode, Clients: opts.Clients, Elapsed: elapsed, Errors: map[string]int64{}}
	var all []time.Duration
	for _, res := range results {
		all = append(all, res.lat...)
		for code, n := range res.errors {
			r.Errors[code] += n
			r.Requests += n
		}
	}
	r.OK = int64(len(all))
	r.Requests += r.OK
	r.Latency = ComputePercentiles(all)
	return r, ctx.Err()
}

// Format writes r in a fixed layout, one run per block.
func (r *Result) Format(w io.Writer) {
	fmt.Fprintf(w, "op=%s mode=%s clients=%d duration=%s\n", r.Op, r.Mode, r.Clients, r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "  throughput  %.0f ok/s  (%d ok, %d errors, %d requests)\n", r.Throughput(), r.OK, r.Requests-r.OK, r.Requests)
	l := r.Latency
	fmt.Fprintf(w, "  latency     p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n", us(l.P50), us(l.P90), us(l.P99), us(l.P999), us(l.Max))
	codes := make([]string, 0, len(r.Errors))
	for c := range r.Errors {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		fmt.Fprintf(w, "  errors      %-28s %d\n", c, r.Errors[c])
	}
}

func us(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 3, 64) + "ms"
}

func randomHex(n int) string {
	b := make([]byte, (n+1)/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n]
}
