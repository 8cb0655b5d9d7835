package emulator

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestDescribeInstances launches two tagged instances in us-east-1b (webRunInput), waits
// for them to run, launches one more in us-east-1a, and describes them by id, filter and page.
func TestDescribeInstances(t *testing.T) {
	// The third instance must still be pending while the filters are checked: a start
	// delay long against a slow machine (the test's own 50 ms was passed under -race).
	const startDelay = 2 * time.Second
	e := newEnv(t, Options{InstanceStartDelay: startDelay})
	out := must[*ec2.RunInstancesOutput](t)(e.ec2.RunInstances(e.ctx, webRunInput()))
	first := out.Instances[0]
	time.Sleep(startDelay + 10*time.Millisecond)
	other := e.launch(1, "us-east-1a")

	filter := func(name string, vals ...string) ec2types.Filter {
		return ec2types.Filter{Name: aws.String(name), Values: vals}
	}
	cases := []struct {
		name    string
		filters []ec2types.Filter
		want    int
	}{
		{"tag", []ec2types.Filter{filter("tag:Name", "web")}, 2},
		{"tag wildcard", []ec2types.Filter{filter("tag:Name", "w*")}, 2},
		{"tag-key", []ec2types.Filter{filter("tag-key", "suite")}, 2},
		{"state running", []ec2types.Filter{filter("instance-state-name", "running")}, 2},
		{"state pending or running", []ec2types.Filter{filter("instance-state-name", "pending", "running")}, 3},
		{"zone", []ec2types.Filter{filter("availability-zone", "us-east-1a")}, 1},
		{"vpc", []ec2types.Filter{filter("vpc-id", aws.ToString(first.VpcId))}, 3},
		{"subnet", []ec2types.Filter{filter("subnet-id", aws.ToString(first.SubnetId))}, 2},
		{"and", []ec2types.Filter{filter("tag:Name", "web"), filter("availability-zone", "us-east-1a")}, 0},
	}
	for _, c := range cases {
		got := must[[]ec2types.Instance](t)(e.describeInstances(&ec2.DescribeInstancesInput{Filters: c.filters}))
		if len(got) != c.want {
			t.Errorf("filter %s: %d instances, want %d", c.name, len(got), c.want)
		}
	}
	_, err := e.describeInstances(&ec2.DescribeInstancesInput{Filters: []ec2types.Filter{filter("no-such-filter", "x")}})
	wantCode(t, err, "InvalidParameterValue", 400)
	_, err = e.describeInstances(&ec2.DescribeInstancesInput{InstanceIds: []string{"i-0123456789abcdef0", other[0]}})
	wantCode(t, err, "InvalidInstanceID.NotFound", 400)
	_, err = e.describeInstances(&ec2.DescribeInstancesInput{InstanceIds: []string{"i-nope"}})
	wantCode(t, err, "InvalidInstanceID.Malformed", 400)

	// Paging.
	n := 0
	p := ec2.NewDescribeInstancesPaginator(e.ec2, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)})
	e.launch(6, "")
	for p.HasMorePages() {
		page, err := p.NextPage(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Reservations {
			n += len(r.Instances)
		}
	}
	if n != 9 {
		t.Errorf("paging saw %d instances, want 9", n)
	}
}
