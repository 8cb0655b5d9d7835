package emulator

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"time"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// describeInstances answers instances grouped by reservation, filtered, optionally paged by
// MaxResults/NextToken (which EC2 does not allow together with InstanceId).
func (h *handler) describeInstances(rc *wire.Request, x *wire.Writer) *wire.Error {
	ids, err := rc.Params.List("InstanceId")
	if err != nil {
		return errEC2InvalidParam("%v", err)
	}
	filters, e := parseFilters(rc.Params)
	if e != nil {
		return e
	}
	maxResults, paged := 0, rc.Params.Has("MaxResults")
	if paged {
		if len(ids) > 0 {
			return wire.NewError(http.StatusBadRequest, "InvalidParameterCombination",
				"The parameter instancesSet cannot be used with the parameter maxResults")
		}
		n, err := strconv.Atoi(rc.Params["MaxResults"])
		if err != nil || n < 5 || n > 1000 {
			return errEC2InvalidParam("Value (%s) for parameter maxResults is invalid. Expecting a value between 5 and 1000.",
				wire.Truncate(rc.Params["MaxResults"], 20))
		}
		maxResults = n
	}
	start := 0
	if tok := rc.Params["NextToken"]; tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		n, convErr := strconv.Atoi(string(raw))
		if err != nil || convErr != nil || n < 0 {
			return errEC2InvalidParam("Invalid NextToken.")
		}
		start = n
	}

	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	candidates := st.ec2.instanceOrder
	if len(ids) > 0 {
		if candidates, e = h.lookupInstances(ids); e != nil {
			return e
		}
	}
	var matched []*instance
	for _, in := range candidates {
		ok, e := matchFilters(filters, h.instanceAttrs(in, rc.Now))
		if e != nil {
			return e
		}
		if ok {
			matched = append(matched, in)
		}
	}
	next := ""
	if paged {
		matched = matched[min(start, len(matched)):]
		if len(matched) > maxResults {
			matched = matched[:maxResults]
			next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(start + maxResults)))
		}
	}
	// Group into reservations, in order of each reservation's first instance.
	var order []string
	byRes := map[string][]*instance{}
	for _, in := range matched {
		if _, seen := byRes[in.reservationID]; !seen {
			order = append(order, in.reservationID)
		}
		byRes[in.reservationID] = append(byRes[in.reservationID], in)
	}
	x.Structs("reservationSet", len(order), func(i int) {
		members := byRes[order[i]]
		x.Leaf("reservationId", order[i])
		x.Leaf("ownerId", st.ec2.account)
		writeGroupSet(x, members[0].subnet.vpc)
		x.Structs("instancesSet", len(members), func(j int) { h.writeInstance(x, members[j], rc.Now) })
	})
	if next != "" {
		x.Leaf("nextToken", next)
	}
	return nil
}

// instanceAttrs answers DescribeInstances filter names for one instance.
func (h *handler) instanceAttrs(in *instance, now time.Time) attrFunc {
	return func(name string) ([]string, bool) {
		state, _ := in.effectiveState(now, h.st.ec2.instanceDelay)
		switch name {
		case "instance-id":
			return []string{in.id}, true
		case "instance-state-name":
			return []string{state}, true
		case "instance-state-code":
			return []string{strconv.Itoa(stateCodes[state])}, true
		case "vpc-id":
			return []string{in.vpcID()}, true
		case "subnet-id":
			return []string{in.subnet.id}, true
		case "availability-zone":
			return []string{in.zone()}, true
		case "image-id":
			return []string{in.imageID}, true
		case "instance-type":
			return []string{in.instanceType}, true
		case "private-ip-address":
			return []string{in.privateIP}, true
		case "reservation-id":
			return []string{in.reservationID}, true
		}
		return tagAttrs(in.tags, name)
	}
}

// writeInstance writes one instance item with its state derived at now.
func (h *handler) writeInstance(x *wire.Writer, in *instance, now time.Time) {
	state, _ := in.effectiveState(now, h.st.ec2.instanceDelay)
	x.Leaf("instanceId", in.id)
	x.Leaf("imageId", in.imageID)
	writeState(x, "instanceState", state)
	x.Leaf("privateDnsName", in.privateDNSName(h.st.ec2.region))
	x.Leaf("dnsName", "")
	x.Leaf("reason", "")
	x.LeafInt("amiLaunchIndex", in.launchIndex)
	x.Leaf("instanceType", in.instanceType)
	x.LeafTime("launchTime", in.launchedAt)
	x.Open("placement")
	x.Leaf("availabilityZone", in.zone())
	x.Leaf("groupName", "")
	x.Leaf("tenancy", "default")
	x.Close("placement")
	x.Open("monitoring")
	x.Leaf("state", "disabled")
	x.Close("monitoring")
	x.Leaf("subnetId", in.subnet.id)
	x.Leaf("vpcId", in.vpcID())
	x.Leaf("privateIpAddress", in.privateIP)
	writeGroupSet(x, in.subnet.vpc)
	x.Leaf("architecture", "x86_64")
	x.Leaf("rootDeviceType", "ebs")
	x.Leaf("virtualizationType", "hvm")
	x.Leaf("hypervisor", "xen")
	if len(in.tags) > 0 {
		writeEC2Tags(x, in.tags)
	}
	if state == stateStopped || state == stateStopping || state == stateTerminated || state == stateShuttingDown {
		x.Open("stateReason")
		x.Leaf("code", "Client.UserInitiatedShutdown")
		x.Leaf("message", "Client.UserInitiatedShutdown: User initiated shutdown")
		x.Close("stateReason")
	}
}
