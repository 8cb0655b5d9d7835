package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// signingRegion is the region newEnv's clients sign for: the emulator's, since it refuses
// requests signed for another region as AWS does.
func signingRegion(opts Options) string {
	if opts.Region == "" {
		return defaultRegion
	}
	return opts.Region
}

// describeZones answers DescribeAvailabilityZones as name -> zone.
func (e *env) describeZones(in *ec2.DescribeAvailabilityZonesInput) ([]string, map[string]ec2types.AvailabilityZone) {
	e.t.Helper()
	out := must[*ec2.DescribeAvailabilityZonesOutput](e.t)(e.ec2.DescribeAvailabilityZones(e.ctx, in))
	var names []string
	byName := map[string]ec2types.AvailabilityZone{}
	for _, z := range out.AvailabilityZones {
		names = append(names, aws.ToString(z.ZoneName))
		byName[aws.ToString(z.ZoneName)] = z
	}
	return names, byName
}

func TestZonesPerRegion(t *testing.T) {
	want := map[string][]string{ // the regions the brief names, from regions.go's source
		"us-east-1":      {"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"},
		"us-east-2":      {"us-east-2a", "us-east-2b", "us-east-2c"},
		"us-west-1":      {"us-west-1b", "us-west-1c"},
		"us-west-2":      {"us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"},
		"eu-west-1":      {"eu-west-1a", "eu-west-1b", "eu-west-1c"},
		"eu-west-2":      {"eu-west-2a", "eu-west-2b", "eu-west-2c"},
		"eu-central-1":   {"eu-central-1a", "eu-central-1b", "eu-central-1c"},
		"ap-southeast-1": {"ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"},
		"ap-southeast-2": {"ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"},
		"ap-northeast-1": {"ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"},
		"ca-central-1":   {"ca-central-1a", "ca-central-1b", "ca-central-1d"},
		"sa-east-1":      {"sa-east-1a", "sa-east-1b", "sa-east-1c"},
		"xx-nowhere-9":   {"xx-nowhere-9a", "xx-nowhere-9b", "xx-nowhere-9c"}, // not in the table
	}
	for region := range regionZones {
		if _, ok := want[region]; !ok {
			want[region] = zoneNames(region)
		}
	}
	for region, zones := range want {
		t.Run(region, func(t *testing.T) {
			e := newEnv(t, Options{Region: region})
			names, byName := e.describeZones(&ec2.DescribeAvailabilityZonesInput{})
			if !slices.Equal(names, zones) {
				t.Fatalf("DescribeAvailabilityZones lists %v, want %v", names, zones)
			}
			ids := map[string]bool{}
			for _, n := range names {
				z := byName[n]
				id := aws.ToString(z.ZoneId)
				if z.State != ec2types.AvailabilityZoneStateAvailable || aws.ToString(z.RegionName) != region ||
					aws.ToString(z.ZoneType) != "availability-zone" {
					t.Errorf("zone %s: state %s region %s type %s", n, z.State, aws.ToString(z.RegionName), aws.ToString(z.ZoneType))
				}
				if ids[id] || !strings.Contains(id, "-az") {
					t.Errorf("zone %s: id %q is malformed or not unique", n, id)
				}
				ids[id] = true
			}

			// One default /20 per zone in 172.31.0.0/16, none overlapping.
			subs := must[*ec2.DescribeSubnetsOutput](t)(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{
				{Name: aws.String("default-for-az"), Values: []string{"true"}}}}))
			if len(subs.Subnets) != len(zones) {
				t.Fatalf("%d default subnets for %d zones", len(subs.Subnets), len(zones))
			}
			vpc := netip.MustParsePrefix("172.31.0.0/16")
			var seen []netip.Prefix
			perZone := map[string]int{}
			for _, sn := range subs.Subnets {
				p := netip.MustParsePrefix(aws.ToString(sn.CidrBlock))
				if p.Bits() != 20 || !vpc.Contains(p.Addr()) {
					t.Errorf("default subnet %s is not a /20 of %s", p, vpc)
				}
				for _, o := range seen {
					if o.Overlaps(p) {
						t.Errorf("default subnets %s and %s overlap", o, p)
					}
				}
				seen = append(seen, p)
				zone := aws.ToString(sn.AvailabilityZone)
				perZone[zone]++
				if got, want := aws.ToString(sn.AvailabilityZoneId), aws.ToString(byName[zone].ZoneId); got != want {
					t.Errorf("subnet in %s has zone id %s, DescribeAvailabilityZones says %s", zone, got, want)
				}
			}
			for _, z := range zones {
				if perZone[z] != 1 {
					t.Errorf("zone %s has %d default subnets", z, perZone[z])
				}
			}
		})
	}
}

func TestUSEast1SixZones(t *testing.T) {
	e := newEnv(t, Options{})
	// The zone id filter and ZoneNames both know the sixth zone.
	names, _ := e.describeZones(&ec2.DescribeAvailabilityZonesInput{Filters: []ec2types.Filter{
		{Name: aws.String("zone-id"), Values: []string{"use1-az5"}}}})
	if !slices.Equal(names, []string{"us-east-1f"}) {
		t.Fatalf("zone-id use1-az5 is %v, want [us-east-1f]", names)
	}
	if names, _ = e.describeZones(&ec2.DescribeAvailabilityZonesInput{ZoneNames: []string{"us-east-1f", "us-east-1d"}}); !slices.Equal(names, []string{"us-east-1d", "us-east-1f"}) {
		t.Fatalf("ZoneNames us-east-1f, us-east-1d: %v", names)
	}
	_, err := e.ec2.DescribeAvailabilityZones(e.ctx, &ec2.DescribeAvailabilityZonesInput{ZoneNames: []string{"us-east-1g"}})
	wantCode(t, err, "InvalidParameterValue", 400)

	// An instance placed in us-east-1f lands in that zone's default subnet.
	id := e.launch(1, "us-east-1f")[0]
	out := must[*ec2.DescribeInstancesOutput](t)(e.ec2.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}))
	in := out.Reservations[0].Instances[0]
	if got := aws.ToString(in.Placement.AvailabilityZone); got != "us-east-1f" {
		t.Fatalf("instance placed in %s, want us-east-1f", got)
	}
	sub := must[*ec2.DescribeSubnetsOutput](t)(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{aws.ToString(in.SubnetId)}})).Subnets[0]
	if aws.ToString(sub.AvailabilityZone) != "us-east-1f" || !aws.ToBool(sub.DefaultForAz) || aws.ToString(sub.CidrBlock) != "172.31.80.0/20" {
		t.Errorf("instance subnet: zone %s default %v cidr %s", aws.ToString(sub.AvailabilityZone), aws.ToBool(sub.DefaultForAz), aws.ToString(sub.CidrBlock))
	}

	// A load balancer can span all six zones.
	all := []string{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"}
	e.createLB("six", all...)
	d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"six"}})).LoadBalancerDescriptions[0]
	if !slices.Equal(d.AvailabilityZones, all) || len(d.Subnets) != 6 {
		t.Errorf("six-zone load balancer: zones %v, %d subnets", d.AvailabilityZones, len(d.Subnets))
	}
	// A subnet the user creates must avoid the six default /20s.
	vpcs := must[*ec2.DescribeVpcsOutput](t)(e.ec2.DescribeVpcs(e.ctx, &ec2.DescribeVpcsInput{}))
	_, err = e.ec2.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: vpcs.Vpcs[0].VpcId, CidrBlock: aws.String("172.31.80.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	wantCode(t, err, "InvalidSubnet.Conflict", 400)
	must[*ec2.CreateSubnetOutput](t)(e.ec2.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: vpcs.Vpcs[0].VpcId, CidrBlock: aws.String("172.31.96.0/20"), AvailabilityZone: aws.String("us-east-1f")}))
}

func TestZoneIDs(t *testing.T) {
	cases := []struct{ region, zone, id string }{
		{"us-east-1", "us-east-1a", "use1-az6"},
		{"us-east-1", "us-east-1f", "use1-az5"},
		{"us-west-1", "us-west-1b", "usw1-az3"},
		{"ca-central-1", "ca-central-1d", "cac1-az4"},
		{"ap-northeast-1", "ap-northeast-1d", "apne1-az2"},
		{"xx-nowhere-9", "xx-nowhere-9c", "xxn9-az3"}, // derived: not in the table
		{"eu-south-2", "eu-south-2a", "eus2-az1"},
		{"ap-southeast-5", "ap-southeast-5b", "apse5-az2"},
		{"cn-northwest-1", "cn-northwest-1a", "cnnw1-az1"},
		{"us-gov-west-1", "us-gov-west-1c", "usgw1-az3"},
	}
	for _, c := range cases {
		if got := zoneIDOf(c.region, c.zone); got != c.id {
			t.Errorf("zoneIDOf(%s, %s) = %s, want %s", c.region, c.zone, got, c.id)
		}
	}
	// Every table entry belongs to its region and numbers its zones uniquely.
	for region, zones := range regionZones {
		if len(zones) < 2 {
			t.Errorf("%s: %d zones", region, len(zones))
		}
		prefix := derivedZoneID(region, region+"a")
		prefix = prefix[:len(prefix)-1]
		for i, z := range zones {
			if !strings.HasPrefix(z.name, region) || len(z.name) != len(region)+1 || !strings.HasPrefix(z.id, prefix) {
				t.Errorf("%s: zone %+v", region, z)
			}
			if i > 0 && zones[i-1].name >= z.name {
				t.Errorf("%s: zones not in name order at %s", region, z.name)
			}
		}
	}
}

// wrongRegionClients are SDK clients that sign for signed while talking to e.
func wrongRegionClients(e *env, signed string) (*elb.Client, *ec2.Client) {
	cfg := aws.Config{
		Region:      signed,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	}
	return elb.NewFromConfig(cfg, func(o *elb.Options) { o.BaseEndpoint = aws.String(e.srv.URL()) }),
		ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(e.srv.URL()) })
}

func wantWrongRegion(t *testing.T, err error, signed, served string) {
	t.Helper()
	wantCode(t, err, "SignatureDoesNotMatch", http.StatusForbidden)
	if !strings.Contains(err.Error(), "not '"+signed+"'") || !strings.Contains(err.Error(), "'"+served+"'") {
		t.Errorf("message names neither the signed region %s nor the served %s: %v", signed, served, err)
	}
}

func TestWrongRegionRefusedELB(t *testing.T) {
	e := newEnv(t, Options{Region: "eu-west-1"})
	e.createLB("mine", "eu-west-1a") // signed for eu-west-1: accepted
	elbc, _ := wrongRegionClients(e, "us-east-1")
	_, err := elbc.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{})
	wantWrongRegion(t, err, "us-east-1", "eu-west-1")
	// Refused before anything is done: the create does not happen.
	_, err = elbc.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName:  aws.String("theirs"),
		Listeners:         []elbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(80)}},
		AvailabilityZones: []string{"eu-west-1a"},
	})
	wantWrongRegion(t, err, "us-east-1", "eu-west-1")
	d := must[*elb.DescribeLoadBalancersOutput](t)(e.elb.DescribeLoadBalancers(e.ctx, &elb.DescribeLoadBalancersInput{}))
	if len(d.LoadBalancerDescriptions) != 1 {
		t.Errorf("%d load balancers after a refused create, want 1", len(d.LoadBalancerDescriptions))
	}

	// The awsQuery envelope: ErrorResponse, Type Sender, HTTP 403.
	r := rawSigned(t, e, http.MethodPost, "/", elbForm("DescribeLoadBalancers"), "ap-southeast-2", "elasticloadbalancing")
	if r.status != 403 || !strings.Contains(r.body, "<ErrorResponse xmlns=\""+elbNamespace+"\">") ||
		!strings.Contains(r.body, "<Type>Sender</Type>") || !strings.Contains(r.body, "<Code>SignatureDoesNotMatch</Code>") ||
		!strings.Contains(r.body, "not &#39;ap-southeast-2&#39;") && !strings.Contains(r.body, "not 'ap-southeast-2'") {
		t.Errorf("wrong-region ELB answer: %d %s", r.status, r.body)
	}
	// A presigned URL (X-Amz-Credential) is checked too.
	r = e.get("/?" + elbForm("DescribeLoadBalancers") + "&X-Amz-Credential=AKIDEXAMPLE%2F20260101%2Fus-west-2%2Felasticloadbalancing%2Faws4_request")
	if r.status != 403 || !strings.Contains(r.body, "<Code>SignatureDoesNotMatch</Code>") {
		t.Errorf("wrong-region presigned ELB answer: %d %s", r.status, r.body)
	}
	r = e.get("/?" + elbForm("DescribeLoadBalancers") + "&X-Amz-Credential=AKIDEXAMPLE%2F20260101%2Feu-west-1%2Felasticloadbalancing%2Faws4_request")
	if r.status != 200 {
		t.Errorf("right-region presigned ELB answer: %d %s", r.status, r.body)
	}
	// Unsigned requests (curl, tests) are accepted as before.
	if r := e.post(elbForm("DescribeLoadBalancers"), ""); r.status != 200 {
		t.Errorf("unsigned ELB request: %d %s", r.status, r.body)
	}
}

func TestWrongRegionRefusedEC2(t *testing.T) {
	e := newEnv(t, Options{Region: "ap-northeast-1"})
	_, ec2c := wrongRegionClients(e, "eu-west-1")
	_, err := ec2c.DescribeAvailabilityZones(e.ctx, &ec2.DescribeAvailabilityZonesInput{})
	wantWrongRegion(t, err, "eu-west-1", "ap-northeast-1")
	_, err = ec2c.RunInstances(e.ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	wantWrongRegion(t, err, "eu-west-1", "ap-northeast-1")
	if out := must[*ec2.DescribeInstancesOutput](t)(e.ec2.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{})); len(out.Reservations) != 0 {
		t.Errorf("a refused RunInstances launched %d reservations", len(out.Reservations))
	}

	// The ec2Query envelope: Response/Errors/Error, HTTP 403.
	r := rawSigned(t, e, http.MethodPost, "/", ec2Form("DescribeVpcs"), "us-east-1", "ec2")
	if r.status != 403 || !strings.HasPrefix(strings.TrimSpace(r.body[strings.Index(r.body, "?>")+2:]), "<Response><Errors><Error><Code>SignatureDoesNotMatch</Code>") ||
		!strings.Contains(r.body, "<RequestID>") {
		t.Errorf("wrong-region EC2 answer: %d %s", r.status, r.body)
	}
	// Without Version the credential scope picks the service, and the region is still checked.
	r = rawSigned(t, e, http.MethodPost, "/", "Action=DescribeVpcs", "us-east-1", "ec2")
	if r.status != 403 || !strings.Contains(r.body, "<Errors>") {
		t.Errorf("wrong-region EC2 answer without Version: %d %s", r.status, r.body)
	}
	if r := e.post(ec2Form("DescribeVpcs"), ""); r.status != 200 {
		t.Errorf("unsigned EC2 request: %d %s", r.status, r.body)
	}
	if r := rawSigned(t, e, http.MethodPost, "/", ec2Form("DescribeVpcs"), "ap-northeast-1", "ec2"); r.status != 200 {
		t.Errorf("right-region EC2 request: %d %s", r.status, r.body)
	}
}

func TestCredentialScope(t *testing.T) {
	cases := []struct {
		auth, query string
		region, svc string
		ok          bool
	}{
		{"AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ec2/aws4_request, SignedHeaders=host, Signature=00", "", "eu-west-1", "ec2", true},
		{"AWS4-HMAC-SHA256 Credential=AKID/20260101//ec2/aws4_request, Signature=00", "", "", "ec2", true},
		{"AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ec2, Signature=00", "", "", "", false},
		{"AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ec2/aws4_request/x, Signature=00", "", "", "", false},
		{"Bearer token", "", "", "", false},
		{"", "X-Amz-Credential=AKID%2F20260101%2Fus-west-2%2Felasticloadbalancing%2Faws4_request", "us-west-2", "elasticloadbalancing", true},
		{"", "Action=DescribeVpcs", "", "", false},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(http.MethodGet, "http://x/?"+c.query, nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		region, svc, ok := wire.CredentialScope(req)
		if region != c.region || svc != c.svc || ok != c.ok {
			t.Errorf("wire.CredentialScope(%q, %q) = %q, %q, %v; want %q, %q, %v", c.auth, c.query, region, svc, ok, c.region, c.svc, c.ok)
		}
	}
}

// rawSigned sends a request whose Authorization header names region and service (the
// signature itself is not checked by the emulator).
func rawSigned(t *testing.T, e *env, method, path, body, region, service string) rawResponse {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/"+region+"/"+service+
		"/aws4_request, SignedHeaders=host, Signature=00")
	return e.do(req)
}
