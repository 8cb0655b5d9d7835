package emulator

import (
	"fmt"
	"strings"
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

// tagsOf answers name's tags as DescribeTags shows them.
func (e *env) tagsOf(name string) map[string]string {
	e.t.Helper()
	out := must[*elb.DescribeTagsOutput](e.t)(e.elb.DescribeTags(e.ctx, &elb.DescribeTagsInput{LoadBalancerNames: []string{name}}))
	got := map[string]string{}
	for _, tg := range out.TagDescriptions[0].Tags {
		got[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	return got
}

func (e *env) addTags(name string, kv ...string) error {
	var tags []elbtypes.Tag
	for i := 0; i < len(kv); i += 2 {
		tags = append(tags, elbtypes.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	_, err := e.elb.AddTags(e.ctx, &elb.AddTagsInput{LoadBalancerNames: []string{name}, Tags: tags})
	return err
}

func (e *env) removeTags(name string, keys ...string) error {
	var tags []elbtypes.TagKeyOnly
	for _, k := range keys {
		tags = append(tags, elbtypes.TagKeyOnly{Key: aws.String(k)})
	}
	_, err := e.elb.RemoveTags(e.ctx, &elb.RemoveTagsInput{LoadBalancerNames: []string{name}, Tags: tags})
	return err
}

// manyTags is n key-value pairs k0=v ... k<n-1>=v.
func manyTags(prefix string, n int) []string {
	var kv []string
	for i := range n {
		kv = append(kv, fmt.Sprint(prefix, i), "v")
	}
	return kv
}

// Ten tags in all are allowed, replacing a key at ten is too, and a call that would make
// eleven is TooManyTags and changes nothing.
func TestTagLimit(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("lb", "us-east-1a")
	if err := e.addTags("lb", manyTags("k", 10)...); err != nil {
		t.Fatal(err)
	}
	if err := e.addTags("lb", "k0", "new"); err != nil {
		t.Fatalf("replacing a key at the limit: %v", err)
	}
	wantCode(t, e.addTags("lb", "k10", "v", "k0", "newer"), "TooManyTags", 400)
	got := e.tagsOf("lb")
	if len(got) != 10 || got["k0"] != "new" {
		t.Errorf("after the refusal: %v", got)
	}
	var toomany *elbtypes.TooManyTagsException
	if err := e.addTags("lb", "k11", "v"); !asError(err, &toomany) {
		t.Errorf("SDK did not map TooManyTags to TooManyTagsException: %T", err)
	}
}

// Keys are case sensitive; a value may be empty or absent.
func TestTagKeysCaseSensitiveValuesOptional(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("lb", "us-east-1a")
	if err := e.addTags("lb", "env", "a", "Env", "b"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.elb.AddTags(e.ctx, &elb.AddTagsInput{LoadBalancerNames: []string{"lb"}, Tags: []elbtypes.Tag{{Key: aws.String("novalue")}}}); err != nil {
		t.Fatal(err)
	}
	got := e.tagsOf("lb")
	if v, ok := got["novalue"]; len(got) != 3 || got["env"] != "a" || got["Env"] != "b" || !ok || v != "" {
		t.Errorf("tags %v", got)
	}
}

// Key and value rules (model, Tag; Classic guide: the aws: prefix is reserved), for AddTags,
// CreateLoadBalancer and RemoveTags.
func TestTagValidation(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("lb", "us-east-1a")
	long := func(s string, n int) string { return strings.Repeat(s, n) }
	ok := [][2]string{
		{long("k", 128), long("v", 256)},
		{long("é", 128), long("ü", 256)}, // characters, not bytes
		{"a b_c.d:e/f=g+h-i@j", "Ünïcödé 42"},
		{"AWSfoo", ""},
	}
	for _, kv := range ok {
		if err := e.addTags("lb", kv[0], kv[1]); err != nil {
			t.Errorf("key %.20q value %.20q: %v", kv[0], kv[1], err)
		}
		if err := e.removeTags("lb", kv[0]); err != nil {
			t.Errorf("removing %.20q: %v", kv[0], err)
		}
	}
	bad := [][2]string{
		{"", "v"},
		{long("k", 129), "v"},
		{"k", long("v", 257)},
		{"bad#key", "v"},
		{"k", "bad*value"},
		{"aws:reserved", "v"},
		{"AWS:Reserved", "v"},
	}
	for _, kv := range bad {
		wantCode(t, e.addTags("lb", kv[0], kv[1]), "ValidationError", 400)
		_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("bad-tags"),
			Listeners: httpListener, AvailabilityZones: []string{"us-east-1a"},
			Tags: []elbtypes.Tag{{Key: aws.String(kv[0]), Value: aws.String(kv[1])}}})
		wantCode(t, err, "ValidationError", 400)
	}
	for _, k := range []string{"", long("k", 129), "bad#key", "aws:reserved"} {
		wantCode(t, e.removeTags("lb", k), "ValidationError", 400)
	}
	if got := e.tagsOf("lb"); len(got) != 0 {
		t.Errorf("refused calls left tags %v", got)
	}
	noLoadBalancer(t, e, "bad-tags")
}

// CreateLoadBalancer's Tags: described afterwards; a key twice is DuplicateTagKeys and more
// than ten TooManyTags, and neither creates the load balancer.
func TestCreateLoadBalancerTags(t *testing.T) {
	e := newEnv(t, Options{})
	create := func(name string, kv ...string) error {
		var tags []elbtypes.Tag
		for i := 0; i < len(kv); i += 2 {
			tags = append(tags, elbtypes.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String(name),
			Listeners: httpListener, AvailabilityZones: []string{"us-east-1a"}, Tags: tags})
		return err
	}
	if err := create("tagged", manyTags("k", 10)...); err != nil {
		t.Fatal(err)
	}
	if got := e.tagsOf("tagged"); len(got) != 10 || got["k9"] != "v" {
		t.Errorf("tags at creation: %v", got)
	}
	wantCode(t, create("dup", "a", "1", "a", "2"), "DuplicateTagKeys", 400)
	noLoadBalancer(t, e, "dup")
	wantCode(t, create("many", manyTags("k", 11)...), "TooManyTags", 400)
	noLoadBalancer(t, e, "many")
}

// AddTags and RemoveTags name exactly one load balancer; DescribeTags 1-20.
func TestTagTargets(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("a", "us-east-1a")
	e.createLB("b", "us-east-1a")
	_, err := e.elb.AddTags(e.ctx, &elb.AddTagsInput{LoadBalancerNames: []string{"a", "b"}, Tags: []elbtypes.Tag{{Key: aws.String("k")}}})
	wantCode(t, err, "ValidationError", 400)
	_, err = e.elb.RemoveTags(e.ctx, &elb.RemoveTagsInput{LoadBalancerNames: []string{"a", "b"}, Tags: []elbtypes.TagKeyOnly{{Key: aws.String("k")}}})
	wantCode(t, err, "ValidationError", 400)
	wantCode(t, e.removeTags("nope", "k"), "LoadBalancerNotFound", 400)
	if got := e.tagsOf("a"); len(got) != 0 {
		t.Errorf("refused AddTags tagged a: %v", got)
	}
	names := make([]string, 21)
	for i := range names {
		names[i] = "a"
	}
	_, err = e.elb.DescribeTags(e.ctx, &elb.DescribeTagsInput{LoadBalancerNames: names})
	wantCode(t, err, "ValidationError", 400)
	out := must[*elb.DescribeTagsOutput](t)(e.elb.DescribeTags(e.ctx, &elb.DescribeTagsInput{LoadBalancerNames: names[:20]}))
	if len(out.TagDescriptions) != 1 {
		t.Errorf("20 times the same name: %d descriptions", len(out.TagDescriptions))
	}
	r := e.post(elbForm("DescribeTags"), "")
	if r.status != 400 || !strings.Contains(r.body, "<Code>ValidationError</Code>") {
		t.Errorf("DescribeTags without names: %d %s", r.status, r.body)
	}
}
