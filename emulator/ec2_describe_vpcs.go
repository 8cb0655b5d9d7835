package emulator

import (
	"strconv"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

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
	out, e := selectResources(ids, st.ec2.vpcs, st.ec2.vpcOrder, "InvalidVpcID.NotFound", "vpc", filters, func(v *vpc) attrFunc {
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
				return []string{st.ec2.account}, true
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
	x.Leaf("ownerId", h.st.ec2.account)
	x.Leaf("state", "available")
	x.Leaf("cidrBlock", v.prefix.String())
	x.Leaf("dhcpOptionsId", "dopt-"+v.id[len("vpc-"):])
	x.Leaf("instanceTenancy", "default")
	x.LeafBool("isDefault", v.isDefault)
	if len(v.tags) > 0 {
		writeEC2Tags(x, v.tags)
	}
}
