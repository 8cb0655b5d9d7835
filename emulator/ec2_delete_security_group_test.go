package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

func TestDeleteSecurityGroup(t *testing.T) {
	e := newEnv(t, Options{})
	vpcID, subnets := e.vpcWithSubnets("10.5.0.0/16", "10.5.1.0/24")
	id := e.createGroup("a", vpcID)
	out := must[*ec2.DeleteSecurityGroupOutput](t)(e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)}))
	if aws.ToString(out.GroupId) != id {
		t.Errorf("answer groupId %s", aws.ToString(out.GroupId))
	}
	_, err := e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
	wantCode(t, err, "InvalidGroup.NotFound", 400)
	_, err = e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)})
	wantCode(t, err, "InvalidGroup.NotFound", 400)
	_, err = e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String("bad")})
	wantCode(t, err, "InvalidGroupId.Malformed", 400)

	// By name in the default VPC.
	e.createGroup("byname", "")
	must[*ec2.DeleteSecurityGroupOutput](t)(e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupName: aws.String("byname")}))

	// A VPC's default group cannot be deleted.
	_, err = e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: e.defaultGroupOf(vpcID).GroupId})
	wantCode(t, err, "CannotDelete", 400)

	// A group a load balancer uses, or another group's rule references: DependencyViolation.
	used := e.createGroup("used", vpcID)
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("sg"), Listeners: httpListener, Subnets: subnets, SecurityGroups: []string{used}}))
	_, err = e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(used)})
	wantCode(t, err, "DependencyViolation", 400)
	must[*elb.DeleteLoadBalancerOutput](t)(e.elb.DeleteLoadBalancer(e.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("sg")}))

	peer := e.createGroup("peer", vpcID)
	must[*ec2.AuthorizeSecurityGroupIngressOutput](t)(e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(used), IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
			UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(peer)}}}}}))
	_, err = e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(peer)})
	wantCode(t, err, "DependencyViolation", 400)

	// A VPC with groups of its own cannot be deleted; without them it goes, with its default group.
	for _, sn := range subnets {
		must[*ec2.DeleteSubnetOutput](t)(e.ec2.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(sn)}))
	}
	_, err = e.ec2.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpcID)})
	wantCode(t, err, "DependencyViolation", 400)
	must[*ec2.DeleteSecurityGroupOutput](t)(e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(used)}))
	must[*ec2.DeleteSecurityGroupOutput](t)(e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(peer)}))
	must[*ec2.DeleteVpcOutput](t)(e.ec2.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpcID)}))
	left := must[*ec2.DescribeSecurityGroupsOutput](t)(e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{
		Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}}))
	if len(left.SecurityGroups) != 0 {
		t.Errorf("groups left of the deleted VPC: %v", groupIDs(left.SecurityGroups))
	}
}
