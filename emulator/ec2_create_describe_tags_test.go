package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

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
