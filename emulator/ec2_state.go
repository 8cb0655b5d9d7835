package emulator

import (
	"net/netip"
	"time"
)

// ec2State is the EC2 part of the store: VPCs, subnets and instances. Its methods that ELB
// may call are those of ec2Reader (services.go); it tells ELB about terminations, backend
// tags and subnets to delete through elb, an elbHooks. The caller holds the store lock.
type ec2State struct {
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
	instanceOrder []*instance          // launch order, for DescribeInstances
	tokenRuns     map[string]*tokenRun // RunInstances calls by client token (ec2_client_token.go)

	securityGroups map[string]*securityGroup // by id
	sgOrder        []*securityGroup          // creation order, for DescribeSecurityGroups

	elb elbHooks // what ELB must hear of (set by newHandler)
}

// newEC2State builds the initial world: a default VPC 172.31.0.0/16 with one default /20
// subnet per zone, the layout every AWS account starts with: 172.31.0.0/20, 172.31.16.0/20,
// ... so the six zones of us-east-1 take 172.31.0.0-172.31.95.255 and a /16 has room for 16
// zones.
func newEC2State(o Options) *ec2State {
	s := &ec2State{
		region:        o.Region,
		account:       o.AccountID,
		zones:         o.zones(),
		instanceDelay: o.InstanceStartDelay,
		vpcs:          map[string]*vpc{},
		subnets:       map[string]*subnet{},
		instances:     map[string]*instance{},
		tokenRuns:     map[string]*tokenRun{},

		securityGroups: map[string]*securityGroup{},
	}
	s.defaultVPC = s.addVPC(netip.MustParsePrefix("172.31.0.0/16"), true)
	for i, zone := range s.zones {
		prefix := netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 31, byte(16 * i), 0}), 20)
		s.addSubnet(s.defaultVPC, prefix, zone, true)
	}
	return s
}

func (s *ec2State) addVPC(prefix netip.Prefix, isDefault bool) *vpc {
	v := &vpc{
		id:            "vpc-" + randomHex(17),
		prefix:        prefix,
		isDefault:     isDefault,
		securityGroup: "sg-" + randomHex(17),
	}
	s.vpcs[v.id] = v
	s.vpcOrder = append(s.vpcOrder, v)
	s.addDefaultSecurityGroup(v) // ec2_create_security_group.go
	return v
}

func (s *ec2State) addSubnet(v *vpc, prefix netip.Prefix, zone string, defaultForAZ bool) *subnet {
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
func (s *ec2State) defaultSubnet(zone string) *subnet {
	for _, sn := range s.subnetList {
		if sn.defaultForAZ && sn.zone == zone {
			return sn
		}
	}
	return nil
}

func (s *ec2State) validZone(zone string) bool {
	for _, z := range s.zones {
		if z == zone {
			return true
		}
	}
	return false
}

// zoneID maps a zone name to its AZ id like "use1-az6" (regions.go; informative only).
func (s *ec2State) zoneID(zone string) string {
	return zoneIDOf(s.region, zone)
}

// The ec2Reader methods: what ELB may read of EC2 (services.go).

func (s *ec2State) Instance(id string, now time.Time) (instanceInfo, bool) {
	in := s.instances[id]
	if in == nil {
		return instanceInfo{}, false
	}
	state, since := in.effectiveState(now, s.instanceDelay)
	return instanceInfo{
		id: in.id, state: state, since: since, vpcID: in.vpcID(), zone: in.zone(),
		backendAddr: backendAddr(in), launchedAt: in.launchedAt,
	}, true
}

func (s *ec2State) Subnet(id string) (subnetInfo, bool) {
	sn := s.subnets[id]
	if sn == nil {
		return subnetInfo{}, false
	}
	return sn.info(), true
}

func (s *ec2State) DefaultSubnet(zone string) (subnetInfo, bool) {
	sn := s.defaultSubnet(zone)
	if sn == nil {
		return subnetInfo{}, false
	}
	return sn.info(), true
}

func (s *ec2State) ValidZone(zone string) bool { return s.validZone(zone) }

func (s *ec2State) SecurityGroup(id string) (securityGroupInfo, bool) {
	g := s.securityGroups[id]
	if g == nil {
		return securityGroupInfo{}, false
	}
	return s.sgInfo(g), true
}

func (s *ec2State) ELBSecurityGroup(listenerPorts []int) securityGroupInfo {
	return s.sgInfo(s.elbSecurityGroup(listenerPorts)) // ec2_create_security_group.go
}

func (sn *subnet) info() subnetInfo {
	return subnetInfo{id: sn.id, zone: sn.zone,
		vpc: vpcInfo{id: sn.vpc.id, isDefault: sn.vpc.isDefault, securityGroup: sn.vpc.securityGroup}}
}

// backendAddr returns the address backing in, or "" for a simulated instance. The tag was
// checked when it was set (checkBackendTags: an IP:port on an allowed network), and every
// dial to it is checked again (internal/dataplane, dial.go).
func backendAddr(in *instance) string {
	if in == nil {
		return ""
	}
	addr, _ := in.tags.get(BackendTag)
	return addr
}
