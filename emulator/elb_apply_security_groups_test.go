package emulator

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// Security groups of load balancers: ApplySecurityGroupsToLoadBalancer, and what
// CreateLoadBalancer checks and gives (docs/sources.md 20).

// sgVPC is a VPC with two subnets and a group of its own, plus a group of the default VPC.
type sgVPC struct {
	vpc, group, defaultGroup, otherVPCGroup string
	subnets                                 []string
}

func newSGVPC(e *env) sgVPC {
	e.t.Helper()
	vpcID, subnets := e.vpcWithSubnets("10.5.0.0/16", "10.5.1.0/24", "10.5.2.0/24")
	return sgVPC{vpc: vpcID, subnets: subnets, group: e.createGroup("lb", vpcID),
		defaultGroup: aws.ToString(e.defaultGroupOf(vpcID).GroupId), otherVPCGroup: e.createGroup("lb", "")}
}

func (e *env) createLBIn(name string, subnets []string, groups ...string) error {
	_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String(name), Listeners: httpListener, Subnets: subnets, SecurityGroups: groups})
	return err
}

func (e *env) applyGroups(name string, groups ...string) ([]string, error) {
	out, err := e.elb.ApplySecurityGroupsToLoadBalancer(e.ctx, &elb.ApplySecurityGroupsToLoadBalancerInput{
		LoadBalancerName: aws.String(name), SecurityGroups: groups})
	if err != nil {
		return nil, err
	}
	return out.SecurityGroups, nil
}

func TestCreateLoadBalancerSecurityGroups(t *testing.T) {
	e := newEnv(t, Options{})
	v := newSGVPC(e)

	// Given: exactly those, SourceSecurityGroup the first one's name.
	must[any](t)(nil, e.createLBIn("given", v.subnets[:1], v.group))
	d := e.describeOne("given")
	if !slices.Equal(d.SecurityGroups, []string{v.group}) || aws.ToString(d.SourceSecurityGroup.GroupName) != "lb" ||
		aws.ToString(d.SourceSecurityGroup.OwnerAlias) != "123456789012" {
		t.Errorf("given: groups %v source %+v", d.SecurityGroups, d.SourceSecurityGroup)
	}
	// None in a nondefault VPC: the VPC's default group.
	must[any](t)(nil, e.createLBIn("vpc-default", v.subnets[:1]))
	if d := e.describeOne("vpc-default"); !slices.Equal(d.SecurityGroups, []string{v.defaultGroup}) || aws.ToString(d.SourceSecurityGroup.GroupName) != "default" {
		t.Errorf("nondefault VPC without groups: %v %+v", d.SecurityGroups, d.SourceSecurityGroup)
	}
	// None in the default VPC: one default_elb_<uuid> group, shared, kept after the load
	// balancers are deleted.
	e.createLB("zone-a", "us-east-1a")
	e.createLB("zone-b", "us-east-1b")
	a, b := e.describeOne("zone-a"), e.describeOne("zone-b")
	if len(a.SecurityGroups) != 1 || !slices.Equal(a.SecurityGroups, b.SecurityGroups) {
		t.Fatalf("default VPC load balancers' groups: %v and %v", a.SecurityGroups, b.SecurityGroups)
	}
	g := e.group(a.SecurityGroups[0])
	name := aws.ToString(g.GroupName)
	if !strings.HasPrefix(name, "default_elb_") || aws.ToString(g.VpcId) != e.defaultVPCID() || aws.ToString(a.SourceSecurityGroup.GroupName) != name {
		t.Errorf("default_elb group %+v, source %+v", g, a.SourceSecurityGroup)
	}
	if len(g.IpPermissions) != 1 || aws.ToInt32(g.IpPermissions[0].FromPort) != 80 || aws.ToString(g.IpPermissions[0].IpRanges[0].CidrIp) != "0.0.0.0/0" {
		t.Errorf("default_elb rules %+v", g.IpPermissions)
	}
	for _, lb := range []string{"zone-a", "zone-b"} {
		must[*elb.DeleteLoadBalancerOutput](t)(e.elb.DeleteLoadBalancer(e.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String(lb)}))
	}
	e.group(a.SecurityGroups[0]) // still there

	// Refusals, and nothing is created.
	for _, c := range []struct {
		groups []string
		code   string
		status int
	}{
		{[]string{"not-an-sg"}, "InvalidSecurityGroup", 400},
		{[]string{"sg-0123456789abcdef0"}, "InvalidSecurityGroup", 400},
		{[]string{v.group, "sg-0123456789abcdef0"}, "InvalidSecurityGroup", 400},
		{[]string{v.otherVPCGroup}, "InvalidConfigurationRequest", 409},
	} {
		wantCode(t, e.createLBIn("refused", v.subnets[:1], c.groups...), c.code, c.status)
		_, err := e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"refused"}})
		wantCode(t, err, "LoadBalancerNotFound", 400)
	}
	// A group of another VPC for a load balancer in the default VPC, by zone.
	_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("refused"), Listeners: httpListener,
		AvailabilityZones: []string{"us-east-1a"}, SecurityGroups: []string{v.group}})
	wantCode(t, err, "InvalidConfigurationRequest", 409)
	// More groups than a network interface may have.
	var six []string
	for i := range 6 {
		six = append(six, e.createGroup("g"+string(rune('0'+i)), v.vpc))
	}
	wantCode(t, e.createLBIn("refused", v.subnets[:1], six...), "InvalidConfigurationRequest", 409)
}

func TestApplySecurityGroupsToLoadBalancer(t *testing.T) {
	e := newEnv(t, Options{})
	v := newSGVPC(e)
	must[any](t)(nil, e.createLBIn("lb", v.subnets[:1]))
	second := e.createGroup("second", v.vpc)

	got := must[[]string](t)(e.applyGroups("lb", v.group, second, v.group))
	if !slices.Equal(got, []string{v.group, second}) {
		t.Errorf("answer %v", got)
	}
	if d := e.describeOne("lb"); !slices.Equal(d.SecurityGroups, []string{v.group, second}) || aws.ToString(d.SourceSecurityGroup.GroupName) != "lb" {
		t.Errorf("described %v %+v", d.SecurityGroups, d.SourceSecurityGroup)
	}
	// The group it no longer uses may be deleted; the one it uses may not.
	wantCode(t, deleteGroup(e, v.group), "DependencyViolation", 400)
	must[[]string](t)(e.applyGroups("lb", second))
	must[any](t)(nil, deleteGroup(e, v.group))

	for _, c := range []struct {
		groups []string
		code   string
		status int
	}{
		{[]string{"sg-0123456789abcdef0"}, "InvalidSecurityGroup", 400},
		{[]string{"not-an-sg"}, "InvalidSecurityGroup", 400},
		{[]string{v.otherVPCGroup}, "InvalidConfigurationRequest", 409},
	} {
		_, err := e.applyGroups("lb", c.groups...)
		wantCode(t, err, c.code, c.status)
		if d := e.describeOne("lb"); !slices.Equal(d.SecurityGroups, []string{second}) {
			t.Errorf("after a refused call (%s): %v", c.code, d.SecurityGroups)
		}
	}
	_, err := e.applyGroups("nope", second)
	wantCode(t, err, "LoadBalancerNotFound", 400)
	r := e.post(elbForm("ApplySecurityGroupsToLoadBalancer", "LoadBalancerName", "lb"), "")
	if r.status != 400 || !strings.Contains(r.body, "<Code>ValidationError</Code>") {
		t.Errorf("without SecurityGroups: %d %s", r.status, r.body)
	}
}

func deleteGroup(e *env, id string) error {
	_, err := e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)})
	return err
}
