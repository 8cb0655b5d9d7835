package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/modes"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// What the SDK's paginators rely on: PageSize bounds each page and NextMarker leads to the
// rest, until an answer has none.

// accountLimitPages follows DescribeAccountLimits' NextMarker by hand (the SDK has no
// paginator for it) and returns the limit names page by page.
func accountLimitPages(t *testing.T, e *env, pageSize int32) [][]string {
	t.Helper()
	var pages [][]string
	in := &elb.DescribeAccountLimitsInput{PageSize: aws.Int32(pageSize)}
	for range 10 {
		out, err := e.elb.DescribeAccountLimits(e.ctx, in)
		if err != nil {
			t.Fatalf("DescribeAccountLimits: %v", err)
		}
		var names []string
		for _, l := range out.Limits {
			names = append(names, aws.ToString(l.Name))
		}
		pages = append(pages, names)
		if aws.ToString(out.NextMarker) == "" {
			return pages
		}
		in.Marker = out.NextMarker
	}
	t.Fatalf("more than 10 pages: %v", pages)
	return nil
}

var allLimits = []string{"classic-listeners", "classic-load-balancers", "classic-registered-instances"}

func TestDescribeAccountLimitsPages(t *testing.T) {
	e := newEnv(t, Options{})
	pages := accountLimitPages(t, e, 1)
	var all []string
	for _, p := range pages {
		if len(p) != 1 {
			t.Errorf("page %v, want one limit (PageSize 1)", p)
		}
		all = append(all, p...)
	}
	if slices.Sort(all); !slices.Equal(all, allLimits) {
		t.Errorf("limits across pages %v, want %v", all, allLimits)
	}
	if pages := accountLimitPages(t, e, 400); len(pages) != 1 || len(pages[0]) != 3 {
		t.Errorf("PageSize 400: pages %v, want one page with all three", pages)
	}
	for _, bad := range [][2]string{{"PageSize", "0"}, {"PageSize", "401"}, {"Marker", "bm9wZQ"}} {
		r := e.post(elbForm("DescribeAccountLimits", bad[0], bad[1]), "")
		if r.status != 400 || !strings.Contains(r.body, "<Code>ValidationError</Code>") {
			t.Errorf("%s=%s: got %d %s, want 400 ValidationError", bad[0], bad[1], r.status, r.body)
		}
	}
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

func init() {
	faultTests[modes.FaultDescribeLBsNoNextMarker] = func(t *testing.T, e *env) {
		for _, n := range []string{"a", "b", "c"} {
			e.createLB(n, "us-east-1a")
		}
		if pages := lbPages(t, e, 1); !slices.EqualFunc(pages, [][]string{{"a"}}, slices.Equal) {
			t.Errorf("pages %v, want only the first page, a", pages)
		}
	}
	faultTests[modes.FaultAccountLimitsNoPaging] = func(t *testing.T, e *env) {
		pages := accountLimitPages(t, e, 1)
		if len(pages) != 1 || len(pages[0]) != 3 {
			t.Errorf("pages %v, want one page with every limit despite PageSize 1", pages)
		}
	}
}
