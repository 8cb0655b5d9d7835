package emulator

import (
	"encoding/base64"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

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

func TestRunAndDescribeInstances(t *testing.T) {
	e := newEnv(t, Options{})
	out := must[*ec2.RunInstancesOutput](t)(e.ec2.RunInstances(e.ctx, &ec2.RunInstancesInput{
		ImageId: aws.String("ami-0abcdef1234567890"), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(2), MaxCount: aws.Int32(2),
		Placement: &ec2types.Placement{AvailabilityZone: aws.String("us-east-1b")},
		UserData:  aws.String(base64.StdEncoding.EncodeToString([]byte("#!/bin/sh"))),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance,
			Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}, {Key: aws.String("suite"), Value: aws.String("elbconform")}}}},
	}))
	if len(out.Instances) != 2 || aws.ToString(out.ReservationId) == "" || aws.ToString(out.OwnerId) != "123456789012" {
		t.Fatalf("RunInstances answered %d instances, reservation %q", len(out.Instances), aws.ToString(out.ReservationId))
	}
	first := out.Instances[0]
	if first.State.Name != ec2types.InstanceStateNamePending || aws.ToInt32(first.State.Code) != 0 {
		t.Errorf("new instance state %v", first.State.Name)
	}
	subnets := must[*ec2.DescribeSubnetsOutput](t)(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{
		SubnetIds: []string{aws.ToString(first.SubnetId)}}))
	pfx := netip.MustParsePrefix(aws.ToString(subnets.Subnets[0].CidrBlock))
	if !pfx.Contains(netip.MustParseAddr(aws.ToString(first.PrivateIpAddress))) || aws.ToString(subnets.Subnets[0].AvailabilityZone) != "us-east-1b" {
		t.Errorf("private IP %s not in subnet %s (%s)", aws.ToString(first.PrivateIpAddress), pfx, aws.ToString(subnets.Subnets[0].AvailabilityZone))
	}
	if aws.ToString(first.Placement.AvailabilityZone) != "us-east-1b" || len(first.Tags) != 2 || aws.ToString(first.VpcId) == "" {
		t.Errorf("instance placement %s tags %v vpc %s", aws.ToString(first.Placement.AvailabilityZone), first.Tags, aws.ToString(first.VpcId))
	}
	time.Sleep(testInstanceDelay + 10*time.Millisecond)
	got := must[[]ec2types.Instance](t)(e.describeInstances(&ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(first.InstanceId)}}))
	if len(got) != 1 || got[0].State.Name != ec2types.InstanceStateNameRunning || aws.ToInt32(got[0].State.Code) != 16 {
		t.Fatalf("after the start delay: %+v", got)
	}
	other := e.launch(1, "us-east-1a")

	filter := func(name string, vals ...string) ec2types.Filter {
		return ec2types.Filter{Name: aws.String(name), Values: vals}
	}
	cases := []struct {
		name    string
		filters []ec2types.Filter
		want    int
	}{
		{"tag", []ec2types.Filter{filter("tag:Name", "web")}, 2},
		{"tag wildcard", []ec2types.Filter{filter("tag:Name", "w*")}, 2},
		{"tag-key", []ec2types.Filter{filter("tag-key", "suite")}, 2},
		{"state running", []ec2types.Filter{filter("instance-state-name", "running")}, 2},
		{"state pending or running", []ec2types.Filter{filter("instance-state-name", "pending", "running")}, 3},
		{"zone", []ec2types.Filter{filter("availability-zone", "us-east-1a")}, 1},
		{"vpc", []ec2types.Filter{filter("vpc-id", aws.ToString(first.VpcId))}, 3},
		{"subnet", []ec2types.Filter{filter("subnet-id", aws.ToString(first.SubnetId))}, 2},
		{"and", []ec2types.Filter{filter("tag:Name", "web"), filter("availability-zone", "us-east-1a")}, 0},
	}
	for _, c := range cases {
		got := must[[]ec2types.Instance](t)(e.describeInstances(&ec2.DescribeInstancesInput{Filters: c.filters}))
		if len(got) != c.want {
			t.Errorf("filter %s: %d instances, want %d", c.name, len(got), c.want)
		}
	}
	_, err := e.describeInstances(&ec2.DescribeInstancesInput{Filters: []ec2types.Filter{filter("no-such-filter", "x")}})
	wantCode(t, err, "InvalidParameterValue", 400)
	_, err = e.describeInstances(&ec2.DescribeInstancesInput{InstanceIds: []string{"i-0123456789abcdef0", other[0]}})
	wantCode(t, err, "InvalidInstanceID.NotFound", 400)
	_, err = e.describeInstances(&ec2.DescribeInstancesInput{InstanceIds: []string{"i-nope"}})
	wantCode(t, err, "InvalidInstanceID.Malformed", 400)

	// Paging.
	n := 0
	p := ec2.NewDescribeInstancesPaginator(e.ec2, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)})
	e.launch(6, "")
	for p.HasMorePages() {
		page, err := p.NextPage(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Reservations {
			n += len(r.Instances)
		}
	}
	if n != 9 {
		t.Errorf("paging saw %d instances, want 9", n)
	}
}

func TestInstanceLifecycle(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launch(2, "")
	// Stopping a pending instance is refused.
	_, err := e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: ids[:1]})
	wantCode(t, err, "IncorrectInstanceState", 400)
	time.Sleep(testInstanceDelay + 10*time.Millisecond)

	stop := must[*ec2.StopInstancesOutput](t)(e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: ids[:1]}))
	if c := stop.StoppingInstances[0]; c.PreviousState.Name != "running" || c.CurrentState.Name != "stopping" {
		t.Errorf("stop: %s -> %s", c.PreviousState.Name, c.CurrentState.Name)
	}
	_, err = e.ec2.StartInstances(e.ctx, &ec2.StartInstancesInput{InstanceIds: ids[:1]})
	wantCode(t, err, "IncorrectInstanceState", 400)
	time.Sleep(testInstanceDelay + 10*time.Millisecond)
	start := must[*ec2.StartInstancesOutput](t)(e.ec2.StartInstances(e.ctx, &ec2.StartInstancesInput{InstanceIds: ids[:1]}))
	if c := start.StartingInstances[0]; c.PreviousState.Name != "stopped" || c.CurrentState.Name != "pending" {
		t.Errorf("start: %s -> %s", c.PreviousState.Name, c.CurrentState.Name)
	}
	term := must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}))
	for _, c := range term.TerminatingInstances {
		if c.CurrentState.Name != "shutting-down" {
			t.Errorf("terminate: %s -> %s", c.PreviousState.Name, c.CurrentState.Name)
		}
	}
	time.Sleep(testInstanceDelay + 10*time.Millisecond)
	got := must[[]ec2types.Instance](t)(e.describeInstances(&ec2.DescribeInstancesInput{InstanceIds: ids}))
	if len(got) != 2 || got[0].State.Name != "terminated" || got[1].State.Name != "terminated" {
		t.Errorf("terminated instances should stay describable as terminated: %+v", got)
	}
	again := must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids[:1]}))
	if c := again.TerminatingInstances[0]; c.PreviousState.Name != "terminated" || c.CurrentState.Name != "terminated" {
		t.Errorf("terminate twice: %s -> %s", c.PreviousState.Name, c.CurrentState.Name)
	}
	_, err = e.ec2.StartInstances(e.ctx, &ec2.StartInstancesInput{InstanceIds: ids[:1]})
	wantCode(t, err, "IncorrectInstanceState", 400)
	_, err = e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
	wantCode(t, err, "InvalidInstanceID.NotFound", 400)
}

func TestNetworkDescribes(t *testing.T) {
	e := newEnv(t, Options{Region: "eu-west-1"})
	azs := must[*ec2.DescribeAvailabilityZonesOutput](t)(e.ec2.DescribeAvailabilityZones(e.ctx, &ec2.DescribeAvailabilityZonesInput{}))
	var names []string
	for _, z := range azs.AvailabilityZones {
		names = append(names, aws.ToString(z.ZoneName))
		if z.State != ec2types.AvailabilityZoneStateAvailable || aws.ToString(z.RegionName) != "eu-west-1" {
			t.Errorf("zone %+v", z)
		}
	}
	if !slices.Equal(names, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}) {
		t.Errorf("zones %v", names)
	}
	_, err := e.ec2.DescribeAvailabilityZones(e.ctx, &ec2.DescribeAvailabilityZonesInput{ZoneNames: []string{"eu-west-1z"}})
	wantCode(t, err, "InvalidParameterValue", 400)

	vpcs := must[*ec2.DescribeVpcsOutput](t)(e.ec2.DescribeVpcs(e.ctx, &ec2.DescribeVpcsInput{}))
	if len(vpcs.Vpcs) != 1 || !aws.ToBool(vpcs.Vpcs[0].IsDefault) || aws.ToString(vpcs.Vpcs[0].CidrBlock) != "172.31.0.0/16" {
		t.Fatalf("default VPC: %+v", vpcs.Vpcs)
	}
	defVPC := aws.ToString(vpcs.Vpcs[0].VpcId)
	subs := must[*ec2.DescribeSubnetsOutput](t)(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{defVPC}}, {Name: aws.String("default-for-az"), Values: []string{"true"}}}}))
	if len(subs.Subnets) != 3 {
		t.Fatalf("default subnets: %d", len(subs.Subnets))
	}
	one := must[*ec2.DescribeSubnetsOutput](t)(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{
		{Name: aws.String("availability-zone"), Values: []string{"eu-west-1b"}}}}))
	if len(one.Subnets) != 1 || aws.ToString(one.Subnets[0].AvailabilityZone) != "eu-west-1b" {
		t.Errorf("zone filter: %+v", one.Subnets)
	}

	v := must[*ec2.CreateVpcOutput](t)(e.ec2.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("x")}}}}}))
	if aws.ToBool(v.Vpc.IsDefault) || len(v.Vpc.Tags) != 1 {
		t.Errorf("new VPC %+v", v.Vpc)
	}
	_, err = e.ec2.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/8")})
	wantCode(t, err, "InvalidVpc.Range", 400)
	s := must[*ec2.CreateSubnetOutput](t)(e.ec2.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId,
		CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("eu-west-1c")}))
	if aws.ToString(s.Subnet.VpcId) != aws.ToString(v.Vpc.VpcId) || aws.ToBool(s.Subnet.DefaultForAz) {
		t.Errorf("new subnet %+v", s.Subnet)
	}
	subErrs := []struct {
		in   *ec2.CreateSubnetInput
		code string
	}{
		{&ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.1.128/25")}, "InvalidSubnet.Conflict"},
		{&ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.1.0.0/24")}, "InvalidSubnet.Range"},
		{&ec2.CreateSubnetInput{VpcId: aws.String("vpc-0123456789abcdef0"), CidrBlock: aws.String("10.0.2.0/24")}, "InvalidVpcID.NotFound"},
		{&ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.2.0/24"), AvailabilityZone: aws.String("us-east-1a")}, "InvalidParameterValue"},
	}
	for _, c := range subErrs {
		_, err := e.ec2.CreateSubnet(e.ctx, c.in)
		wantCode(t, err, c.code, 400)
	}
	_, err = e.ec2.DescribeVpcs(e.ctx, &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-0123456789abcdef0"}})
	wantCode(t, err, "InvalidVpcID.NotFound", 400)
	_, err = e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-0123456789abcdef0"}})
	wantCode(t, err, "InvalidSubnetID.NotFound", 400)
	// An instance in the new subnet lives in the new VPC.
	id := e.launch(1, aws.ToString(s.Subnet.SubnetId))[0]
	got := must[[]ec2types.Instance](t)(e.describeInstances(&ec2.DescribeInstancesInput{InstanceIds: []string{id}}))
	if aws.ToString(got[0].VpcId) != aws.ToString(v.Vpc.VpcId) || aws.ToString(got[0].Placement.AvailabilityZone) != "eu-west-1c" {
		t.Errorf("instance in custom subnet: vpc %s zone %s", aws.ToString(got[0].VpcId), aws.ToString(got[0].Placement.AvailabilityZone))
	}
}

func TestEC2Tags(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launch(2, "")
	must[*ec2.CreateTagsOutput](t)(e.ec2.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: ids,
		Tags: []ec2types.Tag{{Key: aws.String("team"), Value: aws.String("lb")}}}))
	out := must[*ec2.DescribeTagsOutput](t)(e.ec2.DescribeTags(e.ctx, &ec2.DescribeTagsInput{Filters: []ec2types.Filter{
		{Name: aws.String("key"), Values: []string{"team"}}, {Name: aws.String("resource-type"), Values: []string{"instance"}}}}))
	if len(out.Tags) != 2 || aws.ToString(out.Tags[0].Value) != "lb" {
		t.Errorf("DescribeTags: %+v", out.Tags)
	}
	_, err := e.ec2.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{ids[0], "i-0123456789abcdef0"},
		Tags: []ec2types.Tag{{Key: aws.String("x"), Value: aws.String("y")}}})
	wantCode(t, err, "InvalidInstanceID.NotFound", 400)
	got := must[[]ec2types.Instance](t)(e.describeInstances(&ec2.DescribeInstancesInput{Filters: []ec2types.Filter{
		{Name: aws.String("tag-key"), Values: []string{"x"}}}}))
	if len(got) != 0 {
		t.Errorf("failed CreateTags tagged %d instances", len(got))
	}
}
