package emulator

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/smithy-go"
)

// Test delays: short enough to keep the suite fast, long enough that "still in progress" is
// observable right after a call even on a loaded 2-core machine.
const (
	testRegistrationDelay = 150 * time.Millisecond
	testInstanceDelay     = 50 * time.Millisecond
)

// env is one running emulator plus SDK clients pointed at it.
type env struct {
	t   testing.TB
	srv *Server
	elb *elb.Client
	ec2 *ec2.Client
	ctx context.Context
}

// newEnv starts an emulator with test delays (unless opts sets them) and registers cleanup
// that also asserts no request ever hit the recover middleware.
func newEnv(t testing.TB, opts Options) *env {
	t.Helper()
	if opts.RegistrationDelay == 0 {
		opts.RegistrationDelay = testRegistrationDelay
	}
	if opts.InstanceStartDelay == 0 {
		opts.InstanceStartDelay = testInstanceDelay
	}
	srv, err := Start(opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if n := srv.h.panics.Load(); n != 0 {
			t.Errorf("recover middleware was hit %d times", n)
		}
		_ = srv.Close()
	})
	cfg := aws.Config{
		Region:      signingRegion(opts), // the emulator refuses other regions (regions_test.go)
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer:     func() aws.Retryer { return loggedRetryer{retry.NewStandard(), t} },
	}
	return &env{
		t:   t,
		srv: srv,
		ctx: context.Background(),
		elb: elb.NewFromConfig(cfg, func(o *elb.Options) { o.BaseEndpoint = aws.String(srv.URL()) }),
		ec2: ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(srv.URL()) }),
	}
}

// loggedRetryer is the SDK's standard retryer that logs each error it retries: a retry of a
// request the emulator served twice is what a test must be able to explain.
type loggedRetryer struct {
	aws.Retryer
	t testing.TB
}

func (r loggedRetryer) IsErrorRetryable(err error) bool {
	retryable := r.Retryer.IsErrorRetryable(err)
	if retryable {
		r.t.Logf("the SDK retries after: %v", err)
	}
	return retryable
}

// apiCode returns the AWS error code of err ("" if err is not an API error).
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// httpStatus returns the HTTP status of an SDK error (0 if none).
func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// wantCode fails unless err is an API error with the code and HTTP status.
func wantCode(t testing.TB, err error, code string, status int) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %s (%d), got success", code, status)
	}
	if got := apiCode(err); got != code {
		t.Fatalf("want error code %s, got %q (%v)", code, got, err)
	}
	if got := httpStatus(err); got != status {
		t.Fatalf("want HTTP %d for %s, got %d", status, code, got)
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// launch runs n instances in zone of the default VPC (or in subnet if it starts with
// "subnet-") and returns their ids.
func (e *env) launch(n int, where string) []string {
	e.t.Helper()
	in := &ec2.RunInstancesInput{
		ImageId:      aws.String("ami-12345678"),
		InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount:     aws.Int32(int32(n)),
		MaxCount:     aws.Int32(int32(n)),
	}
	switch {
	case strings.HasPrefix(where, "subnet-"):
		in.SubnetId = aws.String(where)
	case where != "":
		in.Placement = &ec2types.Placement{AvailabilityZone: aws.String(where)}
	}
	out, err := e.ec2.RunInstances(e.ctx, in)
	if err != nil {
		e.t.Fatalf("RunInstances: %v", err)
	}
	ids := make([]string, len(out.Instances))
	for i, inst := range out.Instances {
		ids[i] = aws.ToString(inst.InstanceId)
	}
	return ids
}

// launchRunning launches n instances and waits until they are running.
func (e *env) launchRunning(n int, where string) []string {
	e.t.Helper()
	ids := e.launch(n, where)
	time.Sleep(testInstanceDelay + 10*time.Millisecond)
	return ids
}

// createLB creates a load balancer on the given zones (default VPC) with one HTTP listener.
func (e *env) createLB(name string, zones ...string) {
	e.t.Helper()
	_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName:  aws.String(name),
		Listeners:         []elbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(8080)}},
		AvailabilityZones: zones,
	})
	if err != nil {
		e.t.Fatalf("CreateLoadBalancer %s: %v", name, err)
	}
}

func instances(ids ...string) []elbtypes.Instance {
	out := make([]elbtypes.Instance, len(ids))
	for i, id := range ids {
		out[i] = elbtypes.Instance{InstanceId: aws.String(id)}
	}
	return out
}

func instanceIDs(in []elbtypes.Instance) []string {
	out := make([]string, len(in))
	for i, x := range in {
		out[i] = aws.ToString(x.InstanceId)
	}
	return out
}

func (e *env) register(lb string, ids ...string) ([]string, error) {
	out, err := e.elb.RegisterInstancesWithLoadBalancer(e.ctx, &elb.RegisterInstancesWithLoadBalancerInput{
		LoadBalancerName: aws.String(lb), Instances: instances(ids...),
	})
	if err != nil {
		return nil, err
	}
	return instanceIDs(out.Instances), nil
}

func (e *env) deregister(lb string, ids ...string) ([]string, error) {
	out, err := e.elb.DeregisterInstancesFromLoadBalancer(e.ctx, &elb.DeregisterInstancesFromLoadBalancerInput{
		LoadBalancerName: aws.String(lb), Instances: instances(ids...),
	})
	if err != nil {
		return nil, err
	}
	return instanceIDs(out.Instances), nil
}

// members answers the load balancer's membership as DescribeLoadBalancers reports it.
func (e *env) members(lb string) []string {
	e.t.Helper()
	out, err := e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{lb}})
	if err != nil {
		e.t.Fatalf("DescribeLoadBalancers %s: %v", lb, err)
	}
	if len(out.LoadBalancerDescriptions) != 1 {
		e.t.Fatalf("DescribeLoadBalancers %s: %d descriptions", lb, len(out.LoadBalancerDescriptions))
	}
	return instanceIDs(out.LoadBalancerDescriptions[0].Instances)
}

// health answers DescribeInstanceHealth keyed by instance id.
func (e *env) health(lb string, ids ...string) (map[string]elbtypes.InstanceState, error) {
	out, err := e.elb.DescribeInstanceHealth(e.ctx, &elb.DescribeInstanceHealthInput{
		LoadBalancerName: aws.String(lb), Instances: instances(ids...),
	})
	if err != nil {
		return nil, err
	}
	m := map[string]elbtypes.InstanceState{}
	for _, s := range out.InstanceStates {
		m[aws.ToString(s.InstanceId)] = s
	}
	return m, nil
}

// waitState polls until instance id reports state on lb, failing after timeout.
func (e *env) waitState(lb, id, state string, timeout time.Duration) elbtypes.InstanceState {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		h, err := e.health(lb, id)
		if err != nil {
			e.t.Fatalf("DescribeInstanceHealth: %v", err)
		}
		if s, ok := h[id]; ok && aws.ToString(s.State) == state {
			return s
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("instance %s on %s did not reach %s within %v (last %+v)", id, lb, state, timeout, h[id])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// rawResponse is an HTTP answer read in full.
type rawResponse struct {
	status int
	header http.Header
	body   string
}

// post sends a raw form POST (optionally with an Authorization header naming service).
func (e *env) post(form string, service string) rawResponse {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL()+"/", strings.NewReader(form))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if service != "" {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/"+service+
			"/aws4_request, SignedHeaders=host, Signature=00")
	}
	return e.do(req)
}

func (e *env) get(path string) rawResponse {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL()+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.do(req)
}

func (e *env) do(req *http.Request) rawResponse {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// form builds an ELB request body from key/value pairs.
func elbForm(action string, kv ...string) string {
	v := url.Values{"Action": {action}, "Version": {elbVersion}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

func ec2Form(action string, kv ...string) string {
	v := url.Values{"Action": {action}, "Version": {ec2Version}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

// asError is errors.As with a friendlier name in table checks.
func asError[T error](err error, target *T) bool { return errors.As(err, target) }

// seedInstances inserts n running instances into zone's default subnet directly, bypassing
// RunInstances, for tests and benchmarks that need very many instances quickly.
func (e *env) seedInstances(n int, zone string) []string {
	st := e.srv.h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	sn := st.ec2.defaultSubnet(zone)
	started := time.Now().Add(-time.Hour)
	ids := make([]string, n)
	for i := range ids {
		in := &instance{id: "i-" + randomHex(17), reservationID: "r-seeded", imageID: "ami-seeded", instanceType: "t3.micro",
			subnet: sn, privateIP: sn.nextIP(), launchedAt: started}
		in.setState(stateRunning, started)
		st.ec2.instances[in.id] = in
		st.ec2.instanceOrder = append(st.ec2.instanceOrder, in)
		ids[i] = in.id
	}
	return ids
}

type elbTypesState = string

// healthStates answers DescribeInstanceHealth (no filter) as id -> State.
func healthStates(e *env, lb string) (map[string]string, error) {
	h, err := e.health(lb)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for id, s := range h {
		out[id] = aws.ToString(s.State)
	}
	return out, nil
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func sorted(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func sameSet(a, b []string) bool { return slices.Equal(sorted(a), sorted(b)) }

var httpListener = []elbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(8080)}}

func (e *env) enableZones(lb string, zones ...string) ([]string, error) {
	out, err := e.elb.EnableAvailabilityZonesForLoadBalancer(e.ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{
		LoadBalancerName: aws.String(lb), AvailabilityZones: zones})
	if err != nil {
		return nil, err
	}
	return out.AvailabilityZones, nil
}

func (e *env) disableZones(lb string, zones ...string) ([]string, error) {
	out, err := e.elb.DisableAvailabilityZonesForLoadBalancer(e.ctx, &elb.DisableAvailabilityZonesForLoadBalancerInput{
		LoadBalancerName: aws.String(lb), AvailabilityZones: zones})
	if err != nil {
		return nil, err
	}
	return out.AvailabilityZones, nil
}

// vpcWithSubnets creates a VPC with one subnet per zone a, b, c and returns the subnet ids.
func (e *env) vpcWithSubnets(cidr string, subnets ...string) (string, []string) {
	e.t.Helper()
	v := must[*ec2.CreateVpcOutput](e.t)(e.ec2.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)}))
	var ids []string
	for i, sc := range subnets {
		s := must[*ec2.CreateSubnetOutput](e.t)(e.ec2.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId,
			CidrBlock: aws.String(sc), AvailabilityZone: aws.String(e.srv.h.st.ec2.zones[i%3])}))
		ids = append(ids, aws.ToString(s.Subnet.SubnetId))
	}
	return aws.ToString(v.Vpc.VpcId), ids
}

func (e *env) describeInstances(in *ec2.DescribeInstancesInput) ([]ec2types.Instance, error) {
	out, err := e.ec2.DescribeInstances(e.ctx, in)
	if err != nil {
		return nil, err
	}
	var all []ec2types.Instance
	for _, r := range out.Reservations {
		all = append(all, r.Instances...)
	}
	return all, nil
}

// webRunInput launches two instances in us-east-1b tagged Name=web and suite=elbconform,
// with user data.
func webRunInput() *ec2.RunInstancesInput {
	return &ec2.RunInstancesInput{
		ImageId: aws.String("ami-0abcdef1234567890"), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(2), MaxCount: aws.Int32(2),
		Placement: &ec2types.Placement{AvailabilityZone: aws.String("us-east-1b")},
		UserData:  aws.String(base64.StdEncoding.EncodeToString([]byte("#!/bin/sh"))),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance,
			Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}, {Key: aws.String("suite"), Value: aws.String("elbconform")}}}},
	}
}
