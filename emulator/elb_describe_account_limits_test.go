package emulator

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// What the SDK's paginators rely on: PageSize bounds each page and NextMarker leads to the
// rest, until an answer has none.

func TestDescribeAccountLimits(t *testing.T) {
	e := newEnv(t, Options{MaxInstancesPerLoadBalancer: 7})
	out := must[*elb.DescribeAccountLimitsOutput](t)(e.elb.DescribeAccountLimits(e.ctx, &elb.DescribeAccountLimitsInput{}))
	got := map[string]string{}
	for _, l := range out.Limits {
		got[aws.ToString(l.Name)] = aws.ToString(l.Max)
	}
	if got["classic-load-balancers"] != "20" || got["classic-registered-instances"] != "7" {
		t.Errorf("limits %v", got)
	}
}

var allLimits = []string{"classic-listeners", "classic-load-balancers", "classic-registered-instances"}

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
