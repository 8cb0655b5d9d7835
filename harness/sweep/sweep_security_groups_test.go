package sweep

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func (w *world) securityGroup(vpc, name string, tt [][2]string) string {
	w.t.Helper()
	in := &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String("sweep test"),
		TagSpecifications: ec2TagSpec(ec2types.ResourceTypeSecurityGroup, tt)}
	if vpc != "" {
		in.VpcId = aws.String(vpc)
	}
	out, err := w.c.EC2.CreateSecurityGroup(w.ctx, in)
	if err != nil {
		w.t.Fatalf("CreateSecurityGroup: %v", err)
	}
	return aws.ToString(out.GroupId)
}

func (w *world) groupExists(id string) bool {
	w.t.Helper()
	_, err := w.c.EC2.DescribeSecurityGroups(w.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
	return err == nil
}

// A run's security groups go before its VPC (which they would keep), other runs' and
// untagged groups stay, and no VPC's default group is touched.
func TestSweepDeletesOwnedSecurityGroups(t *testing.T) {
	w := newWorld(t)
	own1, own2 := tags(OwnerTag, OwnerValue, RunIDTag, "run1"), tags(OwnerTag, OwnerValue, RunIDTag, "run2")
	vpc1 := w.vpc(own1)
	sg1 := w.securityGroup(vpc1, "ec-run1-1-1", own1)
	sg2 := w.securityGroup("", "ec-run2-1-1", own2)
	foreign := w.securityGroup("", "someone-elses", nil)

	res, err := Sweep(w.ctx, w.api(), Options{RunID: "run1", DependencyWait: 1, RetryInterval: 1})
	if err != nil {
		t.Fatalf("sweep: %v", err)
	}
	if !sameSet(res.SecurityGroups, []string{sg1}) || !sameSet(res.VPCs, []string{vpc1}) {
		t.Errorf("deleted groups %v, VPCs %v; want [%s], [%s]", res.SecurityGroups, res.VPCs, sg1, vpc1)
	}
	if w.groupExists(sg1) || w.vpcExists(vpc1) {
		t.Errorf("run1's group or VPC is still there")
	}
	for _, id := range []string{sg2, foreign} {
		if !w.groupExists(id) {
			t.Errorf("the sweep of run1 deleted %s", id)
		}
	}
	defaults, err := w.c.EC2.DescribeSecurityGroups(w.ctx, &ec2.DescribeSecurityGroupsInput{
		Filters: []ec2types.Filter{{Name: aws.String("group-name"), Values: []string{"default"}}}})
	if err != nil || len(defaults.SecurityGroups) != 1 {
		t.Errorf("default groups left: %v (%v); want the default VPC's", defaults, err)
	}
}
