package emulator

import (
	"net/netip"
	"sync"
	"time"
)

// store is the emulator's whole state: the EC2 slice (VPCs, subnets, instances) and the ELB
// load balancers. One RWMutex guards it: mutations take the write lock, reads the read lock.
// Because time-dependent state is derived from timestamps (see instance.effectiveState and
// elb_health.go), reads never write and can run in parallel.
type store struct {
	mu sync.RWMutex

	region  string
	account string
	zones   []string

	instanceDelay time.Duration // pending->running, stopping->stopped, shutting-down->terminated

	defaultVPC *vpc
	vpcs       map[string]*vpc
	vpcOrder   []*vpc
	subnets    map[string]*subnet
	subnetList []*subnet

	instances     map[string]*instance
	instanceOrder []*instance // launch order, for DescribeInstances

	lbs map[string]*loadBalancer // by name
}

// newStore builds the initial world: a default VPC 172.31.0.0/16 with one default /20 subnet
// per zone, the layout every AWS account starts with: 172.31.0.0/20, 172.31.16.0/20, ... so
// the six zones of us-east-1 take 172.31.0.0-172.31.95.255 and a /16 has room for 16 zones.
func newStore(o Options) *store {
	s := &store{
		region:        o.Region,
		account:       o.AccountID,
		zones:         o.zones(),
		instanceDelay: o.InstanceStartDelay,
		vpcs:          map[string]*vpc{},
		subnets:       map[string]*subnet{},
		instances:     map[string]*instance{},
		lbs:           map[string]*loadBalancer{},
	}
	s.defaultVPC = s.addVPC(netip.MustParsePrefix("172.31.0.0/16"), true)
	for i, zone := range s.zones {
		prefix := netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 31, byte(16 * i), 0}), 20)
		s.addSubnet(s.defaultVPC, prefix, zone, true)
	}
	return s
}

func (s *store) addVPC(prefix netip.Prefix, isDefault bool) *vpc {
	v := &vpc{
		id:            "vpc-" + randomHex(17),
		prefix:        prefix,
		isDefault:     isDefault,
		securityGroup: "sg-" + randomHex(17),
	}
	s.vpcs[v.id] = v
	s.vpcOrder = append(s.vpcOrder, v)
	return v
}

func (s *store) addSubnet(v *vpc, prefix netip.Prefix, zone string, defaultForAZ bool) *subnet {
	sn := &subnet{
		id:           "subnet-" + randomHex(17),
		vpc:          v,
		prefix:       prefix,
		zone:         zone,
		defaultForAZ: defaultForAZ,
	}
	s.subnets[sn.id] = sn
	s.subnetList = append(s.subnetList, sn)
	return sn
}

// defaultSubnet returns the default VPC's subnet in zone, or nil for an unknown zone.
func (s *store) defaultSubnet(zone string) *subnet {
	for _, sn := range s.subnetList {
		if sn.defaultForAZ && sn.zone == zone {
			return sn
		}
	}
	return nil
}

func (s *store) validZone(zone string) bool {
	for _, z := range s.zones {
		if z == zone {
			return true
		}
	}
	return false
}

// zoneID maps a zone name to its AZ id like "use1-az6" (regions.go; informative only).
func (s *store) zoneID(zone string) string {
	return zoneIDOf(s.region, zone)
}

func splitDash(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
