package emulator

import "github.com/elbconform/elbconform/emulator/internal/wire"

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
		if !st.ec2.validZone(n) {
			return errEC2InvalidParam("The zone '%s' does not exist.", wire.Truncate(n, 40))
		}
	}
	var zones []string
	for _, z := range st.ec2.zones {
		if len(names) > 0 && !contains(names, z) {
			continue
		}
		ok, e := matchFilters(filters, func(name string) ([]string, bool) {
			switch name {
			case "zone-name":
				return []string{z}, true
			case "zone-id":
				return []string{st.ec2.zoneID(z)}, true
			case "state":
				return []string{"available"}, true
			case "region-name":
				return []string{st.ec2.region}, true
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
		x.Leaf("regionName", st.ec2.region)
		x.Leaf("zoneId", st.ec2.zoneID(zones[i]))
		x.Leaf("zoneType", "availability-zone")
		x.Leaf("optInStatus", "opt-in-not-required")
		x.Leaf("groupName", st.ec2.region)
		x.Leaf("networkBorderGroup", st.ec2.region)
		x.Structs("messageSet", 0, nil)
	})
	return nil
}
