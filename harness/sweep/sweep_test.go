package sweep

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/smithy-go"

	"github.com/elbconform/elbconform/emulator"
	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/clients"
)

func TestTagKeysMatchFixtures(t *testing.T) {
	if OwnerTag != fixtures.OwnerTag || OwnerValue != fixtures.OwnerValue || RunIDTag != fixtures.RunIDTag {
		t.Fatalf("sweep tags %s=%s/%s differ from the fixtures' %s=%s/%s",
			OwnerTag, OwnerValue, RunIDTag, fixtures.OwnerTag, fixtures.OwnerValue, fixtures.RunIDTag)
	}
}

// world is an emulator with clients, and what a test created in it.
type world struct {
	t   *testing.T
	ctx context.Context
	url string // the emulator
	c   *clients.Clients
}

func newWorld(t *testing.T) *world {
	t.Helper()
	srv, err := emulator.Start(emulator.Options{Region: "us-east-1", RegistrationDelay: 50 * time.Millisecond, InstanceStartDelay: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return &world{t: t, ctx: ctx, url: srv.URL(), c: connect(t, ctx, srv.URL(), srv.URL())}
}

func connect(t *testing.T, ctx context.Context, elbURL, ec2URL string) *clients.Clients {
	t.Helper()
	c, err := clients.New(ctx, clients.Endpoint{ELBURL: elbURL, EC2URL: ec2URL, Region: "us-east-1", StaticCredentials: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *world) api() API { return API{ELB: w.c.ELB, EC2: w.c.EC2} }

// tags builds a tag set from key, value pairs.
func tags(kv ...string) [][2]string {
	var out [][2]string
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, [2]string{kv[i], kv[i+1]})
	}
	return out
}

func (w *world) loadBalancer(name string, tt [][2]string) string {
	w.t.Helper()
	in := &elb.CreateLoadBalancerInput{
		LoadBalancerName:  aws.String(name),
		Listeners:         []elbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstanceProtocol: aws.String("HTTP"), InstancePort: aws.Int32(80)}},
		AvailabilityZones: []string{"us-east-1a"},
	}
	for _, kv := range tt {
		in.Tags = append(in.Tags, elbtypes.Tag{Key: aws.String(kv[0]), Value: aws.String(kv[1])})
	}
	if _, err := w.c.ELB.CreateLoadBalancer(w.ctx, in); err != nil {
		w.t.Fatalf("CreateLoadBalancer %s: %v", name, err)
	}
	return name
}

func ec2TagSpec(rt ec2types.ResourceType, tt [][2]string) []ec2types.TagSpecification {
	if len(tt) == 0 {
		return nil
	}
	spec := ec2types.TagSpecification{ResourceType: rt}
	for _, kv := range tt {
		spec.Tags = append(spec.Tags, ec2types.Tag{Key: aws.String(kv[0]), Value: aws.String(kv[1])})
	}
	return []ec2types.TagSpecification{spec}
}

func (w *world) instance(tt [][2]string) string {
	w.t.Helper()
	out, err := w.c.EC2.RunInstances(w.ctx, &ec2.RunInstancesInput{
		ImageId: aws.String("ami-12345678"), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		Placement:         &ec2types.Placement{AvailabilityZone: aws.String("us-east-1a")},
		TagSpecifications: ec2TagSpec(ec2types.ResourceTypeInstance, tt),
	})
	if err != nil {
		w.t.Fatalf("RunInstances: %v", err)
	}
	id := aws.ToString(out.Instances[0].InstanceId)
	if err := ec2.NewInstanceRunningWaiter(w.c.EC2, func(o *ec2.InstanceRunningWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	}).
		Wait(w.ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, 10*time.Second); err != nil {
		w.t.Fatalf("instance %s not running: %v", id, err)
	}
	return id
}

func (w *world) vpc(tt [][2]string) string {
	w.t.Helper()
	out, err := w.c.EC2.CreateVpc(w.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.20.0.0/16"), TagSpecifications: ec2TagSpec(ec2types.ResourceTypeVpc, tt)})
	if err != nil {
		w.t.Fatalf("CreateVpc: %v", err)
	}
	return aws.ToString(out.Vpc.VpcId)
}

func (w *world) subnet(vpc, cidr string, tt [][2]string) string {
	w.t.Helper()
	out, err := w.c.EC2.CreateSubnet(w.ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String(cidr), AvailabilityZone: aws.String("us-east-1a"), TagSpecifications: ec2TagSpec(ec2types.ResourceTypeSubnet, tt)})
	if err != nil {
		w.t.Fatalf("CreateSubnet in %s: %v", vpc, err)
	}
	return aws.ToString(out.Subnet.SubnetId)
}

// lbExists reports whether a load balancer is still there.
func (w *world) lbExists(name string) bool {
	w.t.Helper()
	_, err := w.c.ELB.DescribeLoadBalancers(w.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{name}})
	var nf *elbtypes.AccessPointNotFoundException
	if errors.As(err, &nf) {
		return false
	}
	if err != nil {
		w.t.Fatalf("DescribeLoadBalancers %s: %v", name, err)
	}
	return true
}

func (w *world) state(id string) ec2types.InstanceStateName {
	w.t.Helper()
	out, err := w.c.EC2.DescribeInstances(w.ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil || len(out.Reservations) != 1 || len(out.Reservations[0].Instances) != 1 {
		w.t.Fatalf("DescribeInstances %s: %v %+v", id, err, out)
	}
	return out.Reservations[0].Instances[0].State.Name
}

func (w *world) vpcExists(id string) bool {
	w.t.Helper()
	out, err := w.c.EC2.DescribeVpcs(w.ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{id}}}})
	if err != nil {
		w.t.Fatalf("DescribeVpcs %s: %v", id, err)
	}
	return len(out.Vpcs) == 1
}

func (w *world) subnetExists(id string) bool {
	w.t.Helper()
	out, err := w.c.EC2.DescribeSubnets(w.ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("subnet-id"), Values: []string{id}}}})
	if err != nil {
		w.t.Fatalf("DescribeSubnets %s: %v", id, err)
	}
	return len(out.Subnets) == 1
}

// supports reports whether the emulator implements an EC2 action, by calling
// it on a resource that does not exist.
func (w *world) supports(action string, call func() error) bool {
	err := call()
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "InvalidAction" {
		w.t.Logf("LEFT OUT: the emulator does not implement EC2 %s yet, so the deletion of owned subnets and VPCs is not checked (the sweeper's code for it is)", action)
		return false
	}
	return true
}

// foreign is what no sweep may touch.
type foreign struct {
	lbs       []string
	instances []string
	vpcs      []string
	subnets   []string
}

func (w *world) createForeign() foreign {
	var f foreign
	f.lbs = []string{
		w.loadBalancer("untagged", nil),
		w.loadBalancer("ec-someone-else", tags(OwnerTag, "someone-else", RunIDTag, "run1")),
		w.loadBalancer("ec-run1-no-owner", tags(RunIDTag, "run1")),
		w.loadBalancer("ec-owner-key-case", tags("Elbconform:Owner", OwnerValue)),
	}
	f.instances = []string{
		w.instance(nil),
		w.instance(tags(RunIDTag, "run1")),
		w.instance(tags(OwnerTag, "someone-else")),
	}
	v1 := w.vpc(nil)
	v2 := w.vpc(tags(OwnerTag, "someone-else", RunIDTag, "run1"))
	f.vpcs = []string{v1, v2}
	f.subnets = []string{w.subnet(v1, "10.20.1.0/24", nil), w.subnet(v2, "10.20.2.0/24", tags(RunIDTag, "run1"))}
	return f
}

func (w *world) assertForeignUntouched(f foreign) {
	w.t.Helper()
	for _, name := range f.lbs {
		if !w.lbExists(name) {
			w.t.Errorf("foreign load balancer %s was deleted", name)
		}
	}
	for _, id := range f.instances {
		if s := w.state(id); s != ec2types.InstanceStateNameRunning {
			w.t.Errorf("foreign instance %s is %s, want running", id, s)
		}
	}
	for _, id := range f.vpcs {
		if !w.vpcExists(id) {
			w.t.Errorf("foreign VPC %s was deleted", id)
		}
	}
	for _, id := range f.subnets {
		if !w.subnetExists(id) {
			w.t.Errorf("foreign subnet %s was deleted", id)
		}
	}
}

func gone(s ec2types.InstanceStateName) bool {
	return s == ec2types.InstanceStateNameShuttingDown || s == ec2types.InstanceStateNameTerminated
}

func TestSweepDeletesOnlyOwned(t *testing.T) {
	// Small batches and pages, so that batching and pagination are exercised.
	defer func(a, b int, c int32) { describeTagsBatch, terminateBatch, pageSize = a, b, c }(describeTagsBatch, terminateBatch, pageSize)
	describeTagsBatch, terminateBatch, pageSize = 2, 1, 3

	w := newWorld(t)
	f := w.createForeign()
	own1, own2 := tags(OwnerTag, OwnerValue, RunIDTag, "run1"), tags(OwnerTag, OwnerValue, RunIDTag, "run2")
	lb1, lb2 := w.loadBalancer("ec-run1-1-1", own1), w.loadBalancer("ec-run2-1-1", own2)
	lbNoRun := w.loadBalancer("ec-owner-only", tags(OwnerTag, OwnerValue))
	in1, in2 := w.instance(own1), w.instance(own2)

	vpcs := w.supports("DeleteSubnet", func() error {
		_, err := w.c.EC2.DeleteSubnet(w.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String("subnet-0000000000000000")})
		return err
	}) && w.supports("DeleteVpc", func() error {
		_, err := w.c.EC2.DeleteVpc(w.ctx, &ec2.DeleteVpcInput{VpcId: aws.String("vpc-0000000000000000")})
		return err
	})
	var vpc1, sn1, vpc2, sn2 string
	if vpcs {
		vpc1 = w.vpc(own1)
		sn1 = w.subnet(vpc1, "10.20.10.0/24", own1)
		vpc2 = w.vpc(own2)
		sn2 = w.subnet(vpc2, "10.20.20.0/24", own2)
	}

	// A dry run lists the owned resources and deletes nothing.
	var out bytes.Buffer
	res, err := Sweep(w.ctx, w.api(), Options{DryRun: true, Out: &out})
	t.Logf("dry run:\n%s", out.String())
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if got, want := strings.Join(res.LoadBalancers, ","), strings.Join([]string{lb1, lb2, lbNoRun}, ","); !sameSet(res.LoadBalancers, []string{lb1, lb2, lbNoRun}) {
		t.Errorf("dry run would delete load balancers %s, want %s", got, want)
	}
	if !sameSet(res.Instances, []string{in1, in2}) {
		t.Errorf("dry run would terminate %v, want %v", res.Instances, []string{in1, in2})
	}
	if !strings.Contains(out.String(), "would delete load balancer ec-run1-1-1 (run run1)") || !strings.Contains(out.String(), "left ") {
		t.Errorf("dry-run output lacks the resource lines or the summary")
	}
	for _, name := range []string{lb1, lb2, lbNoRun} {
		if !w.lbExists(name) {
			t.Errorf("dry run deleted %s", name)
		}
	}
	for _, id := range []string{in1, in2} {
		if s := w.state(id); s != ec2types.InstanceStateNameRunning {
			t.Errorf("dry run: instance %s is %s", id, s)
		}
	}
	w.assertForeignUntouched(f)

	// One run's sweep takes that run's resources only.
	out.Reset()
	res, err = Sweep(w.ctx, w.api(), Options{RunID: "run1", Out: &out})
	t.Logf("sweep -run-id run1:\n%s", out.String())
	if err != nil {
		t.Fatalf("sweep -run-id run1: %v", err)
	}
	if !sameSet(res.LoadBalancers, []string{lb1}) || !sameSet(res.Instances, []string{in1}) {
		t.Errorf("sweep -run-id run1 deleted %v and %v, want [%s] and [%s]", res.LoadBalancers, res.Instances, lb1, in1)
	}
	if w.lbExists(lb1) || !gone(w.state(in1)) {
		t.Errorf("run1's load balancer or instance is still there")
	}
	if !w.lbExists(lb2) || !w.lbExists(lbNoRun) || w.state(in2) != ec2types.InstanceStateNameRunning {
		t.Errorf("sweep -run-id run1 touched another run's resources")
	}
	if vpcs {
		if w.vpcExists(vpc1) || w.subnetExists(sn1) {
			t.Errorf("run1's VPC %s or subnet %s is still there", vpc1, sn1)
		}
		if !w.vpcExists(vpc2) || !w.subnetExists(sn2) {
			t.Errorf("sweep -run-id run1 deleted run2's VPC or subnet")
		}
	}
	w.assertForeignUntouched(f)

	// A sweep of every run takes the rest of the owned resources.
	out.Reset()
	res, err = Sweep(w.ctx, w.api(), Options{Out: &out})
	t.Logf("sweep:\n%s", out.String())
	if err != nil {
		t.Fatalf("sweep: %v", err)
	}
	if !sameSet(res.LoadBalancers, []string{lb2, lbNoRun}) || !sameSet(res.Instances, []string{in2}) {
		t.Errorf("sweep deleted %v and %v, want [%s %s] and [%s]", res.LoadBalancers, res.Instances, lb2, lbNoRun, in2)
	}
	if w.lbExists(lb2) || w.lbExists(lbNoRun) || !gone(w.state(in2)) {
		t.Errorf("owned resources are still there")
	}
	if res.Skipped < len(f.lbs) {
		t.Errorf("skipped %d, want at least the %d foreign load balancers", res.Skipped, len(f.lbs))
	}
	if vpcs && (w.vpcExists(vpc2) || w.subnetExists(sn2)) {
		t.Errorf("run2's VPC or subnet is still there")
	}
	w.assertForeignUntouched(f)

	// Nothing is left to sweep, and sweeping again is no error.
	res, err = Sweep(w.ctx, w.api(), Options{})
	if err != nil || res.Deleted() != 0 {
		t.Errorf("a second sweep: deleted %d, error %v; want 0, nil", res.Deleted(), err)
	}
	w.assertForeignUntouched(f)
}

// TestSweepDistrustsTagFilters puts a proxy between the sweeper and the
// emulator that drops every Filter.N parameter from EC2 requests, as a target
// whose tag filters do not work would: the sweeper must still terminate only
// owned instances.
func TestSweepDistrustsTagFilters(t *testing.T) {
	w := newWorld(t)
	f := w.createForeign()
	owned := w.instance(tags(OwnerTag, OwnerValue, RunIDTag, "run1"))

	target, _ := url.Parse(w.url)
	var stripped atomic.Int64
	proxy := httputil.NewSingleHostReverseProxy(target)
	inner := proxy.Director
	proxy.Director = func(r *http.Request) {
		inner(r)
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		if err == nil {
			for k := range form {
				if strings.HasPrefix(k, "Filter.") {
					delete(form, k)
					stripped.Add(1)
				}
			}
			body = []byte(form.Encode())
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	broken := connect(t, w.ctx, w.url, srv.URL)

	var out bytes.Buffer
	res, err := Sweep(w.ctx, API{ELB: broken.ELB, EC2: broken.EC2}, Options{Out: &out})
	t.Logf("sweep through a target without tag filters:\n%s", out.String())
	if err != nil {
		t.Fatal(err)
	}
	if stripped.Load() == 0 {
		t.Fatal("the proxy dropped no filters: the test proves nothing")
	}
	if !sameSet(res.Instances, []string{owned}) {
		t.Errorf("terminated %v, want only %s", res.Instances, owned)
	}
	if !gone(w.state(owned)) {
		t.Errorf("the owned instance %s is %s", owned, w.state(owned))
	}
	if !strings.Contains(out.String(), "WARNING the target returned instance") {
		t.Errorf("no warning about the broken tag filter")
	}
	w.assertForeignUntouched(f)
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}
