package emulator

import (
	"strconv"
	"strings"
)

// Availability zones per region, as AWS lists them.
//
// The zone names and AZ ids below are one account's DescribeAvailabilityZones
// answer, as captured in moto's table of regions and zones:
//
//	https://github.com/getmoto/moto/blob/master/moto/ec2/models/availability_zones_and_regions.py
//	e.g. us-east-1: us-east-1a use1-az6, us-east-1b use1-az1, ... us-east-1f use1-az5;
//	     us-west-1: us-west-1b usw1-az3, us-west-1c usw1-az1 (two zones only);
//	     ca-central-1: ca-central-1a, ca-central-1b, ca-central-1d (no 1c).
//
// The zone counts agree with AWS's own list of AZ ids per region,
// https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html
// ("The code for an Availability Zone is its Region code followed by a letter
// identifier"; "An AZ ID consists of the first three letters of the Region code,
// followed by the number at the end of the Region code, followed by -az, followed
// by a number"). In the oldest regions AWS maps names to physical zones per
// account, so another account may see other letters (us-west-1a and 1b, say) or
// another name-to-id mapping; what every account sees is the number of zones,
// and in regions opened after 2012 the names and ids here.
//
// A region not in the table gets <region>a, b and c with ids <short>-az1..3.

// zoneInfo is one availability zone: its name and its AZ id.
type zoneInfo struct {
	name string
	id   string
}

// regionZones lists each region's zones in the order EC2 lists them (by name).
var regionZones = map[string][]zoneInfo{
	"us-east-1": {
		{"us-east-1a", "use1-az6"}, {"us-east-1b", "use1-az1"}, {"us-east-1c", "use1-az2"},
		{"us-east-1d", "use1-az4"}, {"us-east-1e", "use1-az3"}, {"us-east-1f", "use1-az5"},
	},
	"us-east-2": {{"us-east-2a", "use2-az1"}, {"us-east-2b", "use2-az2"}, {"us-east-2c", "use2-az3"}},
	"us-west-1": {{"us-west-1b", "usw1-az3"}, {"us-west-1c", "usw1-az1"}},
	"us-west-2": {
		{"us-west-2a", "usw2-az2"}, {"us-west-2b", "usw2-az1"}, {"us-west-2c", "usw2-az3"}, {"us-west-2d", "usw2-az4"},
	},
	"ca-central-1": {{"ca-central-1a", "cac1-az1"}, {"ca-central-1b", "cac1-az2"}, {"ca-central-1d", "cac1-az4"}},
	"sa-east-1":    {{"sa-east-1a", "sae1-az1"}, {"sa-east-1b", "sae1-az2"}, {"sa-east-1c", "sae1-az3"}},
	"eu-west-1":    {{"eu-west-1a", "euw1-az3"}, {"eu-west-1b", "euw1-az1"}, {"eu-west-1c", "euw1-az2"}},
	"eu-west-2":    {{"eu-west-2a", "euw2-az2"}, {"eu-west-2b", "euw2-az3"}, {"eu-west-2c", "euw2-az1"}},
	"eu-west-3":    {{"eu-west-3a", "euw3-az1"}, {"eu-west-3b", "euw3-az2"}, {"eu-west-3c", "euw3-az3"}},
	"eu-central-1": {{"eu-central-1a", "euc1-az2"}, {"eu-central-1b", "euc1-az3"}, {"eu-central-1c", "euc1-az1"}},
	"eu-central-2": {{"eu-central-2a", "euc2-az1"}, {"eu-central-2b", "euc2-az2"}, {"eu-central-2c", "euc2-az3"}},
	"eu-north-1":   {{"eu-north-1a", "eun1-az1"}, {"eu-north-1b", "eun1-az2"}, {"eu-north-1c", "eun1-az3"}},
	"eu-south-1":   {{"eu-south-1a", "eus1-az1"}, {"eu-south-1b", "eus1-az2"}, {"eu-south-1c", "eus1-az3"}},
	"ap-southeast-1": {
		{"ap-southeast-1a", "apse1-az1"}, {"ap-southeast-1b", "apse1-az2"}, {"ap-southeast-1c", "apse1-az3"},
	},
	"ap-southeast-2": {
		{"ap-southeast-2a", "apse2-az1"}, {"ap-southeast-2b", "apse2-az3"}, {"ap-southeast-2c", "apse2-az2"},
	},
	"ap-southeast-3": {
		{"ap-southeast-3a", "apse3-az1"}, {"ap-southeast-3b", "apse3-az2"}, {"ap-southeast-3c", "apse3-az3"},
	},
	"ap-northeast-1": {
		{"ap-northeast-1a", "apne1-az4"}, {"ap-northeast-1c", "apne1-az1"}, {"ap-northeast-1d", "apne1-az2"},
	},
	"ap-northeast-2": {
		{"ap-northeast-2a", "apne2-az1"}, {"ap-northeast-2b", "apne2-az2"},
		{"ap-northeast-2c", "apne2-az3"}, {"ap-northeast-2d", "apne2-az4"},
	},
	"ap-northeast-3": {
		{"ap-northeast-3a", "apne3-az1"}, {"ap-northeast-3b", "apne3-az2"}, {"ap-northeast-3c", "apne3-az3"},
	},
	"ap-south-1": {{"ap-south-1a", "aps1-az1"}, {"ap-south-1b", "aps1-az3"}, {"ap-south-1c", "aps1-az2"}},
	"ap-east-1":  {{"ap-east-1a", "ape1-az1"}, {"ap-east-1b", "ape1-az2"}, {"ap-east-1c", "ape1-az3"}},
	"af-south-1": {{"af-south-1a", "afs1-az1"}, {"af-south-1b", "afs1-az2"}, {"af-south-1c", "afs1-az3"}},
	"me-south-1": {{"me-south-1a", "mes1-az1"}, {"me-south-1b", "mes1-az2"}, {"me-south-1c", "mes1-az3"}},
}

// fallbackZoneLetters are the zones of a region missing from regionZones.
const fallbackZoneLetters = "abc"

// zonesOf returns the zones of region: the table's, or <region>a, b, c.
func zonesOf(region string) []zoneInfo {
	if zs, ok := regionZones[region]; ok {
		return zs
	}
	out := make([]zoneInfo, 0, len(fallbackZoneLetters))
	for _, l := range fallbackZoneLetters {
		name := region + string(l)
		out = append(out, zoneInfo{name: name, id: derivedZoneID(region, name)})
	}
	return out
}

// zoneNames returns the names of region's zones, in order.
func zoneNames(region string) []string {
	zs := zonesOf(region)
	out := make([]string, len(zs))
	for i, z := range zs {
		out[i] = z.name
	}
	return out
}

// zoneIDOf returns the AZ id of zone in region: the table's, or one derived from the
// zone's letter (a -> az1) for a region outside the table.
func zoneIDOf(region, zone string) string {
	for _, z := range regionZones[region] {
		if z.name == zone {
			return z.id
		}
	}
	return derivedZoneID(region, zone)
}

// derivedZoneID builds "use1-az1" from region "us-east-1" and zone "us-east-1a": the first
// part of the region, the initials of the middle parts (two for the compound directions:
// southeast -> se, as in apse2), the number, "-az", the letter's rank (a -> 1).
func derivedZoneID(region, zone string) string {
	short := []byte{}
	parts := splitDash(region)
	for i, p := range parts {
		switch {
		case i == 0 || i == len(parts)-1:
			short = append(short, p...)
		case p == "":
		default:
			short = append(short, p[0])
			for _, dir := range []string{"north", "south"} {
				if len(p) > len(dir) && strings.HasPrefix(p, dir) {
					short = append(short, p[len(dir)])
				}
			}
		}
	}
	suffix := 0
	if zone != "" {
		if l := zone[len(zone)-1]; l >= 'a' && l <= 'z' {
			suffix = int(l-'a') + 1
		}
	}
	return string(short) + "-az" + strconv.Itoa(suffix)
}
