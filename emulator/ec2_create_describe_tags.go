package emulator

import (
	"net/http"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// taggable resolves an EC2 resource id to its tag set and resource type. The caller holds
// the store lock.
func (h *handler) taggable(id string) (*tagSet, string, *wire.Error) {
	st := h.st
	switch {
	case strings.HasPrefix(id, "i-"):
		if in, ok := st.ec2.instances[id]; ok {
			return &in.tags, "instance", nil
		}
		return nil, "", wire.NewError(http.StatusBadRequest, "InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", wire.Truncate(id, 64))
	case strings.HasPrefix(id, "vpc-"):
		if v, ok := st.ec2.vpcs[id]; ok {
			return &v.tags, "vpc", nil
		}
		return nil, "", wire.NewError(http.StatusBadRequest, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", wire.Truncate(id, 64))
	case strings.HasPrefix(id, "subnet-"):
		if sn, ok := st.ec2.subnets[id]; ok {
			return &sn.tags, "subnet", nil
		}
		return nil, "", wire.NewError(http.StatusBadRequest, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", wire.Truncate(id, 64))
	case strings.HasPrefix(id, "sg-"):
		if g, ok := st.ec2.securityGroups[id]; ok {
			return &g.tags, "security-group", nil
		}
		return nil, "", errSGNotFound(id)
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
		if in := h.st.ec2.instances[id]; in != nil && backendAddr(in) != "" {
			h.st.ec2.elb.InstanceBackendTagged(in.id, rc.Now) // backed after launch: its load balancers need checkers
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
	for _, in := range st.ec2.instanceOrder {
		if e := add(in.id, "instance", in.tags); e != nil {
			return e
		}
	}
	for _, v := range st.ec2.vpcOrder {
		if e := add(v.id, "vpc", v.tags); e != nil {
			return e
		}
	}
	for _, sn := range st.ec2.subnetList {
		if e := add(sn.id, "subnet", sn.tags); e != nil {
			return e
		}
	}
	for _, g := range st.ec2.sgOrder {
		if e := add(g.id, "security-group", g.tags); e != nil {
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
