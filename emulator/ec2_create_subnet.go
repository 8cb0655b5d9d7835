package emulator

import (
	"net/http"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

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
		zone = st.ec2.zones[0]
	}
	if !st.ec2.validZone(zone) {
		return errEC2InvalidParam("Value (%s) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: %s.",
			wire.Truncate(zone, 40), strings.Join(st.ec2.zones, ", "))
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	v, ok := st.ec2.vpcs[vpcID]
	if !ok {
		return wire.NewError(http.StatusBadRequest, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", wire.Truncate(vpcID, 64))
	}
	if !v.prefix.Contains(pfx.Addr()) || pfx.Bits() < v.prefix.Bits() {
		return wire.NewError(http.StatusBadRequest, "InvalidSubnet.Range", "The CIDR '%s' is invalid for VPC %s (%s).", raw, v.id, v.prefix)
	}
	for _, other := range st.ec2.subnetList {
		if other.vpc == v && other.prefix.Overlaps(pfx) {
			return wire.NewError(http.StatusBadRequest, "InvalidSubnet.Conflict", "The CIDR '%s' conflicts with another subnet", raw)
		}
	}
	sn := st.ec2.addSubnet(v, pfx, zone, false)
	sn.tags = tags
	x.Open("subnet")
	h.writeSubnet(x, sn)
	x.Close("subnet")
	return nil
}
