package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// EC2 network and tag operations: zones, VPCs, subnets, CreateTags, DescribeTags.

func (h *handler) describeAvailabilityZones(rc *wire.Request, x *wire.Writer) *wire.Error {
	names, err := rc.Params.List("ZoneName")
	if err != nil {
		return errEC2InvalidParam("%v", err)
	}
	filters, e := parseFilters(rc.Params)
	if e != nil {
		return e
	}
	st := h.st // zones are immutable: no lock needed
	for _, n := range names {
		if !st.validZone(n) {
			return errEC2InvalidParam("The zone '%s' does not exist.", wire.Truncate(n, 40))
		}
	}
	var zones []string
	for _, z := range st.zones {
		if len(names) > 0 && !contains(names, z) {
			continue
		}
		ok, e := matchFilters(filters, func(name string) ([]string, bool) {
			switch name {
			case "zone-name":
				return []string{z}, true
			case "zone-id":
				return []string{st.zoneID(z)}, true
			case "state":
				return []string{"available"}, true
			case "region-name":
				return []string{st.region}, true
			case "zone-type":
				return []string{"availability-zone"}, true
			}
			return nil, false
		})
		if e != nil {
			return e
		}
		if ok {
			zones = append(zones, z)
		}
	}
	x.Structs("availabilityZoneInfo", len(zones), func(i int) {
		x.Leaf("zoneName", zones[i])
		x.Leaf("zoneState", "available")
		x.Leaf("regionName", st.region)
		x.Leaf("zoneId", st.zoneID(zones[i]))
		x.Leaf("zoneType", "availability-zone")
		x.Leaf("optInStatus", "opt-in-not-required")
		x.Leaf("groupName", st.region)
		x.Leaf("networkBorderGroup", st.region)
		x.Structs("messageSet", 0, nil)
	})
	return nil
}

func (h *handler) describeVpcs(rc *wire.Request, x *wire.Writer) *wire.Error {
	ids, err := rc.Params.List("VpcId")
	if err != nil {
		return errEC2InvalidParam("%v", err)
	}
	filters, e := parseFilters(rc.Params)
	if e != nil {
		return e
	}
	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	out, e := selectResources(ids, st.vpcs, st.vpcOrder, "InvalidVpcID.NotFound", "vpc", filters, func(v *vpc) attrFunc {
		return func(name string) ([]string, bool) {
			switch name {
			case "vpc-id":
				return []string{v.id}, true
			case "is-default", "isDefault":
				return []string{strconv.FormatBool(v.isDefault)}, true
			case "cidr", "cidr-block", "cidrBlock", "cidr-block-association.cidr-block":
				return []string{v.prefix.String()}, true
			case "state":
				return []string{"available"}, true
			case "owner-id":
				return []string{st.account}, true
			}
			return tagAttrs(v.tags, name)
		}
	})
	if e != nil {
		return e
	}
	x.Structs("vpcSet", len(out), func(i int) { h.writeVPC(x, out[i]) })
	return nil
}

func (h *handler) writeVPC(x *wire.Writer, v *vpc) {
	x.Leaf("vpcId", v.id)
	x.Leaf("ownerId", h.st.account)
	x.Leaf("state", "available")
	x.Leaf("cidrBlock", v.prefix.String())
	x.Leaf("dhcpOptionsId", "dopt-"+v.id[len("vpc-"):])
	x.Leaf("instanceTenancy", "default")
	x.LeafBool("isDefault", v.isDefault)
	if len(v.tags) > 0 {
		writeEC2Tags(x, v.tags)
	}
}

func (h *handler) describeSubnets(rc *wire.Request, x *wire.Writer) *wire.Error {
	ids, err := rc.Params.List("SubnetId")
	if err != nil {
		return errEC2InvalidParam("%v", err)
	}
	filters, e := parseFilters(rc.Params)
	if e != nil {
		return e
	}
	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	out, e := selectResources(ids, st.subnets, st.subnetList, "InvalidSubnetID.NotFound", "subnet", filters, func(sn *subnet) attrFunc {
		return func(name string) ([]string, bool) {
			switch name {
			case "subnet-id":
				return []string{sn.id}, true
			case "vpc-id", "vpcId":
				return []string{sn.vpc.id}, true
			case "availability-zone", "availabilityZone":
				return []string{sn.zone}, true
			case "availability-zone-id":
				return []string{st.zoneID(sn.zone)}, true
			case "default-for-az", "defaultForAz":
				return []string{strconv.FormatBool(sn.defaultForAZ)}, true
			case "cidr", "cidr-block", "cidrBlock":
				return []string{sn.prefix.String()}, true
			case "state":
				return []string{"available"}, true
			case "owner-id":
				return []string{st.account}, true
			}
			return tagAttrs(sn.tags, name)
		}
	})
	if e != nil {
		return e
	}
	x.Structs("subnetSet", len(out), func(i int) { h.writeSubnet(x, out[i]) })
	return nil
}

func (h *handler) writeSubnet(x *wire.Writer, sn *subnet) {
	st := h.st
	x.Leaf("subnetId", sn.id)
	x.Leaf("subnetArn", "arn:aws:ec2:"+st.region+":"+st.account+":subnet/"+sn.id)
	x.Leaf("state", "available")
	x.Leaf("ownerId", st.account)
	x.Leaf("vpcId", sn.vpc.id)
	x.Leaf("cidrBlock", sn.prefix.String())
	free := int64(sn.usable()) - int64(sn.allocated)
	x.Leaf("availableIpAddressCount", strconv.FormatInt(max(free, 0), 10))
	x.Leaf("availabilityZone", sn.zone)
	x.Leaf("availabilityZoneId", st.zoneID(sn.zone))
	x.LeafBool("defaultForAz", sn.defaultForAZ)
	x.LeafBool("mapPublicIpOnLaunch", sn.defaultForAZ)
	if len(sn.tags) > 0 {
		writeEC2Tags(x, sn.tags)
	}
}

// parseCIDR accepts an IPv4 prefix between /16 and /28, EC2's range for VPCs and subnets.
func parseCIDR(raw string) (netip.Prefix, bool) {
	pfx, err := netip.ParsePrefix(raw)
	if err != nil || !pfx.Addr().Is4() || pfx.Bits() < 16 || pfx.Bits() > 28 || pfx.Masked() != pfx {
		return netip.Prefix{}, false
	}
	return pfx, true
}

func (h *handler) createVpc(rc *wire.Request, x *wire.Writer) *wire.Error {
	raw := rc.Params["CidrBlock"]
	if raw == "" {
		return errEC2Missing("CidrBlock")
	}
	pfx, ok := parseCIDR(raw)
	if !ok {
		return wire.NewError(http.StatusBadRequest, "InvalidVpc.Range", "The CIDR '%s' is invalid.", wire.Truncate(raw, 40))
	}
	tags, e := tagSpecifications(rc.Params, "vpc")
	if e != nil {
		return e
	}
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	v := h.st.addVPC(pfx, false)
	v.tags = tags
	x.Open("vpc")
	h.writeVPC(x, v)
	x.Close("vpc")
	return nil
}

func (h *handler) createSubnet(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	vpcID, raw := p["VpcId"], p["CidrBlock"]
	if vpcID == "" {
		return errEC2Missing("VpcId")
	}
	if raw == "" {
		return errEC2Missing("CidrBlock")
	}
	pfx, ok := parseCIDR(raw)
	if !ok {
		return wire.NewError(http.StatusBadRequest, "InvalidSubnet.Range", "The CIDR '%s' is invalid.", wire.Truncate(raw, 40))
	}
	tags, e := tagSpecifications(p, "subnet")
	if e != nil {
		return e
	}
	st := h.st
	zone := p["AvailabilityZone"]
	if zone == "" {
		zone = st.zones[0]
	}
	if !st.validZone(zone) {
		return errEC2InvalidParam("Value (%s) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: %s.",
			wire.Truncate(zone, 40), strings.Join(st.zones, ", "))
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	v, ok := st.vpcs[vpcID]
	if !ok {
		return wire.NewError(http.StatusBadRequest, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", wire.Truncate(vpcID, 64))
	}
	if !v.prefix.Contains(pfx.Addr()) || pfx.Bits() < v.prefix.Bits() {
		return wire.NewError(http.StatusBadRequest, "InvalidSubnet.Range", "The CIDR '%s' is invalid for VPC %s (%s).", raw, v.id, v.prefix)
	}
	for _, other := range st.subnetList {
		if other.vpc == v && other.prefix.Overlaps(pfx) {
			return wire.NewError(http.StatusBadRequest, "InvalidSubnet.Conflict", "The CIDR '%s' conflicts with another subnet", raw)
		}
	}
	sn := st.addSubnet(v, pfx, zone, false)
	sn.tags = tags
	x.Open("subnet")
	h.writeSubnet(x, sn)
	x.Close("subnet")
	return nil
}

// taggable resolves an EC2 resource id to its tag set and resource type. The caller holds
// the store lock.
func (h *handler) taggable(id string) (*tagSet, string, *wire.Error) {
	st := h.st
	switch {
	case strings.HasPrefix(id, "i-"):
		if in, ok := st.instances[id]; ok {
			return &in.tags, "instance", nil
		}
		return nil, "", wire.NewError(http.StatusBadRequest, "InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", wire.Truncate(id, 64))
	case strings.HasPrefix(id, "vpc-"):
		if v, ok := st.vpcs[id]; ok {
			return &v.tags, "vpc", nil
		}
		return nil, "", wire.NewError(http.StatusBadRequest, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", wire.Truncate(id, 64))
	case strings.HasPrefix(id, "subnet-"):
		if sn, ok := st.subnets[id]; ok {
			return &sn.tags, "subnet", nil
		}
		return nil, "", wire.NewError(http.StatusBadRequest, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", wire.Truncate(id, 64))
	}
	return nil, "", wire.NewError(http.StatusBadRequest, "InvalidID", "The ID '%s' is not valid", wire.Truncate(id, 64))
}

// createTags sets tags on instances, VPCs and subnets, all or nothing.
func (h *handler) createTags(rc *wire.Request, x *wire.Writer) *wire.Error {
	ids, err := rc.Params.List("ResourceId")
	if err != nil {
		return errEC2InvalidParam("%v", err)
	}
	if len(ids) == 0 {
		return errEC2Missing("ResourceId")
	}
	members, err := rc.Params.Structs("Tag")
	if err != nil {
		return errEC2InvalidParam("%v", err)
	}
	if len(members) == 0 {
		return errEC2Missing("Tag")
	}
	for _, m := range members {
		if m["Key"] == "" {
			return errEC2InvalidParam("Tag keys must not be empty.")
		}
		if e := h.checkBackendTags(tagSet{{m["Key"], m["Value"]}}); e != nil {
			return e
		}
	}
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	var targets []*tagSet
	for _, id := range dedupe(ids) {
		tags, _, e := h.taggable(id)
		if e != nil {
			return e
		}
		targets = append(targets, tags)
	}
	for _, tags := range targets {
		for _, m := range members {
			tags.set(m["Key"], m["Value"])
		}
	}
	for _, id := range ids {
		if in := h.st.instances[id]; in != nil && backendAddr(in) != "" {
			h.dp.onBackendTagged(in) // backed after launch: its load balancers need checkers
		}
	}
	x.LeafBool("return", true)
	return nil
}

// describeEC2Tags answers tags of instances, VPCs and subnets, filtered by resource-id,
// resource-type, key and value.
func (h *handler) describeEC2Tags(rc *wire.Request, x *wire.Writer) *wire.Error {
	filters, e := parseFilters(rc.Params)
	if e != nil {
		return e
	}
	type row struct{ id, typ, key, value string }
	var rows []row
	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	add := func(id, typ string, tags tagSet) *wire.Error {
		for _, t := range tags {
			ok, e := matchFilters(filters, func(name string) ([]string, bool) {
				switch name {
				case "resource-id":
					return []string{id}, true
				case "resource-type":
					return []string{typ}, true
				case "key":
					return []string{t.Key}, true
				case "value":
					return []string{t.Value}, true
				}
				return nil, false
			})
			if e != nil {
				return e
			}
			if ok {
				rows = append(rows, row{id, typ, t.Key, t.Value})
			}
		}
		return nil
	}
	for _, in := range st.instanceOrder {
		if e := add(in.id, "instance", in.tags); e != nil {
			return e
		}
	}
	for _, v := range st.vpcOrder {
		if e := add(v.id, "vpc", v.tags); e != nil {
			return e
		}
	}
	for _, sn := range st.subnetList {
		if e := add(sn.id, "subnet", sn.tags); e != nil {
			return e
		}
	}
	x.Structs("tagSet", len(rows), func(i int) {
		x.Leaf("resourceId", rows[i].id)
		x.Leaf("resourceType", rows[i].typ)
		x.Leaf("key", rows[i].key)
		x.Leaf("value", rows[i].value)
	})
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// selectResources is what EC2's Describe calls share: the resources named by
// ids (each must exist, else notFoundCode) or else all of them, in their
// listing order, kept where they match every filter.
func selectResources[T any](ids []string, byID map[string]T, all []T, notFoundCode, kind string, filters []ec2Filter, attrs func(T) attrFunc) ([]T, *wire.Error) {
	candidates := all
	if len(ids) > 0 {
		candidates = nil
		for _, id := range dedupe(ids) {
			r, ok := byID[id]
			if !ok {
				return nil, wire.NewError(http.StatusBadRequest, notFoundCode, "The %s ID '%s' does not exist", kind, wire.Truncate(id, 64))
			}
			candidates = append(candidates, r)
		}
	}
	var out []T
	for _, r := range candidates {
		ok, e := matchFilters(filters, attrs(r))
		if e != nil {
			return nil, e
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, nil
}
