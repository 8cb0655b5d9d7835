package emulator

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// TestDeleteSubnetAndVpc walks the suite's other-VPC clean-up order (instance -> subnet -> VPC)
// and checks each step is refused with DependencyViolation while something still depends on it.
func TestDeleteSubnetAndVpc(t *testing.T) {
	e := newEnv(t, Options{})
	vpcID, subs := e.vpcWithSubnets("10.7.0.0/16", "10.7.1.0/24")
	id := e.launchRunning(1, subs[0])[0]

	deleteSubnet := func(id string) error {
		_, err := e.ec2.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(id)})
		return err
	}
	deleteVpc := func(id string) error {
		_, err := e.ec2.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: aws.String(id)})
		return err
	}

	wantCode(t, deleteVpc(vpcID), "DependencyViolation", 400)
	wantCode(t, deleteSubnet(subs[0]), "DependencyViolation", 400)

	must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}}))
	// shutting-down still holds the subnet, as on EC2.
	wantCode(t, deleteSubnet(subs[0]), "DependencyViolation", 400)
	time.Sleep(testInstanceDelay + 10*time.Millisecond)

	if err := deleteSubnet(subs[0]); err != nil {
		t.Fatalf("DeleteSubnet after the instance terminated: %v", err)
	}
	wantCode(t, deleteSubnet(subs[0]), "InvalidSubnetID.NotFound", 400)
	if err := deleteVpc(vpcID); err != nil {
		t.Fatalf("DeleteVpc after its subnet went: %v", err)
	}
	wantCode(t, deleteVpc(vpcID), "InvalidVpcID.NotFound", 400)

	vpcs := must[*ec2.DescribeVpcsOutput](t)(e.ec2.DescribeVpcs(e.ctx, &ec2.DescribeVpcsInput{}))
	for _, v := range vpcs.Vpcs {
		if aws.ToString(v.VpcId) == vpcID {
			t.Errorf("deleted VPC %s still described", vpcID)
		}
	}
	subnets := must[*ec2.DescribeSubnetsOutput](t)(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{
		Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}}))
	if len(subnets.Subnets) != 0 {
		t.Errorf("deleted subnet still described: %+v", subnets.Subnets)
	}
	// The terminated instance is still described, with the subnet it had.
	out := must[*ec2.DescribeInstancesOutput](t)(e.ec2.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}))
	if got := aws.ToString(out.Reservations[0].Instances[0].SubnetId); got != subs[0] {
		t.Errorf("terminated instance's subnet %q, want %q", got, subs[0])
	}
}

func TestDeleteSubnetAttachedToLoadBalancer(t *testing.T) {
	e := newEnv(t, Options{})
	_, subs := e.vpcWithSubnets("10.8.0.0/16", "10.8.1.0/24")
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("vpc-lb"), Listeners: httpListener, Subnets: subs}))
	_, err := e.ec2.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(subs[0])})
	wantCode(t, err, "DependencyViolation", 400)
}

func TestDeleteDefaultNetworkRefused(t *testing.T) {
	e := newEnv(t, Options{})
	st := e.srv.h.st
	_, err := e.ec2.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: aws.String(st.ec2.defaultVPC.id)})
	wantCode(t, err, "UnsupportedOperation", 400)
	_, err = e.ec2.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(st.ec2.defaultSubnet("us-east-1a").id)})
	wantCode(t, err, "UnsupportedOperation", 400)
	// The SDK refuses to send a request without SubnetId: send it raw.
	if r := e.post(ec2Form("DeleteSubnet"), ""); r.status != 400 || !strings.Contains(r.body, "<Code>MissingParameter</Code>") {
		t.Errorf("DeleteSubnet without SubnetId: %d %s", r.status, r.body)
	}
}
