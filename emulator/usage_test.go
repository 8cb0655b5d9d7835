package emulator

import (
	"encoding/json"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// TestUsageCountsWhatAWSBills launches two instances and creates two load balancers, ends one
// of each, and reads the tally two hours on: the ended ones count until they ended (and at
// least AWS's minimum), the others until then.
func TestUsageCountsWhatAWSBills(t *testing.T) {
	e := newEnv(t, Options{})
	start := time.Now()
	ids := e.launch(2, "us-east-1a")
	e.createLB("kept", "us-east-1a")
	e.createLB("gone", "us-east-1a")
	must[*elb.DeleteLoadBalancerOutput](t)(e.elb.DeleteLoadBalancer(e.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("gone")}))
	must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids[:1]}))
	ended := time.Since(start) // the terminated instance and deleted load balancer lived at most this long

	later := 2 * time.Hour
	u := e.srv.h.usage(start.Add(later))

	if u.InstancesLaunched != 2 || u.LoadBalancersCreated != 2 {
		t.Errorf("launched %d instances and created %d load balancers, want 2 and 2", u.InstancesLaunched, u.LoadBalancersCreated)
	}
	// The running instance counts about two hours, the terminated one at most `ended`;
	// billed, the terminated one counts AWS's minimum of 60 s.
	within(t, "instance-seconds", u.InstanceSeconds, later.Seconds(), later.Seconds()+ended.Seconds())
	within(t, "billed instance-seconds", u.BilledInstanceSeconds, later.Seconds()+60-ended.Seconds(), later.Seconds()+60)
	within(t, "load-balancer-seconds", u.LoadBalancerSeconds, later.Seconds()-ended.Seconds(), later.Seconds()+ended.Seconds())
	// The deleted one is one (partial) hour, the kept one a little less than two hours (it
	// was created after start): two.
	if u.BilledLoadBalancerHours != 1+2 {
		t.Errorf("billed load-balancer hours %d, want 3 (1 for the deleted one, 2 for the kept one)", u.BilledLoadBalancerHours)
	}
	for action, want := range map[string]int64{"RunInstances": 1, "CreateLoadBalancer": 2, "DeleteLoadBalancer": 1, "TerminateInstances": 1} {
		if got := u.APICallsByAction[action]; got != want {
			t.Errorf("%s counted %d times, want %d", action, got, want)
		}
	}
	if u.APICalls != 5 {
		t.Errorf("API calls %d, want 5 (%v)", u.APICalls, u.APICallsByAction)
	}
}

// TestUsageEndpoint answers the tally as JSON, counts an unknown action as "other" (a client
// cannot grow the tally with names of its own), and refuses anything but GET and HEAD.
func TestUsageEndpoint(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("one", "us-east-1a")
	e.post(elbForm("NoSuchAction"), "")

	r := e.get(usagePath)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET %s: %d %s %s", usagePath, r.status, r.header.Get("Content-Type"), r.body)
	}
	var u Usage
	if err := json.Unmarshal([]byte(r.body), &u); err != nil {
		t.Fatalf("answer %s: %v", r.body, err)
	}
	if u.LoadBalancersCreated != 1 || u.InstancesLaunched != 0 || u.BilledLoadBalancerHours != 1 {
		t.Errorf("answer %s: want one load balancer (one billed hour) and no instance", r.body)
	}
	if u.APICallsByAction["CreateLoadBalancer"] != 1 || u.APICallsByAction[otherAction] != 1 || u.APICallsByAction["NoSuchAction"] != 0 || u.APICalls != 2 {
		t.Errorf("answer %s: want CreateLoadBalancer 1 and other 1, 2 calls", r.body)
	}

	req := must[*http.Request](t)(http.NewRequest(http.MethodPost, e.srv.URL()+usagePath, nil))
	if r := e.do(req); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST %s: %d, Allow %q; want 405 and GET, HEAD", usagePath, r.status, r.header.Get("Allow"))
	}
}

func within(t *testing.T, what string, got, lo, hi float64) {
	t.Helper()
	if got < lo || got > hi || math.IsNaN(got) {
		t.Errorf("%s = %.3f, want %.3f to %.3f", what, got, lo, hi)
	}
}
