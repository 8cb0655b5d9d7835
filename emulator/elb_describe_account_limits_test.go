package emulator

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
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

// accountLimits answers DescribeAccountLimits as name -> Max.
func (e *env) accountLimits() map[string]string {
	e.t.Helper()
	out := must[*elb.DescribeAccountLimitsOutput](e.t)(e.elb.DescribeAccountLimits(e.ctx, &elb.DescribeAccountLimitsInput{}))
	got := map[string]string{}
	for _, l := range out.Limits {
		got[aws.ToString(l.Name)] = aws.ToString(l.Max)
	}
	return got
}

// The defaults are AWS's (Classic guide quotas; aws-cli's example answer).
func TestDescribeAccountLimitsDefaults(t *testing.T) {
	e := newEnv(t, Options{})
	want := map[string]string{"classic-load-balancers": "20", "classic-listeners": "100", "classic-registered-instances": "1000"}
	if got := e.accountLimits(); !maps.Equal(got, want) {
		t.Errorf("limits %v, want %v", got, want)
	}
}

// The quotas a user sets are the ones enforced and the ones reported.
func TestQuotasConfigured(t *testing.T) {
	e := newEnv(t, Options{MaxLoadBalancers: 2, MaxListenersPerLoadBalancer: 3, MaxInstancesPerLoadBalancer: 4})
	want := map[string]string{"classic-load-balancers": "2", "classic-listeners": "3", "classic-registered-instances": "4"}
	if got := e.accountLimits(); !maps.Equal(got, want) {
		t.Errorf("limits %v, want %v", got, want)
	}
	e.createLB("a", "us-east-1a")
	e.createLB("b", "us-east-1a")
	_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("c"),
		Listeners: httpListener, AvailabilityZones: []string{"us-east-1a"}})
	wantCode(t, err, "TooManyLoadBalancers", 400)
	var tooMany *elbtypes.TooManyAccessPointsException
	if !asError(err, &tooMany) {
		t.Errorf("SDK did not map TooManyLoadBalancers to TooManyAccessPointsException: %T", err)
	}
	noLoadBalancer(t, e, "c")
	// Deleting one makes room again.
	must[*elb.DeleteLoadBalancerOutput](t)(e.elb.DeleteLoadBalancer(e.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("b")}))
	e.createLB("c", "us-east-1a")

	tcp := func(ports ...int32) []elbtypes.Listener {
		var ls []elbtypes.Listener
		for _, p := range ports {
			ls = append(ls, elbtypes.Listener{Protocol: aws.String("TCP"), LoadBalancerPort: p, InstancePort: aws.Int32(80)})
		}
		return ls
	}
	if err := e.createListeners("a", tcp(1001, 1002)...); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.createListeners("a", tcp(1003)...), "InvalidConfigurationRequest", 409)
	if n := len(e.describedListeners("a")); n != 3 {
		t.Errorf("%d listeners after the refusal, want 3", n)
	}
	must[*elb.DeleteLoadBalancerOutput](t)(e.elb.DeleteLoadBalancer(e.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("c")}))
	_, err = e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("d"),
		Listeners: tcp(1, 2, 3, 4), AvailabilityZones: []string{"us-east-1a"}})
	wantCode(t, err, "InvalidConfigurationRequest", 409)
	noLoadBalancer(t, e, "d")
	if _, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("d"),
		Listeners: tcp(1, 2, 3), AvailabilityZones: []string{"us-east-1a"}}); err != nil {
		t.Errorf("three listeners at creation: %v", err)
	}
}

// A negative quota is unlimited, and reported so.
func TestQuotasUnlimited(t *testing.T) {
	e := newEnv(t, Options{MaxLoadBalancers: -1, MaxListenersPerLoadBalancer: -1, MaxInstancesPerLoadBalancer: -1})
	for _, max := range e.accountLimits() {
		if max != "unlimited" {
			t.Errorf("limits %v, want all unlimited", e.accountLimits())
			break
		}
	}
	for i := range maxLoadBalancers + 1 {
		e.createLB(fmt.Sprint("lb-", i), "us-east-1a")
	}
}
