package emulator

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// What the SDK's paginators rely on: PageSize bounds each page and NextMarker leads to the
// rest, until an answer has none.

func TestDescribeLoadBalancersNotFound(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("known", "us-east-1a")
	_, err := e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"known", "unknown"}})
	wantCode(t, err, "LoadBalancerNotFound", 400)
	var nf *elbtypes.AccessPointNotFoundException
	if !asError(err, &nf) {
		t.Errorf("SDK did not map LoadBalancerNotFound to AccessPointNotFoundException: %T", err)
	}
}

func TestDescribeLoadBalancersPaging(t *testing.T) {
	e := newEnv(t, Options{})
	var want []string
	for i := range 5 {
		name := fmt.Sprintf("page-%d", i)
		e.createLB(name, "us-east-1a")
		want = append(want, name)
	}
	var got []string
	pages := 0
	p := elb.NewDescribeLoadBalancersPaginator(e.elb, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, d := range out.LoadBalancerDescriptions {
			got = append(got, aws.ToString(d.LoadBalancerName))
		}
	}
	if pages != 3 || !slices.Equal(got, want) {
		t.Errorf("paging: %d pages, names %v; want 3 pages of %v", pages, got, want)
	}
	_, err := e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{Marker: aws.String("%%not-a-marker")})
	wantCode(t, err, "ValidationError", 400)
	_, err = e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(0)})
	wantCode(t, err, "ValidationError", 400)
	_, err = e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(401)})
	wantCode(t, err, "ValidationError", 400)
}

// lbPages follows DescribeLoadBalancers' paginator and returns the names page by page.
func lbPages(t *testing.T, e *env, pageSize int32) [][]string {
	t.Helper()
	var pages [][]string
	p := elb.NewDescribeLoadBalancersPaginator(e.elb, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(pageSize)}, func(o *elb.DescribeLoadBalancersPaginatorOptions) { o.StopOnDuplicateToken = true })
	for p.HasMorePages() && len(pages) < 20 {
		out, err := p.NextPage(e.ctx)
		if err != nil {
			t.Fatalf("DescribeLoadBalancers: %v", err)
		}
		var names []string
		for _, d := range out.LoadBalancerDescriptions {
			names = append(names, aws.ToString(d.LoadBalancerName))
		}
		pages = append(pages, names)
	}
	return pages
}

func TestDescribeLoadBalancersPages(t *testing.T) {
	e := newEnv(t, Options{})
	for _, n := range []string{"a", "b", "c"} {
		e.createLB(n, "us-east-1a")
	}
	pages := lbPages(t, e, 1)
	if !slices.EqualFunc(pages, [][]string{{"a"}, {"b"}, {"c"}}, slices.Equal) {
		t.Errorf("pages %v, want a, b, c one a page", pages)
	}
}
