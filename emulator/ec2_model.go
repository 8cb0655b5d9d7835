package emulator

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"
)

// vpc is an EC2 VPC. Every VPC has one (synthetic) default security group, which load
// balancers created without SecurityGroups get.
type vpc struct {
	id            string
	prefix        netip.Prefix
	isDefault     bool
	securityGroup string
	tags          tagSet
}

// securityGroup is an EC2 security group of one VPC (ec2_create_security_group.go and the
// files beside it). The emulator stores its rules and answers them; its data plane does not
// filter traffic by them (docs/sources.md 20).
type securityGroup struct {
	id          string
	name        string
	description string
	vpc         *vpc
	// isDefault marks the VPC's own group named "default", created with the VPC and deleted
	// with it, never by DeleteSecurityGroup.
	isDefault bool
	ingress   []sgRule
	egress    []sgRule
	tags      tagSet
}

// sgRule is one rule of a security group: a protocol and port range from (ingress) or to
// (egress) one peer, a CIDR block or a security group.
type sgRule struct {
	id               string // sgr-...
	protocol         string // "-1" (all), "tcp", "udp", "icmp" or an IANA protocol number
	fromPort, toPort int    // -1 when the protocol has no ports
	cidr             string // the peer: a CIDR block ...
	group            string // ... or a security group id
	description      string
}

// subnet is an EC2 subnet in one zone of one VPC.
type subnet struct {
	id           string
	vpc          *vpc
	prefix       netip.Prefix
	zone         string
	defaultForAZ bool
	allocated    uint32 // private addresses handed out so far
	tags         tagSet
}

// usable is the number of addresses AWS lets instances use: the first four and the last
// address of every subnet are reserved.
func (sn *subnet) usable() uint32 {
	size := uint32(1) << (32 - sn.prefix.Bits())
	if size <= 5 {
		return 1
	}
	return size - 5
}

// nextIP hands out the next private address. The emulator does not model address exhaustion:
// once the subnet is full it wraps around, because benchmarks register 100,000 instances and
// no AWS subnet (at most /16) holds that many. Private IPs are informative only.
func (sn *subnet) nextIP() string {
	base := binary.BigEndian.Uint32(sn.prefix.Masked().Addr().AsSlice())
	host := base + 4 + sn.allocated%sn.usable()
	sn.allocated++
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], host)
	return netip.AddrFrom4(b).String()
}

// EC2 instance states and their numeric codes (EC2 API reference, InstanceState).
const (
	statePending      = "pending"
	stateRunning      = "running"
	stateShuttingDown = "shutting-down"
	stateTerminated   = "terminated"
	stateStopping     = "stopping"
	stateStopped      = "stopped"
)

var stateCodes = map[string]int{
	statePending: 0, stateRunning: 16, stateShuttingDown: 32,
	stateTerminated: 48, stateStopping: 64, stateStopped: 80,
}

// settlesTo maps each transitional state to the state it reaches after instanceDelay.
var settlesTo = map[string]string{
	statePending:      stateRunning,
	stateStopping:     stateStopped,
	stateShuttingDown: stateTerminated,
}

// instance is an EC2 instance. Its lifecycle is stored as the last state set by an API call
// plus when that happened; the effective state is derived on read (effectiveState), so no timer
// goroutines exist and readers under the read lock never mutate anything.
type instance struct {
	id            string
	reservationID string
	imageID       string
	instanceType  string
	launchIndex   int
	userData      string
	subnet        *subnet
	privateIP     string
	launchedAt    time.Time
	tags          tagSet

	state   string    // as last set by an API call (may be transitional)
	stateAt time.Time // when it was set
}

// effectiveState returns the effective state at now and since when it has held.
func (in *instance) effectiveState(now time.Time, delay time.Duration) (string, time.Time) {
	if next, ok := settlesTo[in.state]; ok {
		if done := in.stateAt.Add(delay); !now.Before(done) {
			return next, done
		}
	}
	return in.state, in.stateAt
}

// setState records an API-driven state change at now.
func (in *instance) setState(state string, now time.Time) {
	in.state = state
	in.stateAt = now
}

func (in *instance) vpcID() string { return in.subnet.vpc.id }
func (in *instance) zone() string  { return in.subnet.zone }

// privateDNSName follows EC2's scheme: ip-a-b-c-d.ec2.internal in us-east-1,
// ip-a-b-c-d.<region>.compute.internal elsewhere.
func (in *instance) privateDNSName(region string) string {
	addr, err := netip.ParseAddr(in.privateIP)
	if err != nil || !addr.Is4() {
		return ""
	}
	b := addr.As4()
	host := fmt.Sprintf("ip-%d-%d-%d-%d", b[0], b[1], b[2], b[3])
	if region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + region + ".compute.internal"
}

// tagSet is an ordered set of tags (EC2 and ELB alike): keys are unique, insertion order is
// kept so answers are stable.
type tagSet []tag

type tag struct{ Key, Value string }

func (t *tagSet) set(key, value string) {
	for i := range *t {
		if (*t)[i].Key == key {
			(*t)[i].Value = value
			return
		}
	}
	*t = append(*t, tag{key, value})
}

func (t *tagSet) remove(key string) {
	for i := range *t {
		if (*t)[i].Key == key {
			*t = append((*t)[:i], (*t)[i+1:]...)
			return
		}
	}
}

func (t tagSet) get(key string) (string, bool) {
	for _, x := range t {
		if x.Key == key {
			return x.Value, true
		}
	}
	return "", false
}
