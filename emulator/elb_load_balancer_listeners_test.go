package emulator

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// describedListeners answers the listeners DescribeLoadBalancers shows for lb.
func (e *env) describedListeners(lb string) []elbtypes.Listener {
	e.t.Helper()
	out := must[*elb.DescribeLoadBalancersOutput](e.t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{lb}}))
	var ls []elbtypes.Listener
	for _, d := range out.LoadBalancerDescriptions[0].ListenerDescriptions {
		ls = append(ls, *d.Listener)
	}
	return ls
}

func listenerPorts(ls []elbtypes.Listener) []int32 {
	out := make([]int32, len(ls))
	for i, l := range ls {
		out[i] = l.LoadBalancerPort
	}
	return out
}

func (e *env) createListeners(lb string, ls ...elbtypes.Listener) error {
	_, err := e.elb.CreateLoadBalancerListeners(e.ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String(lb), Listeners: ls})
	return err
}

func (e *env) deleteListeners(lb string, ports ...int32) error {
	_, err := e.elb.DeleteLoadBalancerListeners(e.ctx, &elb.DeleteLoadBalancerListenersInput{LoadBalancerName: aws.String(lb), LoadBalancerPorts: ports})
	return err
}

var tcpListener = elbtypes.Listener{Protocol: aws.String("TCP"), LoadBalancerPort: 8443, InstancePort: aws.Int32(9443)}

func TestCreateLoadBalancerListeners(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("lsn", "us-east-1a")

	if err := e.createListeners("lsn", tcpListener); err != nil {
		t.Fatal(err)
	}
	ls := e.describedListeners("lsn")
	if !slices.Equal(listenerPorts(ls), []int32{80, 8443}) {
		t.Fatalf("listeners %v, want 80 and 8443", listenerPorts(ls))
	}
	if l := ls[1]; aws.ToString(l.Protocol) != "TCP" || aws.ToString(l.InstanceProtocol) != "TCP" || aws.ToInt32(l.InstancePort) != 9443 {
		t.Errorf("new listener %+v", l)
	}

	// Idempotent: the same listener again (with InstanceProtocol now explicit, the default)
	// succeeds and is not listed twice.
	same := httpListener[0]
	same.InstanceProtocol = aws.String("HTTP")
	if err := e.createListeners("lsn", same, tcpListener); err != nil {
		t.Fatalf("identical listeners again: %v", err)
	}
	if got := listenerPorts(e.describedListeners("lsn")); !slices.Equal(got, []int32{80, 8443}) {
		t.Errorf("after repeating: %v", got)
	}

	// A port in use with other settings is DuplicateListener; all-or-nothing, so the new
	// port sent with it is not added either.
	other := elbtypes.Listener{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(9090)}
	fresh := elbtypes.Listener{Protocol: aws.String("HTTP"), LoadBalancerPort: 81, InstancePort: aws.Int32(8080)}
	err := e.createListeners("lsn", fresh, other)
	wantCode(t, err, "DuplicateListener", 400)
	ls = e.describedListeners("lsn")
	if !slices.Equal(listenerPorts(ls), []int32{80, 8443}) || aws.ToInt32(ls[0].InstancePort) != 8080 {
		t.Errorf("after a refused call: %+v", ls)
	}

	// Validation shared with CreateLoadBalancer.
	for _, bad := range []elbtypes.Listener{
		{Protocol: aws.String("FTP"), LoadBalancerPort: 21, InstancePort: aws.Int32(21)},
		{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstancePort: aws.Int32(80)},
		{Protocol: aws.String("HTTP"), LoadBalancerPort: 70000, InstancePort: aws.Int32(80)},
	} {
		err := e.createListeners("lsn", bad)
		if code := apiCode(err); code != "UnsupportedProtocol" && code != "ValidationError" {
			t.Errorf("listener %+v: %v", bad, err)
		}
	}
	_, certARN := e.uploadNew("test") // iam_helpers_test.go
	https := elbtypes.Listener{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstancePort: aws.Int32(80), SSLCertificateId: aws.String(certARN)}
	if err := e.createListeners("lsn", https); err != nil {
		t.Errorf("HTTPS with a certificate: %v", err)
	}
	wantCode(t, e.createListeners("lsn", fresh, fresh), "DuplicateListener", 400)
	wantCode(t, e.createListeners("nope", fresh), "LoadBalancerNotFound", 400)
	r := e.post(elbForm("CreateLoadBalancerListeners", "LoadBalancerName", "lsn"), "")
	if r.status != 400 || !strings.Contains(r.body, "ValidationError") {
		t.Errorf("without Listeners: %d %s", r.status, r.body)
	}
	if got := listenerPorts(e.describedListeners("lsn")); !slices.Equal(got, []int32{80, 8443, 443}) {
		t.Errorf("finally %v", got)
	}
}

func TestCreateLoadBalancerListenersLimit(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("lsn", "us-east-1a")
	var ls []elbtypes.Listener
	for port := int32(1000); len(ls) < maxListenersPerLB; port++ {
		ls = append(ls, elbtypes.Listener{Protocol: aws.String("TCP"), LoadBalancerPort: port, InstancePort: aws.Int32(80)})
	}
	// 100 in one request is too many (the load balancer already has one).
	err := e.createListeners("lsn", ls...)
	wantCode(t, err, "InvalidConfigurationRequest", 409)
	if err := e.createListeners("lsn", ls[:maxListenersPerLB-1]...); err != nil {
		t.Fatal(err)
	}
	if n := len(e.describedListeners("lsn")); n != maxListenersPerLB {
		t.Fatalf("%d listeners", n)
	}
	wantCode(t, e.createListeners("lsn", tcpListener), "InvalidConfigurationRequest", 409)
}

func TestDeleteLoadBalancerListeners(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("lsn", "us-east-1a")
	if err := e.createListeners("lsn", tcpListener); err != nil {
		t.Fatal(err)
	}
	e.srv.h.st.mu.Lock()
	e.srv.h.st.elb.lbs["lsn"].listenerPolicies[8443] = []string{"p"}
	e.srv.h.st.mu.Unlock()

	if err := e.deleteListeners("lsn", 8443); err != nil {
		t.Fatal(err)
	}
	if got := listenerPorts(e.describedListeners("lsn")); !slices.Equal(got, []int32{80}) {
		t.Errorf("after delete: %v", got)
	}
	e.srv.h.st.mu.RLock()
	_, kept := e.srv.h.st.elb.lbs["lsn"].listenerPolicies[8443]
	e.srv.h.st.mu.RUnlock()
	if kept {
		t.Error("the deleted listener's policies were kept")
	}

	// A port without a listener is not an error.
	if err := e.deleteListeners("lsn", 8443, 9999); err != nil {
		t.Errorf("ports without listeners: %v", err)
	}
	// The last listener may go.
	if err := e.deleteListeners("lsn", 80); err != nil {
		t.Fatal(err)
	}
	if got := e.describedListeners("lsn"); len(got) != 0 {
		t.Errorf("after deleting the last: %v", got)
	}
	// ...and come back.
	if err := e.createListeners("lsn", httpListener...); err != nil {
		t.Fatal(err)
	}

	wantCode(t, e.deleteListeners("nope", 80), "LoadBalancerNotFound", 400)
	for _, form := range []string{
		elbForm("DeleteLoadBalancerListeners", "LoadBalancerName", "lsn"),
		elbForm("DeleteLoadBalancerListeners", "LoadBalancerName", "lsn", "LoadBalancerPorts.member.1", "http"),
		elbForm("DeleteLoadBalancerListeners", "LoadBalancerName", "lsn", "LoadBalancerPorts.member.1", "0"),
	} {
		if r := e.post(form, ""); r.status != 400 || !strings.Contains(r.body, "ValidationError") {
			t.Errorf("%s: %d %s", form, r.status, r.body)
		}
	}
	if got := listenerPorts(e.describedListeners("lsn")); !slices.Equal(got, []int32{80}) {
		t.Errorf("after refused calls: %v", got)
	}
}

// TestCreateLoadBalancerListenersProtocolPairs: CreateLoadBalancerListeners applies
// CreateLoadBalancer's layer rule (docs/sources.md 23c) and adds nothing when it refuses.
func TestCreateLoadBalancerListenersProtocolPairs(t *testing.T) {
	e := newEnv(t, Options{})
	e.createLB("lb", "us-east-1a")
	_, err := e.elb.CreateLoadBalancerListeners(e.ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String("lb"),
		Listeners: []elbtypes.Listener{
			{Protocol: aws.String("TCP"), LoadBalancerPort: 9000, InstanceProtocol: aws.String("TCP"), InstancePort: aws.Int32(9000)},
			{Protocol: aws.String("HTTP"), LoadBalancerPort: 9001, InstanceProtocol: aws.String("TCP"), InstancePort: aws.Int32(9001)},
		}})
	wantCode(t, err, "InvalidConfigurationRequest", 409)
	d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"lb"}}))
	if n := len(d.LoadBalancerDescriptions[0].ListenerDescriptions); n != 1 {
		t.Errorf("%d listeners after a refused call, want 1", n)
	}
}
