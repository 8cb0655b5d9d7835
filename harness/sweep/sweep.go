// Package sweep removes what conformance runs left behind — Classic load
// balancers, EC2 instances, security groups, subnets and VPCs that carry the suite's owner tag
// (elbconform:owner=elbconform) — and nothing else. Every resource's tags are
// checked here, client-side, before it is deleted, even when the target was
// asked to filter by tag: a target whose tag filter is broken must not make
// the sweeper delete someone else's resources.
package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/smithy-go"
)

// The tags the fixtures put on every resource (fixtures.OwnerTag and
// friends; a test keeps the two in step). Copied so that the sweeper does not
// depend on Ginkgo.
const (
	OwnerTag   = "elbconform:owner"
	OwnerValue = "elbconform"
	RunIDTag   = "elbconform:run-id"
)

// Batch sizes; variables so that tests can make them small.
var (
	// describeTagsBatch is DescribeTags' limit of load balancer names per call.
	describeTagsBatch = 20
	// terminateBatch is how many instance IDs go in one TerminateInstances call.
	terminateBatch = 50
	// pageSize is the DescribeLoadBalancers page size (the API's maximum).
	pageSize int32 = 400
)

// Options say what to sweep and how.
type Options struct {
	// RunID, when set, restricts the sweep to one run's resources (tag
	// elbconform:run-id); they must carry the owner tag as well.
	RunID string
	// DryRun lists what would be deleted and deletes nothing.
	DryRun bool
	// Out receives one line per resource deleted (or that would be), and the
	// summary. Nil discards.
	Out io.Writer
	// DependencyWait is how long a subnet or VPC deletion is retried while
	// the target still reports DependencyViolation (terminated instances and
	// deleted load balancers release their network interfaces a while after
	// the call, on AWS about a minute). Zero means 5 minutes.
	DependencyWait time.Duration
	// RetryInterval is the pause between those retries. Zero means 5 seconds.
	RetryInterval time.Duration
}

// Result is what a sweep did. Deleted lists are of names or IDs; in a dry run
// they are what would have been deleted.
type Result struct {
	LoadBalancers  []string
	Instances      []string
	SecurityGroups []string
	Subnets        []string
	VPCs           []string
	// Skipped counts resources the sweep looked at and left alone: no owner
	// tag, another run's, a default VPC or subnet, or returned by a tag filter
	// without the tag.
	Skipped int
}

// Deleted is the number of resources deleted (or that would be).
func (r *Result) Deleted() int {
	return len(r.LoadBalancers) + len(r.Instances) + len(r.SecurityGroups) + len(r.Subnets) + len(r.VPCs)
}

// API is what the sweep calls: the SDK clients of package clients.
type API struct {
	ELB *elb.Client
	EC2 *ec2.Client
}

type sweeper struct {
	api  API
	opts Options
	res  Result
	errs []error
}

// Sweep deletes the owned resources: load balancers first, then instances,
// then security groups, then subnets, then VPCs (each may hold the next: a
// load balancer's network interfaces carry its security groups, and a VPC
// with a security group of its own cannot be deleted). It goes on past errors and
// returns them all, joined, with what it did manage.
func Sweep(ctx context.Context, api API, opts Options) (*Result, error) {
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.DependencyWait == 0 {
		opts.DependencyWait = 5 * time.Minute
	}
	if opts.RetryInterval == 0 {
		opts.RetryInterval = 5 * time.Second
	}
	s := &sweeper{api: api, opts: opts}
	s.loadBalancers(ctx)
	s.instances(ctx)
	s.securityGroups(ctx)
	s.subnets(ctx)
	s.vpcs(ctx)
	verb := "deleted"
	if opts.DryRun {
		verb = "would delete"
	}
	scope := "owner tag " + OwnerTag + "=" + OwnerValue
	if opts.RunID != "" {
		scope += ", run " + opts.RunID
	}
	fmt.Fprintf(opts.Out, "elbconform-sweep: %s %d load balancer(s), %d instance(s), %d security group(s), %d subnet(s), %d VPC(s) (%s); left %d other resource(s) untouched\n",
		verb, len(s.res.LoadBalancers), len(s.res.Instances), len(s.res.SecurityGroups), len(s.res.Subnets), len(s.res.VPCs), scope, s.res.Skipped)
	return &s.res, errors.Join(s.errs...)
}

// owned reports whether tags mark a resource this sweep may delete.
func (s *sweeper) owned(tags map[string]string) bool {
	if tags[OwnerTag] != OwnerValue {
		return false
	}
	return s.opts.RunID == "" || tags[RunIDTag] == s.opts.RunID
}

func (s *sweeper) fail(format string, args ...any) {
	err := fmt.Errorf(format, args...)
	s.errs = append(s.errs, err)
	fmt.Fprintf(s.opts.Out, "elbconform-sweep: ERROR %v\n", err)
}

func (s *sweeper) report(kind, id string, tags map[string]string) {
	verb := "deleted"
	if s.opts.DryRun {
		verb = "would delete"
	}
	fmt.Fprintf(s.opts.Out, "elbconform-sweep: %s %s %s (run %s)\n", verb, kind, id, orDash(tags[RunIDTag]))
}

// ec2Filters asks the target for the owned resources only. The answer is
// checked again with owned: the filter is an optimisation, never the guard.
func (s *sweeper) ec2Filters(extra ...ec2types.Filter) []ec2types.Filter {
	f := []ec2types.Filter{{Name: aws.String("tag:" + OwnerTag), Values: []string{OwnerValue}}}
	if s.opts.RunID != "" {
		f = append(f, ec2types.Filter{Name: aws.String("tag:" + RunIDTag), Values: []string{s.opts.RunID}})
	}
	return append(f, extra...)
}

// --- load balancers ---

func (s *sweeper) loadBalancers(ctx context.Context) {
	var names []string
	p := elb.NewDescribeLoadBalancersPaginator(s.api.ELB, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(pageSize)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			s.fail("listing load balancers (DescribeLoadBalancers): %w", err)
			return
		}
		for _, lb := range page.LoadBalancerDescriptions {
			names = append(names, aws.ToString(lb.LoadBalancerName))
		}
	}
	tags := map[string]map[string]string{}
	for start := 0; start < len(names); start += describeTagsBatch {
		batch := names[start:min(start+describeTagsBatch, len(names))]
		s.lbTags(ctx, batch, tags)
	}
	for _, name := range names {
		t, ok := tags[name]
		if !ok || !s.owned(t) {
			// Untagged, someone else's, another run's, or gone meanwhile.
			s.res.Skipped++
			continue
		}
		if !s.opts.DryRun {
			_, err := s.api.ELB.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String(name)})
			if err != nil {
				s.fail("deleting load balancer %s: %w", name, err)
				continue
			}
		}
		s.res.LoadBalancers = append(s.res.LoadBalancers, name)
		s.report("load balancer", name, t)
	}
}

// lbTags reads the tags of a batch of load balancers into tags. When one of
// them was deleted since it was listed, the batch fails as a whole; the names
// are then asked for one by one.
func (s *sweeper) lbTags(ctx context.Context, batch []string, tags map[string]map[string]string) {
	out, err := s.api.ELB.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: batch})
	if err != nil {
		var nf *elbtypes.AccessPointNotFoundException
		if errors.As(err, &nf) && len(batch) > 1 {
			for _, name := range batch {
				s.lbTags(ctx, []string{name}, tags)
			}
			return
		}
		if errors.As(err, &nf) {
			return // gone: nothing to sweep
		}
		s.fail("reading the tags of load balancers %v (DescribeTags): %w", batch, err)
		return
	}
	for _, d := range out.TagDescriptions {
		m := map[string]string{}
		for _, t := range d.Tags {
			m[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
		tags[aws.ToString(d.LoadBalancerName)] = m
	}
}

// --- instances ---

func (s *sweeper) instances(ctx context.Context) {
	var ids []string
	byID := map[string]map[string]string{}
	p := ec2.NewDescribeInstancesPaginator(s.api.EC2, &ec2.DescribeInstancesInput{
		Filters: s.ec2Filters(ec2types.Filter{Name: aws.String("instance-state-name"), Values: []string{"pending", "running", "stopping", "stopped"}}),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			s.fail("listing instances (DescribeInstances): %w", err)
			return
		}
		for _, r := range page.Reservations {
			for _, in := range r.Instances {
				id := aws.ToString(in.InstanceId)
				t := ec2Tags(in.Tags)
				if !s.owned(t) {
					fmt.Fprintf(s.opts.Out, "elbconform-sweep: WARNING the target returned instance %s for the tag filter, but it does not carry the tags: left alone (the target's tag filter is broken)\n", id)
					s.res.Skipped++
					continue
				}
				if in.State != nil && (in.State.Name == ec2types.InstanceStateNameTerminated || in.State.Name == ec2types.InstanceStateNameShuttingDown) {
					continue // already going: the state filter was ignored
				}
				if _, dup := byID[id]; !dup {
					ids = append(ids, id)
					byID[id] = t
				}
			}
		}
	}
	for start := 0; start < len(ids); start += terminateBatch {
		batch := ids[start:min(start+terminateBatch, len(ids))]
		if !s.opts.DryRun {
			if _, err := s.api.EC2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: batch}); err != nil {
				s.fail("terminating instances %v: %w", batch, err)
				continue
			}
		}
		for _, id := range batch {
			s.res.Instances = append(s.res.Instances, id)
			s.report("instance", id, byID[id])
		}
	}
}

// --- security groups ---

// securityGroups deletes the owned security groups. A VPC's default group is
// never one (EC2 deletes it with its VPC), nor the default_elb_ group ELB
// creates in the default VPC (it carries no tag of ours).
func (s *sweeper) securityGroups(ctx context.Context) {
	type group struct {
		id   string
		tags map[string]string
	}
	var todo []group
	p := ec2.NewDescribeSecurityGroupsPaginator(s.api.EC2, &ec2.DescribeSecurityGroupsInput{Filters: s.ec2Filters()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			s.fail("listing security groups (DescribeSecurityGroups): %w", err)
			return
		}
		for _, g := range page.SecurityGroups {
			t := ec2Tags(g.Tags)
			if !s.owned(t) || aws.ToString(g.GroupName) == "default" {
				s.res.Skipped++
				continue
			}
			todo = append(todo, group{aws.ToString(g.GroupId), t})
		}
	}
	for _, g := range todo {
		if !s.opts.DryRun {
			err := s.retryDependency(ctx, func() error {
				_, err := s.api.EC2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(g.id)})
				return err
			})
			if err != nil {
				s.fail("deleting security group %s: %w", g.id, err)
				continue
			}
		}
		s.res.SecurityGroups = append(s.res.SecurityGroups, g.id)
		s.report("security group", g.id, g.tags)
	}
}

// --- subnets and VPCs ---

func (s *sweeper) subnets(ctx context.Context) {
	type subnet struct {
		id   string
		tags map[string]string
	}
	var todo []subnet
	p := ec2.NewDescribeSubnetsPaginator(s.api.EC2, &ec2.DescribeSubnetsInput{Filters: s.ec2Filters()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			s.fail("listing subnets (DescribeSubnets): %w", err)
			return
		}
		for _, sn := range page.Subnets {
			t := ec2Tags(sn.Tags)
			if !s.owned(t) || aws.ToBool(sn.DefaultForAz) {
				s.res.Skipped++
				continue
			}
			todo = append(todo, subnet{aws.ToString(sn.SubnetId), t})
		}
	}
	for _, sn := range todo {
		if !s.opts.DryRun {
			err := s.retryDependency(ctx, func() error {
				_, err := s.api.EC2.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(sn.id)})
				return err
			})
			if err != nil {
				s.fail("deleting subnet %s: %w", sn.id, err)
				continue
			}
		}
		s.res.Subnets = append(s.res.Subnets, sn.id)
		s.report("subnet", sn.id, sn.tags)
	}
}

func (s *sweeper) vpcs(ctx context.Context) {
	type vpc struct {
		id   string
		tags map[string]string
	}
	var todo []vpc
	p := ec2.NewDescribeVpcsPaginator(s.api.EC2, &ec2.DescribeVpcsInput{Filters: s.ec2Filters()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			s.fail("listing VPCs (DescribeVpcs): %w", err)
			return
		}
		for _, v := range page.Vpcs {
			t := ec2Tags(v.Tags)
			if !s.owned(t) || aws.ToBool(v.IsDefault) {
				s.res.Skipped++ // never the default VPC, whatever its tags
				continue
			}
			todo = append(todo, vpc{aws.ToString(v.VpcId), t})
		}
	}
	for _, v := range todo {
		if !s.opts.DryRun {
			err := s.retryDependency(ctx, func() error {
				_, err := s.api.EC2.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(v.id)})
				return err
			})
			if err != nil {
				s.fail("deleting VPC %s: %w", v.id, err)
				continue
			}
		}
		s.res.VPCs = append(s.res.VPCs, v.id)
		s.report("VPC", v.id, v.tags)
	}
}

// retryDependency retries fn while it fails with DependencyViolation, up to
// Options.DependencyWait.
func (s *sweeper) retryDependency(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(s.opts.DependencyWait)
	for {
		err := fn()
		var api smithy.APIError
		if err == nil || !errors.As(err, &api) || api.ErrorCode() != "DependencyViolation" || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(s.opts.RetryInterval):
		}
	}
}

func ec2Tags(tags []ec2types.Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
