package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// An instance launched in a new subnet lives in its VPC and zone.
func TestCreateSubnet(t *testing.T) {
	e := newEnv(t, Options{Region: "eu-west-1"})
	v := must[*ec2.CreateVpcOutput](t)(e.ec2.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))
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
	// An instance in the new subnet lives in the new VPC.
	id := e.launch(1, aws.ToString(s.Subnet.SubnetId))[0]
	got := must[[]ec2types.Instance](t)(e.describeInstances(&ec2.DescribeInstancesInput{InstanceIds: []string{id}}))
	if aws.ToString(got[0].VpcId) != aws.ToString(v.Vpc.VpcId) || aws.ToString(got[0].Placement.AvailabilityZone) != "eu-west-1c" {
		t.Errorf("instance in custom subnet: vpc %s zone %s", aws.ToString(got[0].VpcId), aws.ToString(got[0].Placement.AvailabilityZone))
	}
}
