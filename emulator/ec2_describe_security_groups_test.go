package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func groupIDs(gs []ec2types.SecurityGroup) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = aws.ToString(g.GroupId)
	}
	return out
}

func TestDescribeSecurityGroups(t *testing.T) {
	e := newEnv(t, Options{})
	vpcID, _ := e.vpcWithSubnets("10.5.0.0/16")
	a, b := e.createGroup("a", vpcID), e.createGroup("b", "")
	describe := func(in *ec2.DescribeSecurityGroupsInput) []string {
		t.Helper()
		return groupIDs(must[*ec2.DescribeSecurityGroupsOutput](t)(e.ec2.DescribeSecurityGroups(e.ctx, in)).SecurityGroups)
	}
	filter := func(name string, vals ...string) []ec2types.Filter {
		return []ec2types.Filter{{Name: aws.String(name), Values: vals}}
	}
	defaultOfVPC := aws.ToString(e.defaultGroupOf(vpcID).GroupId)
	defaultOfDefault := aws.ToString(e.defaultGroupOf(e.defaultVPCID()).GroupId)
	for name, c := range map[string]struct {
		in   *ec2.DescribeSecurityGroupsInput
		want []string
	}{
		"all":             {&ec2.DescribeSecurityGroupsInput{}, []string{defaultOfDefault, defaultOfVPC, a, b}},
		"by id":           {&ec2.DescribeSecurityGroupsInput{GroupIds: []string{a}}, []string{a}},
		"by name":         {&ec2.DescribeSecurityGroupsInput{GroupNames: []string{"b", "default"}}, []string{b, defaultOfDefault}},
		"vpc-id":          {&ec2.DescribeSecurityGroupsInput{Filters: filter("vpc-id", vpcID)}, []string{defaultOfVPC, a}},
		"group-name":      {&ec2.DescribeSecurityGroupsInput{Filters: filter("group-name", "a", "b")}, []string{a, b}},
		"group-id":        {&ec2.DescribeSecurityGroupsInput{Filters: filter("group-id", b)}, []string{b}},
		"id and filter":   {&ec2.DescribeSecurityGroupsInput{GroupIds: []string{a, b}, Filters: filter("vpc-id", vpcID)}, []string{a}},
		"wildcard":        {&ec2.DescribeSecurityGroupsInput{Filters: filter("group-name", "def*")}, []string{defaultOfDefault, defaultOfVPC}},
		"filter no match": {&ec2.DescribeSecurityGroupsInput{Filters: filter("group-name", "none")}, nil},
	} {
		if got := describe(c.in); !sameSet(got, c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
	_, err := e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-0123456789abcdef0"}})
	wantCode(t, err, "InvalidGroup.NotFound", 400)
	_, err = e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"not-a-group"}})
	wantCode(t, err, "InvalidGroupId.Malformed", 400)
	// GroupName names groups of the default VPC only: a is in another.
	_, err = e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"a"}})
	wantCode(t, err, "InvalidGroup.NotFound", 400)
	_, err = e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{Filters: filter("no-such-filter", "x")})
	wantCode(t, err, "InvalidParameterValue", 400)
}
