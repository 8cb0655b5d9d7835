package emulator

import (
	"net/http"
	"net/netip"
	"regexp"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Helpers shared by the EC2 operations (one file per action: ec2_<action>.go): instance
// lookup, TagSpecification parsing, answer fragments, id selection with filters.

// instanceIDPattern is EC2's id format: i- followed by 8 (legacy) or 17 hex digits.
var instanceIDPattern = regexp.MustCompile(`^i-([0-9a-f]{8}|[0-9a-f]{17})$`)

// lookupInstances resolves InstanceId.N for the lifecycle and describe calls: a malformed id
// is InvalidInstanceID.Malformed, ids that do not exist are InvalidInstanceID.NotFound (one
// error naming all of them, as EC2 does). The caller holds the store lock.
func (h *handler) lookupInstances(ids []string) ([]*instance, *wire.Error) {
	var missing []string
	var out []*instance
	for _, id := range dedupe(ids) {
		if !instanceIDPattern.MatchString(id) {
			return nil, wire.NewError(http.StatusBadRequest, "InvalidInstanceID.Malformed", "Invalid id: \"%s\"", wire.Truncate(id, 64))
		}
		in, ok := h.st.ec2.instances[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		out = append(out, in)
	}
	switch {
	case len(missing) == 1:
		return nil, wire.NewError(http.StatusBadRequest, "InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", missing[0])
	case len(missing) > 1:
		return nil, wire.NewError(http.StatusBadRequest, "InvalidInstanceID.NotFound", "The instance IDs '%s' do not exist",
			wire.Truncate(strings.Join(missing, ", "), 2000))
	}
	return out, nil
}

// tagSpecifications collects the tags of TagSpecification.N entries whose ResourceType is
// resourceType (other resource types, e.g. volume, are accepted and ignored).
func tagSpecifications(p wire.Params, resourceType string) (tagSet, *wire.Error) {
	specs, err := p.Structs("TagSpecification")
	if err != nil {
		return nil, errEC2InvalidParam("%v", err)
	}
	var tags tagSet
	for _, spec := range specs {
		if spec["ResourceType"] != resourceType {
			continue
		}
		members, err := spec.Structs("Tag")
		if err != nil {
			return nil, errEC2InvalidParam("%v", err)
		}
		for _, m := range members {
			if m["Key"] == "" {
				return nil, errEC2InvalidParam("Tag keys must not be empty.")
			}
			tags.set(m["Key"], m["Value"])
		}
	}
	return tags, nil
}

func writeGroupSet(x *wire.Writer, v *vpc) {
	x.Structs("groupSet", 1, func(int) {
		x.Leaf("groupId", v.securityGroup)
		x.Leaf("groupName", "default")
	})
}

func writeState(x *wire.Writer, elem, state string) {
	x.Open(elem)
	x.LeafInt("code", stateCodes[state])
	x.Leaf("name", state)
	x.Close(elem)
}

func writeEC2Tags(x *wire.Writer, tags tagSet) {
	x.Structs("tagSet", len(tags), func(i int) {
		x.Leaf("key", tags[i].Key)
		x.Leaf("value", tags[i].Value)
	})
}

// parseCIDR accepts an IPv4 prefix between /16 and /28, EC2's range for VPCs and subnets.
func parseCIDR(raw string) (netip.Prefix, bool) {
	pfx, err := netip.ParsePrefix(raw)
	if err != nil || !pfx.Addr().Is4() || pfx.Bits() < 16 || pfx.Bits() > 28 || pfx.Masked() != pfx {
		return netip.Prefix{}, false
	}
	return pfx, true
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
