package emulator

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

func TestCreateLoadBalancerDescription(t *testing.T) {
	e := newEnv(t, Options{})
	out := must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName:  aws.String("web-1"),
		Listeners:         httpListener,
		AvailabilityZones: []string{"us-east-1b", "us-east-1a"},
		Tags:              []elbtypes.Tag{{Key: aws.String("env"), Value: aws.String("test")}},
	}))
	dns := aws.ToString(out.DNSName)
	if !regexp.MustCompile(`^web-1-[0-9]+\.us-east-1\.elb\.amazonaws\.com$`).MatchString(dns) {
		t.Fatalf("DNSName %q does not look like <name>-<digits>.<region>.elb.amazonaws.com", dns)
	}
	desc := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{}))
	if len(desc.LoadBalancerDescriptions) != 1 {
		t.Fatalf("want 1 load balancer, got %d", len(desc.LoadBalancerDescriptions))
	}
	d := desc.LoadBalancerDescriptions[0]
	vpcs := must[*ec2.DescribeVpcsOutput](t)(e.ec2.DescribeVpcs(e.ctx, &ec2.DescribeVpcsInput{}))
	checks := []struct {
		what      string
		got, want any
	}{
		{"name", aws.ToString(d.LoadBalancerName), "web-1"},
		{"dns", aws.ToString(d.DNSName), dns},
		{"canonical name", aws.ToString(d.CanonicalHostedZoneName), dns},
		{"canonical id", aws.ToString(d.CanonicalHostedZoneNameID), "Z35SXDOTRQ7X7K"},
		{"zones", d.AvailabilityZones, []string{"us-east-1a", "us-east-1b"}},
		{"subnets", len(d.Subnets), 2},
		{"vpc", aws.ToString(d.VPCId), aws.ToString(vpcs.Vpcs[0].VpcId)},
		{"scheme", aws.ToString(d.Scheme), "internet-facing"},
		{"hc target", aws.ToString(d.HealthCheck.Target), "TCP:8080"},
		{"hc interval", aws.ToInt32(d.HealthCheck.Interval), int32(30)},
		{"hc timeout", aws.ToInt32(d.HealthCheck.Timeout), int32(5)},
		{"hc unhealthy", aws.ToInt32(d.HealthCheck.UnhealthyThreshold), int32(2)},
		{"hc healthy", aws.ToInt32(d.HealthCheck.HealthyThreshold), int32(10)},
		{"listeners", len(d.ListenerDescriptions), 1},
		{"listener proto", aws.ToString(d.ListenerDescriptions[0].Listener.Protocol), "HTTP"},
		{"listener instance proto", aws.ToString(d.ListenerDescriptions[0].Listener.InstanceProtocol), "HTTP"},
		{"listener port", d.ListenerDescriptions[0].Listener.LoadBalancerPort, int32(80)},
		{"instances", len(d.Instances), 0},
		{"security groups", len(d.SecurityGroups), 1},
		{"source sg", aws.ToString(d.SourceSecurityGroup.OwnerAlias), "123456789012"},
		{"policies", d.Policies != nil, true},
		{"created", d.CreatedTime != nil && !d.CreatedTime.IsZero(), true},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestCreateLoadBalancerIdempotentAndDuplicate(t *testing.T) {
	e := newEnv(t, Options{})
	in := &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("dup"), Listeners: httpListener, AvailabilityZones: []string{"us-east-1a"}}
	first := must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, in))
	again := must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, in))
	if aws.ToString(first.DNSName) != aws.ToString(again.DNSName) {
		t.Errorf("idempotent create changed DNSName: %s vs %s", aws.ToString(first.DNSName), aws.ToString(again.DNSName))
	}
	other := *in
	other.Listeners = []elbtypes.Listener{{Protocol: aws.String("TCP"), LoadBalancerPort: 443, InstancePort: aws.Int32(443)}}
	_, err := e.elb.CreateLoadBalancer(e.ctx, &other)
	wantCode(t, err, "DuplicateLoadBalancerName", 400)
	var dupErr *elbtypes.DuplicateAccessPointNameException
	if !asError(err, &dupErr) {
		t.Errorf("SDK did not map DuplicateLoadBalancerName to DuplicateAccessPointNameException: %T", err)
	}
}

func TestCreateLoadBalancerQuota(t *testing.T) {
	e := newEnv(t, Options{})
	for i := range maxLoadBalancers {
		e.createLB(fmt.Sprintf("lb-%02d", i), "us-east-1a")
	}
	_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("one-too-many"), Listeners: httpListener, AvailabilityZones: []string{"us-east-1a"},
	})
	wantCode(t, err, "TooManyLoadBalancers", 400)
}

func TestCreateLoadBalancerValidation(t *testing.T) {
	e := newEnv(t, Options{})
	other := must[*ec2.CreateVpcOutput](t)(e.ec2.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))
	sub1 := must[*ec2.CreateSubnetOutput](t)(e.ec2.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{
		VpcId: other.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")}))
	sub2 := must[*ec2.CreateSubnetOutput](t)(e.ec2.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{
		VpcId: other.Vpc.VpcId, CidrBlock: aws.String("10.0.2.0/24"), AvailabilityZone: aws.String("us-east-1a")}))
	defSubnets := must[*ec2.DescribeSubnetsOutput](t)(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{}))
	defaultSubnet := ""
	for _, s := range defSubnets.Subnets {
		if aws.ToBool(s.DefaultForAz) {
			defaultSubnet = aws.ToString(s.SubnetId)
		}
	}

	https := []elbtypes.Listener{{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstancePort: aws.Int32(80)}}
	cases := []struct {
		name   string
		mutate func(*elb.CreateLoadBalancerInput)
		code   string
		status int
	}{
		{"leading hyphen", func(in *elb.CreateLoadBalancerInput) { in.LoadBalancerName = aws.String("-bad") }, "ValidationError", 400},
		{"trailing hyphen", func(in *elb.CreateLoadBalancerInput) { in.LoadBalancerName = aws.String("bad-") }, "ValidationError", 400},
		{"underscore", func(in *elb.CreateLoadBalancerInput) { in.LoadBalancerName = aws.String("a_b") }, "ValidationError", 400},
		{"33 chars", func(in *elb.CreateLoadBalancerInput) { in.LoadBalancerName = aws.String(strings.Repeat("a", 33)) }, "ValidationError", 400},
		{"empty name", func(in *elb.CreateLoadBalancerInput) { in.LoadBalancerName = aws.String("") }, "ValidationError", 400},
		{"no zones or subnets", func(in *elb.CreateLoadBalancerInput) { in.AvailabilityZones = nil }, "ValidationError", 400},
		{"zones and subnets", func(in *elb.CreateLoadBalancerInput) { in.Subnets = []string{defaultSubnet} }, "ValidationError", 400},
		{"unknown zone", func(in *elb.CreateLoadBalancerInput) { in.AvailabilityZones = []string{"us-east-1z"} }, "ValidationError", 400},
		{"unknown subnet", func(in *elb.CreateLoadBalancerInput) {
			in.AvailabilityZones, in.Subnets = nil, []string{"subnet-0123456789abcdef0"}
		}, "SubnetNotFound", 400},
		{"subnets of two VPCs", func(in *elb.CreateLoadBalancerInput) {
			in.AvailabilityZones, in.Subnets = nil, []string{aws.ToString(sub1.Subnet.SubnetId), defaultSubnet}
		}, "InvalidConfigurationRequest", 409},
		{"two subnets in one zone", func(in *elb.CreateLoadBalancerInput) {
			in.AvailabilityZones, in.Subnets = nil, []string{aws.ToString(sub1.Subnet.SubnetId), aws.ToString(sub2.Subnet.SubnetId)}
		}, "InvalidConfigurationRequest", 409},
		{"bad protocol", func(in *elb.CreateLoadBalancerInput) {
			in.Listeners = []elbtypes.Listener{{Protocol: aws.String("UDP"), LoadBalancerPort: 53, InstancePort: aws.Int32(53)}}
		}, "UnsupportedProtocol", 400},
		{"https without certificate", func(in *elb.CreateLoadBalancerInput) { in.Listeners = https }, "ValidationError", 400},
		{"port out of range", func(in *elb.CreateLoadBalancerInput) {
			in.Listeners = []elbtypes.Listener{{Protocol: aws.String("TCP"), LoadBalancerPort: 70000, InstancePort: aws.Int32(1)}}
		}, "ValidationError", 400},
		{"duplicate listener port", func(in *elb.CreateLoadBalancerInput) {
			in.Listeners = append(slices.Clone(httpListener), elbtypes.Listener{Protocol: aws.String("TCP"), LoadBalancerPort: 80, InstancePort: aws.Int32(81)})
		}, "DuplicateListener", 400},
		{"bad scheme", func(in *elb.CreateLoadBalancerInput) { in.Scheme = aws.String("public") }, "InvalidScheme", 400},
		{"duplicate tag keys", func(in *elb.CreateLoadBalancerInput) {
			in.Tags = []elbtypes.Tag{{Key: aws.String("k")}, {Key: aws.String("k")}}
		}, "DuplicateTagKeys", 400},
		{"too many tags", func(in *elb.CreateLoadBalancerInput) {
			for i := range 11 {
				in.Tags = append(in.Tags, elbtypes.Tag{Key: aws.String(fmt.Sprint("k", i))})
			}
		}, "TooManyTags", 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("valid"), Listeners: httpListener, AvailabilityZones: []string{"us-east-1a"}}
			c.mutate(in)
			_, err := e.elb.CreateLoadBalancer(e.ctx, in)
			wantCode(t, err, c.code, c.status)
		})
	}
	// Nothing of the above may have created a load balancer.
	desc := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{}))
	if len(desc.LoadBalancerDescriptions) != 0 {
		t.Errorf("failed creates left %d load balancers", len(desc.LoadBalancerDescriptions))
	}
	// Missing Listeners (the SDK refuses to send it, so send it raw).
	r := e.post(elbForm("CreateLoadBalancer", "LoadBalancerName", "nolisteners", "AvailabilityZones.member.1", "us-east-1a"), "")
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "<Code>ValidationError</Code>") {
		t.Errorf("missing Listeners: got %d %s", r.status, r.body)
	}
}

func TestCreateLoadBalancerInVPC(t *testing.T) {
	e := newEnv(t, Options{})
	v := must[*ec2.CreateVpcOutput](t)(e.ec2.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")}))
	s := must[*ec2.CreateSubnetOutput](t)(e.ec2.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{
		VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.1.0.0/24"), AvailabilityZone: aws.String("us-east-1b")}))
	sg := e.createGroup("inner-sg", aws.ToString(v.Vpc.VpcId)) // the group must exist, in the VPC
	out := must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("inner"), Listeners: httpListener, Subnets: []string{aws.ToString(s.Subnet.SubnetId)},
		Scheme: aws.String("internal"), SecurityGroups: []string{sg},
	}))
	if !strings.HasPrefix(aws.ToString(out.DNSName), "internal-inner-") {
		t.Errorf("internal DNSName = %s", aws.ToString(out.DNSName))
	}
	d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{
		LoadBalancerNames: []string{"inner"}})).LoadBalancerDescriptions[0]
	if aws.ToString(d.VPCId) != aws.ToString(v.Vpc.VpcId) || aws.ToString(d.Scheme) != "internal" ||
		!slices.Equal(d.AvailabilityZones, []string{"us-east-1b"}) || !slices.Equal(d.SecurityGroups, []string{sg}) {
		t.Errorf("unexpected description: vpc %s scheme %s zones %v sgs %v", aws.ToString(d.VPCId), aws.ToString(d.Scheme), d.AvailabilityZones, d.SecurityGroups)
	}
}

// TestCreateLoadBalancerSameSettings: a repeated create with the same listeners, zones, scheme
// and tags (in any order) answers the existing DNS name; any of them different is
// DuplicateLoadBalancerName and changes nothing (docs/sources.md 23f).
func TestCreateLoadBalancerSameSettings(t *testing.T) {
	e := newEnv(t, Options{})
	tcp := elbtypes.Listener{Protocol: aws.String("TCP"), LoadBalancerPort: 9000, InstancePort: aws.Int32(9000)}
	base := func() *elb.CreateLoadBalancerInput {
		return &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("same"),
			Listeners:         []elbtypes.Listener{httpListener[0], tcp},
			AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
			Tags:              []elbtypes.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b")}}}
	}
	first := must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, base()))
	reordered := base()
	reordered.Listeners = []elbtypes.Listener{tcp, httpListener[0]}
	reordered.AvailabilityZones = []string{"us-east-1b", "us-east-1a", "us-east-1b"}
	reordered.Tags = []elbtypes.Tag{{Key: aws.String("b")}, {Key: aws.String("a"), Value: aws.String("1")}}
	again := must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, reordered))
	if aws.ToString(again.DNSName) != aws.ToString(first.DNSName) {
		t.Errorf("same settings answered %s, want %s", aws.ToString(again.DNSName), aws.ToString(first.DNSName))
	}
	for what, change := range map[string]func(*elb.CreateLoadBalancerInput){
		"other tag value": func(in *elb.CreateLoadBalancerInput) { in.Tags[1].Value = aws.String("x") },
		"no tags":         func(in *elb.CreateLoadBalancerInput) { in.Tags = nil },
		"other listeners": func(in *elb.CreateLoadBalancerInput) { in.Listeners = in.Listeners[:1] },
		"other zones":     func(in *elb.CreateLoadBalancerInput) { in.AvailabilityZones = in.AvailabilityZones[:1] },
		"other scheme":    func(in *elb.CreateLoadBalancerInput) { in.Scheme = aws.String("internal") },
	} {
		in := base()
		change(in)
		_, err := e.elb.CreateLoadBalancer(e.ctx, in)
		if err == nil {
			t.Errorf("%s: accepted", what)
			continue
		}
		wantCode(t, err, "DuplicateLoadBalancerName", 400)
	}
	d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{})).LoadBalancerDescriptions
	if len(d) != 1 || len(d[0].ListenerDescriptions) != 2 || len(d[0].AvailabilityZones) != 2 || aws.ToString(d[0].Scheme) != "internet-facing" {
		t.Errorf("after the refused creates: %d load balancers, %+v", len(d), d)
	}
	// Subnets count as the placement of a load balancer in a VPC.
	_, subs := e.vpcWithSubnets("10.4.0.0/16", "10.4.0.0/24", "10.4.1.0/24")
	vpcIn := func(subnets ...string) *elb.CreateLoadBalancerInput {
		return &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("in-vpc"), Listeners: httpListener, Subnets: subnets, Scheme: aws.String("internal")}
	}
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, vpcIn(subs...)))
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, vpcIn(subs[1], subs[0])))
	_, err := e.elb.CreateLoadBalancer(e.ctx, vpcIn(subs[0]))
	wantCode(t, err, "DuplicateLoadBalancerName", 400)
}

// TestCreateLoadBalancerListenerProtocols: a back end of the front end's layer is accepted, in
// any case, and an omitted one is the front end's without TLS; another layer is refused with
// InvalidConfigurationRequest (docs/sources.md 23c).
func TestCreateLoadBalancerListenerProtocols(t *testing.T) {
	e := newEnv(t, Options{})
	l := func(proto string, port int32, instProto string) elbtypes.Listener {
		out := elbtypes.Listener{Protocol: aws.String(proto), LoadBalancerPort: port, InstancePort: aws.Int32(80)}
		if instProto != "" {
			out.InstanceProtocol = aws.String(instProto)
		}
		return out
	}
	must[*elb.CreateLoadBalancerOutput](t)(e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("pairs"), AvailabilityZones: []string{"us-east-1a"},
		Listeners: []elbtypes.Listener{l("HTTP", 80, "HTTP"), l("http", 81, "https"), l("TCP", 82, "Tcp"), l("tcp", 83, "SSL"),
			l("HTTP", 84, ""), l("TCP", 85, ""), l("TCP", 1, ""), l("TCP", 65535, "")},
	}))
	d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"pairs"}}))
	got := map[int32]string{}
	for _, ld := range d.LoadBalancerDescriptions[0].ListenerDescriptions {
		got[ld.Listener.LoadBalancerPort] = aws.ToString(ld.Listener.Protocol) + ">" + aws.ToString(ld.Listener.InstanceProtocol)
	}
	want := map[int32]string{80: "HTTP>HTTP", 81: "HTTP>HTTPS", 82: "TCP>TCP", 83: "TCP>SSL", 84: "HTTP>HTTP", 85: "TCP>TCP", 1: "TCP>TCP", 65535: "TCP>TCP"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("listeners %v, want %v", got, want)
	}
	// Secure front ends need a certificate (section 21's), so only insecure ones here.
	for _, bad := range []elbtypes.Listener{l("HTTP", 80, "TCP"), l("HTTP", 80, "SSL"), l("TCP", 80, "HTTP"), l("tcp", 80, "https")} {
		_, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("bad-pair"),
			AvailabilityZones: []string{"us-east-1a"}, Listeners: []elbtypes.Listener{bad}})
		wantCode(t, err, "InvalidConfigurationRequest", 409)
	}
	if _, err := e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"bad-pair"}}); err == nil {
		t.Error("a refused create left bad-pair")
	}
}
