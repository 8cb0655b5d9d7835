package emulator

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

func TestTags(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("tagged", "us-east-1a")
	e.createLB("other", "us-east-1a")
	add := func(name string, kv ...string) error {
		var tags []elbtypes.Tag
		for i := 0; i < len(kv); i += 2 {
			tags = append(tags, elbtypes.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		_, err := e.elb.AddTags(e.ctx, &elb.AddTagsInput{LoadBalancerNames: []string{name}, Tags: tags})
		return err
	}
	if err := add("tagged", "a", "1", "b", "2"); err != nil {
		t.Fatal(err)
	}
	if err := add("tagged", "a", "3"); err != nil { // overwrite
		t.Fatal(err)
	}
	must[*elb.RemoveTagsOutput](t)(e.elb.RemoveTags(e.ctx, &elb.RemoveTagsInput{LoadBalancerNames: []string{"tagged"},
		Tags: []elbtypes.TagKeyOnly{{Key: aws.String("b")}, {Key: aws.String("absent")}}}))
	out := must[*elb.DescribeTagsOutput](t)(e.elb.DescribeTags(e.ctx, &elb.DescribeTagsInput{LoadBalancerNames: []string{"tagged", "other"}}))
	if len(out.TagDescriptions) != 2 {
		t.Fatalf("want 2 tag descriptions, got %d", len(out.TagDescriptions))
	}
	got := map[string]string{}
	for _, tg := range out.TagDescriptions[0].Tags {
		got[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	if aws.ToString(out.TagDescriptions[0].LoadBalancerName) != "tagged" || fmt.Sprint(got) != "map[a:3]" {
		t.Errorf("tags of tagged: %v", got)
	}
	if len(out.TagDescriptions[1].Tags) != 0 {
		t.Errorf("other has tags %v", out.TagDescriptions[1].Tags)
	}
	var kv []string
	for i := range 10 {
		kv = append(kv, fmt.Sprint("k", i), "v")
	}
	wantCode(t, add("tagged", kv...), "TooManyTags", 400)
	wantCode(t, add("nope", "a", "b"), "LoadBalancerNotFound", 400)
	_, err := e.elb.DescribeTags(e.ctx, &elb.DescribeTagsInput{LoadBalancerNames: []string{"nope"}})
	wantCode(t, err, "LoadBalancerNotFound", 400)
	_, err = e.elb.AddTags(e.ctx, &elb.AddTagsInput{LoadBalancerNames: []string{"tagged"},
		Tags: []elbtypes.Tag{{Key: aws.String("x")}, {Key: aws.String("x")}}})
	wantCode(t, err, "DuplicateTagKeys", 400)
}
