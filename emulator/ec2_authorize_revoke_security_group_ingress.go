package emulator

import (
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// AuthorizeSecurityGroupIngress and RevokeSecurityGroupIngress: the inbound rules a load
// balancer's listeners need (docs/sources.md 20b). Rules come as IpPermissions.N (IPv4 ranges
// and security groups as peers), or as the flat CidrIp/IpProtocol/FromPort/ToPort or
// SourceSecurityGroupName forms; revocation also by SecurityGroupRuleId.N. IPv6 ranges and
// prefix lists are refused as not modelled. The rules are stored and described; the data
// plane does not filter traffic by them.

// parseRules reads the rules of an Authorize or Revoke request against group g. The caller
// holds the store lock (peers are looked up).
func (h *handler) parseRules(p wire.Params, g *securityGroup) ([]sgRule, *wire.Error) {
	perms, err := p.Structs("IpPermissions")
	if err != nil {
		return nil, errEC2InvalidParam("%v", err)
	}
	var out []sgRule
	if src := p["SourceSecurityGroupName"]; src != "" {
		peer := h.st.ec2.groupNamed(g.vpc, src)
		if peer == nil {
			return nil, wire.NewError(http.StatusBadRequest, "InvalidGroup.NotFound", "The security group '%s' does not exist", wire.Truncate(src, 64))
		}
		// "The rule grants full ICMP, UDP, and TCP access" (EC2 API reference).
		out = append(out,
			sgRule{protocol: "icmp", fromPort: -1, toPort: -1, group: peer.id},
			sgRule{protocol: "tcp", fromPort: 0, toPort: 65535, group: peer.id},
			sgRule{protocol: "udp", fromPort: 0, toPort: 65535, group: peer.id})
	}
	if p["IpProtocol"] != "" || p["CidrIp"] != "" {
		flat := wire.Params{"IpProtocol": p["IpProtocol"], "FromPort": p["FromPort"], "ToPort": p["ToPort"], "IpRanges.1.CidrIp": p["CidrIp"]}
		perms = append(perms, flat)
	}
	for _, m := range perms {
		rules, e := h.parsePermission(m, g)
		if e != nil {
			return nil, e
		}
		out = append(out, rules...)
	}
	return out, nil
}

// parsePermission reads one IpPermission into one rule per peer.
func (h *handler) parsePermission(m wire.Params, g *securityGroup) ([]sgRule, *wire.Error) {
	proto, e := parseIPProtocol(m["IpProtocol"])
	if e != nil {
		return nil, e
	}
	from, to := -1, -1
	switch proto {
	case "tcp", "udp":
		f, err1 := strconv.Atoi(m["FromPort"])
		t, err2 := strconv.Atoi(m["ToPort"])
		if err1 != nil || err2 != nil || f < 0 || t > 65535 || f > t {
			return nil, errEC2InvalidParam("Invalid value for portRange. Must specify both from and to ports with TCP/UDP, 0-65535, from <= to.")
		}
		from, to = f, t
	case "icmp":
		f, err1 := strconv.Atoi(m["FromPort"])
		t, err2 := strconv.Atoi(m["ToPort"])
		if err1 != nil || err2 != nil || f < -1 || f > 255 || t < -1 || t > 255 {
			return nil, errEC2InvalidParam("Invalid value for ICMP type and code: each -1 or 0-255.")
		}
		from, to = f, t
	}
	if m.Has("Ipv6Ranges.1.CidrIpv6") || m.Has("PrefixListIds.1.PrefixListId") {
		return nil, errEC2InvalidParam("IPv6 ranges and prefix lists are not modelled by the elbconform emulator.")
	}
	ranges, err := m.Structs("IpRanges")
	if err != nil {
		return nil, errEC2InvalidParam("%v", err)
	}
	groups, err := m.Structs("Groups")
	if err != nil {
		return nil, errEC2InvalidParam("%v", err)
	}
	var out []sgRule
	for _, r := range ranges {
		pfx, err := netip.ParsePrefix(r["CidrIp"])
		if err != nil || !pfx.Addr().Is4() {
			return nil, errEC2InvalidParam("CIDR block %s is malformed", wire.Truncate(r["CidrIp"], 64))
		}
		out = append(out, sgRule{protocol: proto, fromPort: from, toPort: to, cidr: pfx.Masked().String(), description: r["Description"]})
	}
	for _, gp := range groups {
		var peer *securityGroup
		switch id, name := gp["GroupId"], gp["GroupName"]; {
		case id != "":
			if !sgIDPattern.MatchString(id) {
				return nil, errSGMalformed(id)
			}
			peer = h.st.ec2.securityGroups[id]
			if peer == nil || peer.vpc != g.vpc {
				return nil, errSGNotFound(id)
			}
		case name != "":
			if peer = h.st.ec2.groupNamed(g.vpc, name); peer == nil {
				return nil, errSGNotFound(name)
			}
		default:
			return nil, errEC2Missing("groupId")
		}
		out = append(out, sgRule{protocol: proto, fromPort: from, toPort: to, group: peer.id, description: gp["Description"]})
	}
	if len(out) == 0 {
		return nil, errEC2InvalidParam("The rule needs a source: an IPv4 range (IpRanges) or a security group (Groups).")
	}
	return out, nil
}

// parseIPProtocol canonicalises a protocol: names, numbers (6, 17 and 1 are tcp, udp, icmp)
// and -1 (or "all") for every protocol.
func parseIPProtocol(raw string) (string, *wire.Error) {
	p := strings.ToLower(raw)
	switch p {
	case "tcp", "udp", "icmp", "-1":
		return p, nil
	case "all":
		return "-1", nil
	case "6":
		return "tcp", nil
	case "17":
		return "udp", nil
	case "1":
		return "icmp", nil
	case "":
		return "", errEC2Missing("ipProtocol")
	}
	if n, err := strconv.Atoi(p); err == nil && n >= 0 && n <= 255 {
		return p, nil
	}
	return "", errEC2InvalidParam("Invalid value '%s' for IP protocol. Unknown protocol.", wire.Truncate(raw, 32))
}

// sameRule compares what identifies a rule: protocol, ports and peer (not its description).
func sameRule(a, b sgRule) bool {
	return a.protocol == b.protocol && a.fromPort == b.fromPort && a.toPort == b.toPort && a.cidr == b.cidr && a.group == b.group
}

func describeRule(r sgRule) string {
	peer := r.cidr
	if r.group != "" {
		peer = r.group
	}
	return "peer: " + peer + ", " + strings.ToUpper(r.protocol) + ", from port: " + strconv.Itoa(r.fromPort) + ", to port: " + strconv.Itoa(r.toPort) + ", ALLOW"
}

func (h *handler) authorizeSecurityGroupIngress(rc *wire.Request, x *wire.Writer) *wire.Error {
	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	g, e := h.lookupGroup(rc.Params)
	if e != nil {
		return e
	}
	rules, e := h.parseRules(rc.Params, g)
	if e != nil {
		return e
	}
	if len(rules) == 0 {
		return errEC2Missing("ipPermissions")
	}
	for i, r := range rules {
		dup := slices.ContainsFunc(g.ingress, func(o sgRule) bool { return sameRule(o, r) }) ||
			slices.ContainsFunc(rules[:i], func(o sgRule) bool { return sameRule(o, r) })
		if dup {
			return wire.NewError(http.StatusBadRequest, "InvalidPermission.Duplicate", "the specified rule \"%s\" already exists", describeRule(r))
		}
	}
	for i := range rules {
		rules[i].id = newRuleID()
	}
	g.ingress = append(g.ingress, rules...)
	x.LeafBool("return", true)
	h.writeRuleSet(x, "securityGroupRuleSet", g, rules)
	return nil
}

// revokeSecurityGroupIngress removes the rules named. In a nondefault VPC a rule that does not
// exist is InvalidPermission.NotFound and nothing is revoked; in the default VPC the others
// are revoked and the missing ones answered as unknownIpPermissionSet (EC2 API reference).
func (h *handler) revokeSecurityGroupIngress(rc *wire.Request, x *wire.Writer) *wire.Error {
	ruleIDs, err := rc.Params.List("SecurityGroupRuleId")
	if err != nil {
		return errEC2InvalidParam("%v", err)
	}
	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	g, e := h.lookupGroup(rc.Params)
	if e != nil {
		return e
	}
	var revoke, unknown []sgRule
	for _, id := range dedupe(ruleIDs) {
		i := slices.IndexFunc(g.ingress, func(o sgRule) bool { return o.id == id })
		if i < 0 {
			return wire.NewError(http.StatusBadRequest, "InvalidSecurityGroupRuleId.NotFound", "The security group rule ID '%s' does not exist", wire.Truncate(id, 64))
		}
		revoke = append(revoke, g.ingress[i])
	}
	rules, e := h.parseRules(rc.Params, g)
	if e != nil {
		return e
	}
	if len(rules) == 0 && len(ruleIDs) == 0 {
		return errEC2Missing("ipPermissions")
	}
	for _, r := range rules {
		i := slices.IndexFunc(g.ingress, func(o sgRule) bool { return sameRule(o, r) })
		switch {
		case i >= 0:
			revoke = append(revoke, g.ingress[i])
		case g.vpc.isDefault:
			unknown = append(unknown, r)
		default:
			return wire.NewError(http.StatusBadRequest, "InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
		}
	}
	g.ingress = slices.DeleteFunc(g.ingress, func(o sgRule) bool {
		return slices.ContainsFunc(revoke, func(r sgRule) bool { return r.id == o.id })
	})
	x.LeafBool("return", true)
	if len(unknown) > 0 {
		h.writePermissions(x, "unknownIpPermissionSet", unknown)
	}
	h.writeRuleSet(x, "revokedSecurityGroupRuleSet", g, revoke)
	return nil
}

// writeRuleSet writes rules as SecurityGroupRules.
func (h *handler) writeRuleSet(x *wire.Writer, elem string, g *securityGroup, rules []sgRule) {
	x.Structs(elem, len(rules), func(i int) {
		r := rules[i]
		x.Leaf("securityGroupRuleId", r.id)
		x.Leaf("groupId", g.id)
		x.Leaf("groupOwnerId", h.st.ec2.account)
		x.LeafBool("isEgress", false)
		x.Leaf("ipProtocol", r.protocol)
		x.LeafInt("fromPort", r.fromPort)
		x.LeafInt("toPort", r.toPort)
		if r.cidr != "" {
			x.Leaf("cidrIpv4", r.cidr)
		} else {
			x.Open("referencedGroupInfo")
			x.Leaf("groupId", r.group)
			x.Leaf("userId", h.st.ec2.account)
			x.Close("referencedGroupInfo")
		}
		if r.description != "" {
			x.Leaf("description", r.description)
		}
	})
}
