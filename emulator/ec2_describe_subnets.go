package emulator

import (
	"strconv"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

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
	out, e := selectResources(ids, st.ec2.subnets, st.ec2.subnetList, "InvalidSubnetID.NotFound", "subnet", filters, func(sn *subnet) attrFunc {
		return func(name string) ([]string, bool) {
			switch name {
			case "subnet-id":
				return []string{sn.id}, true
			case "vpc-id", "vpcId":
				return []string{sn.vpc.id}, true
			case "availability-zone", "availabilityZone":
				return []string{sn.zone}, true
			case "availability-zone-id":
				return []string{st.ec2.zoneID(sn.zone)}, true
			case "default-for-az", "defaultForAz":
				return []string{strconv.FormatBool(sn.defaultForAZ)}, true
			case "cidr", "cidr-block", "cidrBlock":
				return []string{sn.prefix.String()}, true
			case "state":
				return []string{"available"}, true
			case "owner-id":
				return []string{st.ec2.account}, true
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
	x.Leaf("subnetArn", "arn:aws:ec2:"+st.ec2.region+":"+st.ec2.account+":subnet/"+sn.id)
	x.Leaf("state", "available")
	x.Leaf("ownerId", st.ec2.account)
	x.Leaf("vpcId", sn.vpc.id)
	x.Leaf("cidrBlock", sn.prefix.String())
	free := int64(sn.usable()) - int64(sn.allocated)
	x.Leaf("availableIpAddressCount", strconv.FormatInt(max(free, 0), 10))
	x.Leaf("availabilityZone", sn.zone)
	x.Leaf("availabilityZoneId", st.ec2.zoneID(sn.zone))
	x.LeafBool("defaultForAz", sn.defaultForAZ)
	x.LeafBool("mapPublicIpOnLaunch", sn.defaultForAZ)
	if len(sn.tags) > 0 {
		writeEC2Tags(x, sn.tags)
	}
}
