package emulator

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Security groups (docs/sources.md 20): CreateSecurityGroup here, with what the other security
// group actions and the VPCs share (the default group of each VPC, the group ELB creates in
// the default VPC, lookups, the answer's shape). The emulator stores the rules and answers
// them; its data plane does not filter traffic by them.

// sgIDPattern is EC2's security group id: sg- followed by 8 (legacy) or 17 hex digits.
var sgIDPattern = regexp.MustCompile(`^sg-([0-9a-f]{8}|[0-9a-f]{17})$`)

// Names and descriptions: up to 255 of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*
// (EC2 API reference, CreateSecurityGroup).
var sgTextPattern = regexp.MustCompile(`^[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{1,255}$`)

const (
	defaultGroupName        = "default"
	defaultGroupDescription = "default VPC security group" // docs/sources.md 20a
	// elbGroupPrefix and elbGroupDescription: the group ELB creates in the default VPC for
	// load balancers created without security groups (docs/sources.md 20c).
	elbGroupPrefix      = "default_elb_"
	elbGroupDescription = "ELB created security group used when no security group is specified during ELB creation - modifications could impact traffic to future ELBs"
)

func errSGMalformed(id string) *wire.Error {
	return wire.NewError(http.StatusBadRequest, "InvalidGroupId.Malformed", "Invalid id: \"%s\" (expecting \"sg-...\")", wire.Truncate(id, 64))
}

func errSGNotFound(id string) *wire.Error {
	return wire.NewError(http.StatusBadRequest, "InvalidGroup.NotFound", "The security group '%s' does not exist", wire.Truncate(id, 64))
}

// addSecurityGroup records g, giving it an id.
func (s *ec2State) addSecurityGroup(g *securityGroup) *securityGroup {
	if g.id == "" {
		g.id = "sg-" + randomHex(17)
	}
	s.securityGroups[g.id] = g
	s.sgOrder = append(s.sgOrder, g)
	return g
}

// addDefaultSecurityGroup creates v's group named "default" with its default rules: all
// traffic in from the group's own members, all traffic out (docs/sources.md 20a).
func (s *ec2State) addDefaultSecurityGroup(v *vpc) {
	s.addSecurityGroup(&securityGroup{
		id: v.securityGroup, name: defaultGroupName, description: defaultGroupDescription, vpc: v, isDefault: true,
		ingress: []sgRule{{id: newRuleID(), protocol: "-1", fromPort: -1, toPort: -1, group: v.securityGroup}},
		egress:  []sgRule{allTrafficOut()},
	})
}

// elbSecurityGroup answers the default VPC's default_elb_<uuid> group, creating it the first
// time with rules allowing TCP on the listener ports from anywhere (docs/sources.md 20c).
// It is not deleted with the load balancers that use it.
func (s *ec2State) elbSecurityGroup(listenerPorts []int) *securityGroup {
	for _, g := range s.sgOrder {
		if g.vpc == s.defaultVPC && strings.HasPrefix(g.name, elbGroupPrefix) {
			return g
		}
	}
	g := &securityGroup{name: elbGroupPrefix + newUUID(), description: elbGroupDescription, vpc: s.defaultVPC,
		egress: []sgRule{allTrafficOut()}}
	for _, port := range dedupeInts(listenerPorts) {
		g.ingress = append(g.ingress, sgRule{id: newRuleID(), protocol: "tcp", fromPort: port, toPort: port, cidr: "0.0.0.0/0"})
	}
	return s.addSecurityGroup(g)
}

func (s *ec2State) sgInfo(g *securityGroup) securityGroupInfo {
	return securityGroupInfo{id: g.id, name: g.name, vpcID: g.vpc.id, ownerID: s.account}
}

// groupNamed finds the group of v named name (names are case-insensitive).
func (s *ec2State) groupNamed(v *vpc, name string) *securityGroup {
	for _, g := range s.sgOrder {
		if g.vpc == v && strings.EqualFold(g.name, name) {
			return g
		}
	}
	return nil
}

// lookupGroup resolves GroupId, or GroupName in the default VPC, as the actions on one group
// take it. The caller holds the store lock.
func (h *handler) lookupGroup(p wire.Params) (*securityGroup, *wire.Error) {
	s := h.st.ec2
	id, name := p["GroupId"], p["GroupName"]
	switch {
	case id != "":
		if !sgIDPattern.MatchString(id) {
			return nil, errSGMalformed(id)
		}
		if g := s.securityGroups[id]; g != nil {
			return g, nil
		}
		return nil, errSGNotFound(id)
	case name != "":
		if g := s.groupNamed(s.defaultVPC, name); g != nil {
			return g, nil
		}
		return nil, wire.NewError(http.StatusBadRequest, "InvalidGroup.NotFound",
			"The security group '%s' does not exist in default VPC '%s'", wire.Truncate(name, 64), s.defaultVPC.id)
	}
	return nil, wire.NewError(http.StatusBadRequest, "MissingParameter", "The request must contain the parameter groupName or groupId")
}

func allTrafficOut() sgRule {
	return sgRule{id: newRuleID(), protocol: "-1", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0"}
}

func newRuleID() string { return "sgr-" + randomHex(17) }

// newUUID is a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func dedupeInts(vals []int) []int {
	var out []int
	for _, v := range vals {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// createSecurityGroup creates a group without ingress rules and with the all-traffic egress
// rule, in VpcId or the default VPC (EC2 API reference, CreateSecurityGroup).
func (h *handler) createSecurityGroup(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name, desc := p["GroupName"], p["GroupDescription"]
	switch {
	case name == "":
		return errEC2Missing("GroupName")
	case desc == "":
		return errEC2Missing("GroupDescription")
	case !sgTextPattern.MatchString(name):
		return errEC2InvalidParam("Invalid security group name '%s': up to 255 of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*.", wire.Truncate(name, 64))
	case !sgTextPattern.MatchString(desc):
		return errEC2InvalidParam("Invalid security group description: up to 255 of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*.")
	case strings.HasPrefix(strings.ToLower(name), "sg-"):
		return errEC2InvalidParam("Group names may not be in the format sg-*.")
	case strings.EqualFold(name, defaultGroupName):
		return wire.NewError(http.StatusBadRequest, "InvalidGroup.Reserved", "The security group name 'default' is reserved.")
	}
	tags, e := tagSpecifications(p, "security-group")
	if e != nil {
		return e
	}
	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	v := st.ec2.defaultVPC
	if id := p["VpcId"]; id != "" {
		var ok bool
		if v, ok = st.ec2.vpcs[id]; !ok {
			return wire.NewError(http.StatusBadRequest, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", wire.Truncate(id, 64))
		}
	}
	if st.ec2.groupNamed(v, name) != nil {
		return wire.NewError(http.StatusBadRequest, "InvalidGroup.Duplicate", "The security group '%s' already exists for VPC '%s'", name, v.id)
	}
	g := st.ec2.addSecurityGroup(&securityGroup{name: name, description: desc, vpc: v, egress: []sgRule{allTrafficOut()}, tags: tags})
	x.Leaf("groupId", g.id)
	if len(tags) > 0 {
		writeEC2Tags(x, tags)
	}
	x.Leaf("securityGroupArn", h.sgARN(g))
	return nil
}

func (h *handler) sgARN(g *securityGroup) string {
	return "arn:aws:ec2:" + h.st.ec2.region + ":" + h.st.ec2.account + ":security-group/" + g.id
}
