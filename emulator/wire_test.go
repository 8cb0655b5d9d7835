package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// elbErrorDoc is the awsQuery error envelope.
type elbErrorDoc struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Type    string   `xml:"Error>Type"`
	Code    string   `xml:"Error>Code"`
	Message string   `xml:"Error>Message"`
	ReqID   string   `xml:"RequestId"`
}

// ec2ErrorDoc is the ec2Query error envelope.
type ec2ErrorDoc struct {
	XMLName xml.Name `xml:"Response"`
	Code    string   `xml:"Errors>Error>Code"`
	Message string   `xml:"Errors>Error>Message"`
	ReqID   string   `xml:"RequestID"`
}

func decodeXML(t *testing.T, body string, v any) {
	t.Helper()
	if err := xml.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("answer is not the expected XML (%v): %s", err, wire.Truncate(body, 500))
	}
}

// wantELBError checks the whole awsQuery error shape of a raw answer.
func wantELBError(t *testing.T, r rawResponse, status int, code string) elbErrorDoc {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, wire.Truncate(r.body, 300))
	}
	var doc elbErrorDoc
	decodeXML(t, r.body, &doc)
	if doc.XMLName.Space != elbNamespace {
		t.Errorf("error namespace %q", doc.XMLName.Space)
	}
	wantType := "Sender"
	if status >= 500 {
		wantType = "Receiver"
	}
	if doc.Code != code || doc.Type != wantType || doc.Message == "" {
		t.Errorf("error %+v, want code %s type %s and a message", doc, code, wantType)
	}
	if !uuidPattern.MatchString(doc.ReqID) || r.header.Get("x-amzn-RequestId") != doc.ReqID {
		t.Errorf("request id %q / header %q", doc.ReqID, r.header.Get("x-amzn-RequestId"))
	}
	if ct := r.header.Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type %q", ct)
	}
	return doc
}

func TestHealthzAndReservedPaths(t *testing.T) {
	e := newEnv(t, Options{})
	if r := e.get("/healthz"); r.status != 200 || r.body != "ok" {
		t.Errorf("/healthz: %d %q", r.status, r.body)
	}
	if r := e.get("/_emulator/anything"); r.status != 404 {
		t.Errorf("/_emulator/anything: %d", r.status)
	}
}

func TestELBSuccessWireShape(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launchRunning(2, "us-east-1a")
	e.createLB("wire", "us-east-1a")
	r := e.post(elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "wire",
		"Instances.member.1.InstanceId", ids[0], "Instances.member.2.InstanceId", ids[1]), "")
	if r.status != 200 || r.header.Get("Content-Type") != "text/xml" {
		t.Fatalf("status %d content type %q", r.status, r.header.Get("Content-Type"))
	}
	var doc struct {
		XMLName   xml.Name `xml:"RegisterInstancesWithLoadBalancerResponse"`
		Instances []string `xml:"RegisterInstancesWithLoadBalancerResult>Instances>member>InstanceId"`
		ReqID     string   `xml:"ResponseMetadata>RequestId"`
	}
	decodeXML(t, r.body, &doc)
	if doc.XMLName.Space != elbNamespace {
		t.Errorf("namespace %q", doc.XMLName.Space)
	}
	if !sameSet(doc.Instances, ids) {
		t.Errorf("instances %v (need <Instances><member><InstanceId>)", doc.Instances)
	}
	if !uuidPattern.MatchString(doc.ReqID) || r.header.Get("x-amzn-RequestId") != doc.ReqID {
		t.Errorf("request id body %q header %q", doc.ReqID, r.header.Get("x-amzn-RequestId"))
	}
	// Scalar lists use <member> too, and GET with a query string works like POST.
	g := e.get("/?" + elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", "wire"))
	var d struct {
		Zones []string `xml:"DescribeLoadBalancersResult>LoadBalancerDescriptions>member>AvailabilityZones>member"`
	}
	decodeXML(t, g.body, &d)
	if g.status != 200 || len(d.Zones) != 1 || d.Zones[0] != "us-east-1a" {
		t.Errorf("GET DescribeLoadBalancers: %d zones %v", g.status, d.Zones)
	}
}

func TestELBErrorWireShapes(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launchRunning(1, "us-east-1a")
	e.createLB("err", "us-east-1a")
	must[[]string](t)(e.register("err", ids...))
	e.createLB("last-zone", "us-east-1a")
	cases := []struct {
		name   string
		form   string
		auth   string
		status int
		code   string
	}{
		{"LoadBalancerNotFound", elbForm("DescribeInstanceHealth", "LoadBalancerName", "nope"), "", 400, "LoadBalancerNotFound"},
		{"InvalidInstance", elbForm("DeregisterInstancesFromLoadBalancer", "LoadBalancerName", "err", "Instances.member.1.InstanceId", "i-0123456789abcdef0"), "", 400, "InvalidInstance"},
		{"InvalidConfigurationRequest", elbForm("DisableAvailabilityZonesForLoadBalancer", "LoadBalancerName", "last-zone", "AvailabilityZones.member.1", "us-east-1a"), "", 409, "InvalidConfigurationRequest"},
		{"DuplicateLoadBalancerName", elbForm("CreateLoadBalancer", "LoadBalancerName", "err", "AvailabilityZones.member.1", "us-east-1a",
			"Listeners.member.1.Protocol", "TCP", "Listeners.member.1.LoadBalancerPort", "25", "Listeners.member.1.InstancePort", "25"), "", 400, "DuplicateLoadBalancerName"},
		{"ValidationError", elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "err"), "", 400, "ValidationError"},
		{"unknown action", elbForm("FlyToTheMoon"), "", 400, "InvalidAction"},
		{"missing action", url.Values{"Version": {elbVersion}}.Encode(), "", 400, "MissingAction"},
		{"wrong version, ELB scope", "Action=DescribeLoadBalancers&Version=2015-12-01", "elasticloadbalancing", 400, "InvalidAction"},
		{"no version, ELB scope", "Action=DescribeLoadBalancers", "elasticloadbalancing", 400, "InvalidAction"},
		{"malformed escape", "Action=DescribeLoadBalancers&Version=2012-06-01&LoadBalancerNames.member.1=%zz", "", 400, "MalformedQueryString"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantELBError(t, e.post(c.form, c.auth), c.status, c.code)
		})
	}
}

func TestServiceRouting(t *testing.T) {
	e := newEnv(t, Options{})
	// The credential scope routes a request whose Version is missing.
	r := e.post("Action=DescribeVpcs", "ec2")
	var ec2Err ec2ErrorDoc
	decodeXML(t, r.body, &ec2Err)
	if r.status != 400 || ec2Err.Code != "NoSuchVersion" || ec2Err.ReqID == "" {
		t.Errorf("EC2 without version: %d %+v", r.status, ec2Err)
	}
	// Unknown service entirely: generic envelope, 400.
	r = e.post("Action=DescribeTargetGroups&Version=2015-12-01", "")
	var generic elbErrorDoc
	decodeXML(t, r.body, &generic)
	if r.status != 400 || generic.Code == "" || generic.XMLName.Space != "" {
		t.Errorf("unknown service: %d %+v", r.status, generic)
	}
	r = e.post("Action=DescribeTargetGroups&Version=2015-12-01", "elasticloadbalancingv2")
	if r.status != 400 {
		t.Errorf("unknown scope: %d", r.status)
	}
	// EC2 unknown action.
	r = e.post(ec2Form("LaunchRockets"), "")
	decodeXML(t, r.body, &ec2Err)
	if r.status != 400 || ec2Err.Code != "InvalidAction" {
		t.Errorf("EC2 unknown action: %d %+v", r.status, ec2Err)
	}
}

func TestEC2WireShape(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.post(ec2Form("DescribeAvailabilityZones"), "")
	var doc struct {
		XMLName xml.Name `xml:"DescribeAvailabilityZonesResponse"`
		ReqID   string   `xml:"requestId"`
		Zones   []string `xml:"availabilityZoneInfo>item>zoneName"`
	}
	decodeXML(t, r.body, &doc)
	if r.status != 200 || doc.XMLName.Space != ec2Namespace || !uuidPattern.MatchString(doc.ReqID) || len(doc.Zones) != len(zoneNames(defaultRegion)) {
		t.Errorf("EC2 answer %d %+v", r.status, doc)
	}
	r = e.post(ec2Form("DescribeInstances", "InstanceId.1", "i-0123456789abcdef0"), "")
	var ec2Err ec2ErrorDoc
	decodeXML(t, r.body, &ec2Err)
	if r.status != 400 || ec2Err.Code != "InvalidInstanceID.NotFound" || !uuidPattern.MatchString(ec2Err.ReqID) {
		t.Errorf("EC2 error %d %+v", r.status, ec2Err)
	}
}

// TestBadInputNeverFails5xx throws malformed and hostile requests at both services: every
// answer must be a well-formed non-5xx response, and the recover middleware must stay unused
// (checked by newEnv's cleanup).
func TestBadInputNeverFails5xx(t *testing.T) {
	e := newEnv(t, Options{})
	ids := e.launchRunning(2, "us-east-1a")
	e.createLB("target", "us-east-1a")
	var thousands strings.Builder
	thousands.WriteString(elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "target"))
	for i := 1; i <= 5000; i++ {
		fmt.Fprintf(&thousands, "&Instances.member.%d.InstanceId=%s", i, ids[i%2])
	}
	bodies := []string{
		"",
		"&&&",
		"=",
		"%",
		"Action=%ZZ",
		"\x00\x01\x02\xff",
		"Action=RegisterInstancesWithLoadBalancer&Version=2012-06-01&LoadBalancerName=target&Instances.member.99999999999.InstanceId=" + ids[0],
		"Action=RegisterInstancesWithLoadBalancer&Version=2012-06-01&LoadBalancerName=target&Instances.member..InstanceId=" + ids[0],
		"Action=RegisterInstancesWithLoadBalancer&Version=2012-06-01&LoadBalancerName=target&Instances.member.1=" + ids[0],
		"Action=RegisterInstancesWithLoadBalancer&Version=2012-06-01&LoadBalancerName=target&Instances.member.1.InstanceId=%00%01<>&\"'",
		"Action=RegisterInstancesWithLoadBalancer&Version=2012-06-01&LoadBalancerName=target&Instances=x",
		"Action=RegisterInstancesWithLoadBalancer&Action=Other&Version=2012-06-01&Version=bad",
		elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", strings.Repeat("n", 1<<20)),
		elbForm("DescribeLoadBalancers", "PageSize", "99999999999999999999999"),
		elbForm("DescribeLoadBalancers", "Marker", strings.Repeat("=", 1000)),
		elbForm("CreateLoadBalancer", "LoadBalancerName", "x", "Listeners.member.1.LoadBalancerPort", "-1", "AvailabilityZones.member.1", "us-east-1a"),
		elbForm("ConfigureHealthCheck", "LoadBalancerName", "target", "HealthCheck.Interval", "1e9"),
		elbForm("DescribeInstanceHealth", "LoadBalancerName", "target", "Instances.member.1.InstanceId", "\u00e9\u4e2d"),
		thousands.String(),
		ec2Form("RunInstances", "ImageId", "ami-1", "MinCount", "1", "MaxCount", "999999999"),
		ec2Form("RunInstances", "ImageId", "ami-1", "MinCount", "x", "MaxCount", "1"),
		ec2Form("DescribeInstances", "Filter.1.Name", "tag:Name", "Filter.1.Value.1", "[[[*"),
		ec2Form("DescribeInstances", "Filter.0.Name", "x"),
		ec2Form("DescribeInstances", "MaxResults", "5", "NextToken", "!!!"),
		ec2Form("CreateSubnet", "VpcId", "vpc-1", "CidrBlock", "not-a-cidr"),
		ec2Form("CreateTags", "ResourceId.1", "weird", "Tag.1.Key", "k"),
	}
	for i, body := range bodies {
		for _, auth := range []string{"", "elasticloadbalancing", "ec2"} {
			r := e.post(body, auth)
			if r.status >= 500 {
				t.Errorf("body #%d (auth %q) answered %d: %s", i, auth, r.status, wire.Truncate(r.body, 300))
			}
			if r.status != 200 && !strings.Contains(r.body, "<Code>") {
				t.Errorf("body #%d (auth %q): error without a code: %s", i, auth, wire.Truncate(r.body, 300))
			}
			var anyDoc struct{ XMLName xml.Name }
			if err := xml.Unmarshal([]byte(r.body), &anyDoc); err != nil {
				t.Errorf("body #%d (auth %q): answer is not well-formed XML: %v", i, auth, err)
			}
		}
	}
	// Registering via 5000 duplicate entries counts each instance once.
	if m := e.members("target"); !sameSet(m, ids) {
		t.Errorf("membership after hostile input: %v", m)
	}
}

// TestManyParameters registers more members in one call than net/url's 10,000-parameter
// limit allows, which the emulator's own form decoder must handle.
func TestManyParameters(t *testing.T) {
	e := newEnv(t, Options{MaxInstancesPerLoadBalancer: -1})
	ids := e.seedInstances(12000, "us-east-1a")
	e.createLB("many", "us-east-1a")
	var b strings.Builder
	b.WriteString(elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "many"))
	for i, id := range ids {
		fmt.Fprintf(&b, "&Instances.member.%d.InstanceId=%s", i+1, id)
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL(), strings.NewReader(b.String()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Count(string(body), "<InstanceId>") != 12000 {
		t.Fatalf("status %d, %d ids in answer", resp.StatusCode, strings.Count(string(body), "<InstanceId>"))
	}
}

// TestRecoverMiddleware checks the last-resort handler itself: a panic becomes a 500
// InternalFailure in the generic envelope and is counted (other tests assert the count is 0).
func TestRecoverMiddleware(t *testing.T) {
	h, err := newHandler(Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	func() {
		defer h.recoverPanic(rec, req)
		panic("boom")
	}()
	var doc elbErrorDoc
	decodeXML(t, rec.Body.String(), &doc)
	if rec.Code != 500 || doc.Code != "InternalFailure" || doc.Type != "Receiver" || h.panics.Load() != 1 {
		t.Errorf("recovered panic answered %d %+v (count %d)", rec.Code, doc, h.panics.Load())
	}
}
