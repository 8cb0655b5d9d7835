package emulator

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// createGroup creates a security group named name in vpcID ("" for the default VPC).
func (e *env) createGroup(name, vpcID string) string {
	e.t.Helper()
	in := &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String("test group " + name)}
	if vpcID != "" {
		in.VpcId = aws.String(vpcID)
	}
	return aws.ToString(must[*ec2.CreateSecurityGroupOutput](e.t)(e.ec2.CreateSecurityGroup(e.ctx, in)).GroupId)
}

// group describes one security group by id.
func (e *env) group(id string) ec2types.SecurityGroup {
	e.t.Helper()
	out := must[*ec2.DescribeSecurityGroupsOutput](e.t)(e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}}))
	if len(out.SecurityGroups) != 1 {
		e.t.Fatalf("DescribeSecurityGroups %s: %d groups", id, len(out.SecurityGroups))
	}
	return out.SecurityGroups[0]
}

// defaultGroupOf answers the group named default of vpcID.
func (e *env) defaultGroupOf(vpcID string) ec2types.SecurityGroup {
	e.t.Helper()
	out := must[*ec2.DescribeSecurityGroupsOutput](e.t)(e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpcID}}, {Name: aws.String("group-name"), Values: []string{"default"}}}}))
	if len(out.SecurityGroups) != 1 {
		e.t.Fatalf("default group of %s: %d groups", vpcID, len(out.SecurityGroups))
	}
	return out.SecurityGroups[0]
}

func (e *env) defaultVPCID() string { return e.srv.h.st.ec2.defaultVPC.id }

func TestCreateSecurityGroup(t *testing.T) {
	e := newEnv(t, Options{})
	vpcID, _ := e.vpcWithSubnets("10.5.0.0/16")
	out := must[*ec2.CreateSecurityGroupOutput](t)(e.ec2.CreateSecurityGroup(e.ctx, &ec2.CreateSecurityGroupInput{
		GroupName: aws.String("web"), Description: aws.String("web servers"), VpcId: aws.String(vpcID),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSecurityGroup, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}}},
	}))
	id := aws.ToString(out.GroupId)
	if !sgIDPattern.MatchString(id) || len(out.Tags) != 1 {
		t.Fatalf("answer: id %s tags %v", id, out.Tags)
	}
	g := e.group(id)
	if aws.ToString(g.GroupName) != "web" || aws.ToString(g.Description) != "web servers" || aws.ToString(g.VpcId) != vpcID ||
		aws.ToString(g.OwnerId) != "123456789012" || len(g.IpPermissions) != 0 || len(g.Tags) != 1 {
		t.Errorf("described %+v", g)
	}
	// A new group may send everything out, and receives nothing.
	if len(g.IpPermissionsEgress) != 1 || aws.ToString(g.IpPermissionsEgress[0].IpProtocol) != "-1" ||
		aws.ToString(g.IpPermissionsEgress[0].IpRanges[0].CidrIp) != "0.0.0.0/0" {
		t.Errorf("egress %+v", g.IpPermissionsEgress)
	}
	// Without VpcId: the default VPC.
	if g := e.group(e.createGroup("web", "")); aws.ToString(g.VpcId) != e.defaultVPCID() {
		t.Errorf("without VpcId the group is in %s", aws.ToString(g.VpcId))
	}
}

func TestCreateSecurityGroupErrors(t *testing.T) {
	e := newEnv(t, Options{})
	vpcID, _ := e.vpcWithSubnets("10.5.0.0/16")
	e.createGroup("web", vpcID)
	for _, c := range []struct {
		name, desc, vpc, code string
	}{
		{"", "d", vpcID, "MissingParameter"},
		{"n", "", vpcID, "MissingParameter"},
		{"WEB", "d", vpcID, "InvalidGroup.Duplicate"}, // names are case-insensitive
		{"default", "d", vpcID, "InvalidGroup.Reserved"},
		{"sg-web", "d", vpcID, "InvalidParameterValue"},
		{strings.Repeat("n", 256), "d", vpcID, "InvalidParameterValue"},
		{"n", "d", "vpc-0123456789abcdef0", "InvalidVpcID.NotFound"},
	} {
		in := &ec2.CreateSecurityGroupInput{GroupName: aws.String(c.name), Description: aws.String(c.desc), VpcId: aws.String(c.vpc)}
		_, err := e.ec2.CreateSecurityGroup(e.ctx, in)
		wantCode(t, err, c.code, 400)
	}
}

// Every VPC, the default one and each CreateVpc makes, has a group named default with the
// default rules: all traffic in from its own members, all traffic out.
func TestDefaultSecurityGroupOfEachVPC(t *testing.T) {
	e := newEnv(t, Options{})
	vpcID, _ := e.vpcWithSubnets("10.5.0.0/16")
	for _, v := range []string{e.defaultVPCID(), vpcID} {
		g := e.defaultGroupOf(v)
		if aws.ToString(g.Description) != "default VPC security group" {
			t.Errorf("%s: description %q", v, aws.ToString(g.Description))
		}
		in := g.IpPermissions
		if len(in) != 1 || aws.ToString(in[0].IpProtocol) != "-1" || len(in[0].UserIdGroupPairs) != 1 ||
			aws.ToString(in[0].UserIdGroupPairs[0].GroupId) != aws.ToString(g.GroupId) || len(in[0].IpRanges) != 0 {
			t.Errorf("%s: ingress %+v", v, in)
		}
		out := g.IpPermissionsEgress
		if len(out) != 1 || aws.ToString(out[0].IpProtocol) != "-1" || len(out[0].IpRanges) != 1 || aws.ToString(out[0].IpRanges[0].CidrIp) != "0.0.0.0/0" {
			t.Errorf("%s: egress %+v", v, out)
		}
	}
	// The instances' groupSet names the same group.
	id := e.launch(1, "us-east-1a")[0]
	ins := must[[]ec2types.Instance](t)(e.describeInstances(&ec2.DescribeInstancesInput{InstanceIds: []string{id}}))
	if got := aws.ToString(ins[0].SecurityGroups[0].GroupId); got != aws.ToString(e.defaultGroupOf(e.defaultVPCID()).GroupId) {
		t.Errorf("instance's group %s is not the default VPC's default group", got)
	}
	if !slices.ContainsFunc(ins[0].SecurityGroups, func(g ec2types.GroupIdentifier) bool { return aws.ToString(g.GroupName) == "default" }) {
		t.Errorf("instance's groups %+v", ins[0].SecurityGroups)
	}
}
