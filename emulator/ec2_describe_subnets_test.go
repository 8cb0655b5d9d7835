package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestDescribeSubnets(t *testing.T) {
	e := newEnv(t, Options{Region: "eu-west-1"})
	vpcs := must[*ec2.DescribeVpcsOutput](t)(e.ec2.DescribeVpcs(e.ctx, &ec2.DescribeVpcsInput{}))
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

	_, err := e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-0123456789abcdef0"}})
	wantCode(t, err, "InvalidSubnetID.NotFound", 400)
}
