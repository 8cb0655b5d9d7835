package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Seeds are real request bodies as the aws-sdk-go-v2 clients serialise them (compare the
// SDK's request_snapshot files), plus known-awkward shapes.
var fuzzSeeds = []string{
	"Action=RegisterInstancesWithLoadBalancer&Instances.member.1.InstanceId=i-0123456789abcdef0&Instances.member.2.InstanceId=i-0123456789abcdef1&LoadBalancerName=web&Version=2012-06-01",
	"Action=DeregisterInstancesFromLoadBalancer&Instances.member.1.InstanceId=i-0123456789abcdef0&LoadBalancerName=web&Version=2012-06-01",
	"Action=DescribeInstanceHealth&Instances.member.1.InstanceId=i-0123456789abcdef0&LoadBalancerName=web&Version=2012-06-01",
	"Action=DescribeLoadBalancers&LoadBalancerNames.member.1=web&LoadBalancerNames.member.2=api&Marker=d2Vi&PageSize=1&Version=2012-06-01",
	"Action=CreateLoadBalancer&AvailabilityZones.member.1=us-east-1a&Listeners.member.1.InstancePort=80&Listeners.member.1.InstanceProtocol=HTTP&Listeners.member.1.LoadBalancerPort=80&Listeners.member.1.Protocol=HTTP&LoadBalancerName=web&Scheme=internet-facing&SecurityGroups.member.1=sg-1&Tags.member.1.Key=k&Tags.member.1.Value=v&Version=2012-06-01",
	"Action=ConfigureHealthCheck&HealthCheck.HealthyThreshold=2&HealthCheck.Interval=30&HealthCheck.Target=HTTP%3A80%2Fping&HealthCheck.Timeout=5&HealthCheck.UnhealthyThreshold=2&LoadBalancerName=web&Version=2012-06-01",
	"Action=EnableAvailabilityZonesForLoadBalancer&AvailabilityZones.member.1=us-east-1b&LoadBalancerName=web&Version=2012-06-01",
	"Action=AttachLoadBalancerToSubnets&LoadBalancerName=web&Subnets.member.1=subnet-1&Version=2012-06-01",
	"Action=AddTags&LoadBalancerNames.member.1=web&Tags.member.1.Key=k&Tags.member.1.Value=v&Version=2012-06-01",
	"Action=RunInstances&ImageId=ami-1&InstanceType=t3.micro&MaxCount=2&MinCount=1&Placement.AvailabilityZone=us-east-1a&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=x&Version=2016-11-15",
	"Action=DescribeInstances&Filter.1.Name=tag%3AName&Filter.1.Value.1=x&InstanceId.1=i-0123456789abcdef0&Version=2016-11-15",
	"Action=RegisterInstancesWithLoadBalancer&Instances.member.0.InstanceId=i-1&Instances.member.x.InstanceId=i-2&Instances.member.3.InstanceId=i-3&LoadBalancerName=web&Version=2012-06-01",
	"Action=%zz&&==&Version",
	"",
}

// FuzzDecodeForm checks the form decoder and list readers on arbitrary input: they never
// panic, list values are in ascending index order, and decoding what url.Values encodes gives
// the same values back.
func FuzzDecodeForm(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p := wire.Params{}
		if err := wire.DecodeForm(p, raw); err != nil {
			return
		}
		for _, prefix := range []string{"Instances.member", "LoadBalancerNames.member", "Filter", "TagSpecification", "InstanceId"} {
			_, _ = p.List(prefix)
			_, _ = p.FieldList(prefix, "InstanceId")
			if members, err := p.Structs(prefix); err == nil {
				for _, m := range members {
					_, _ = m.List("Value")
					_, _ = m.Structs("Tag")
				}
			}
		}
		// Round trip: re-encoding the decoded params decodes to the same map.
		var b strings.Builder
		for k, v := range p {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(urlQueryEscape(k) + "=" + urlQueryEscape(v))
		}
		again := wire.Params{}
		if err := wire.DecodeForm(again, b.String()); err != nil {
			t.Fatalf("re-encoded form does not decode: %v", err)
		}
		if len(again) != len(p) {
			t.Fatalf("round trip changed %d keys into %d", len(p), len(again))
		}
		for k, v := range p {
			if again[k] != v {
				t.Fatalf("round trip changed %q: %q -> %q", k, v, again[k])
			}
		}
	})
}

// FuzzDecodeRequest sends arbitrary bodies through the whole handler, as ELB and as EC2: the
// answer is never a 5xx, always well-formed XML, and the recover middleware is never hit.
func FuzzDecodeRequest(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "elasticloadbalancing")
		f.Add(s, "ec2")
	}
	h, err := newHandler(Options{RegistrationDelay: time.Millisecond, InstanceStartDelay: time.Millisecond})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body, service string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if service != "" {
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/"+service+"/aws4_request, Signature=0")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body.String())
		}
		var doc struct{ XMLName xml.Name }
		if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatalf("answer to %q is not XML (%v): %s", body, err, rec.Body.String())
		}
		if n := h.panics.Load(); n != 0 {
			t.Fatalf("recover middleware hit %d times", n)
		}
	})
}
