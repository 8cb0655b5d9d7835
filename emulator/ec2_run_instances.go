package emulator

import (
	"net/http"
	"strconv"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

const (
	defaultInstanceType = "m1.small" // EC2's documented default for RunInstances
	// maxRunCount bounds one call when the account has no instance limit
	// (MaxRunningInstances < 0): generous so benchmarks can launch in one go.
	maxRunCount = 100000
)

func (h *handler) runInstances(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	image := p["ImageId"]
	if image == "" {
		return errEC2Missing("ImageId")
	}
	minCount, e := ec2CountParam(p, "MinCount")
	if e != nil {
		return e
	}
	maxCount, e := ec2CountParam(p, "MaxCount")
	if e != nil {
		return e
	}
	if minCount > maxCount {
		// EC2's error table: InvalidParameterCombination, "RunInstances was called with
		// minCount and maxCount set to 0 or minCount > maxCount" (docs/sources.md 15).
		return wire.NewError(http.StatusBadRequest, "InvalidParameterCombination",
			"MinCount (%d) must not be greater than MaxCount (%d).", minCount, maxCount)
	}
	itype := p["InstanceType"]
	if itype == "" {
		itype = defaultInstanceType
	}
	tags, e := tagSpecifications(p, "instance")
	if e != nil {
		return e
	}
	if e := h.checkBackendTags(tags); e != nil {
		return e
	}
	token := p["ClientToken"] // ec2_client_token.go
	if e := checkClientToken(token); e != nil {
		return e
	}
	zone, subnetID := p["Placement.AvailabilityZone"], p["SubnetId"]

	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	// A repeat of a successful call answers what that call launched, before anything that
	// may have changed since (the subnet, the instance limit) is looked at again.
	if repeated, e := h.repeatedRun(rc, x, token); repeated {
		return e
	}
	var sn *subnet
	switch {
	case subnetID != "":
		var ok bool
		if sn, ok = st.ec2.subnets[subnetID]; !ok {
			return wire.NewError(http.StatusBadRequest, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", wire.Truncate(subnetID, 64))
		}
		if zone != "" && zone != sn.zone {
			return errEC2InvalidParam("Subnet %s is in %s, not in the requested Availability Zone %s.", sn.id, sn.zone, wire.Truncate(zone, 40))
		}
	case zone != "":
		if sn = st.ec2.defaultSubnet(zone); sn == nil {
			return errEC2InvalidParam("Invalid availability zone: [%s]", wire.Truncate(zone, 40))
		}
	default:
		sn = st.ec2.defaultSubnet(st.ec2.zones[0])
	}

	count, e := h.launchCount(minCount, maxCount)
	if e != nil {
		return e
	}
	reservation := "r-" + randomHex(17)
	launched := make([]*instance, 0, count)
	for i := range count {
		in := &instance{
			id:            "i-" + randomHex(17),
			reservationID: reservation,
			imageID:       image,
			instanceType:  itype,
			launchIndex:   i,
			userData:      p["UserData"],
			subnet:        sn,
			privateIP:     sn.nextIP(),
			launchedAt:    rc.Now,
			tags:          append(tagSet(nil), tags...),
		}
		in.setState(statePending, rc.Now)
		st.ec2.instances[in.id] = in
		st.ec2.instanceOrder = append(st.ec2.instanceOrder, in)
		launched = append(launched, in)
	}
	st.ec2.rememberRun(token, p, reservation, sn.vpc, launched)
	h.writeReservation(x, reservation, sn.vpc, launched, rc)
	return nil
}

// writeReservation writes RunInstances' answer: one reservation and its instances, their
// states derived at the request's time.
func (h *handler) writeReservation(x *wire.Writer, reservation string, v *vpc, instances []*instance, rc *wire.Request) {
	x.Leaf("reservationId", reservation)
	x.Leaf("ownerId", h.st.ec2.account)
	writeGroupSet(x, v)
	x.Structs("instancesSet", len(instances), func(i int) { h.writeInstance(x, instances[i], rc.Now) })
}

// launchCount decides how many instances one RunInstances call launches under the account's
// On-Demand instance limit (Options.MaxRunningInstances; the store lock is held). As on AWS
// (docs/sources.md 15): MaxCount is cut down to what the limit leaves ("Amazon EC2 launches
// the largest possible number of instances above the specified minimum count", RunInstances
// API reference, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html),
// and when even MinCount does not fit nothing is launched and the answer is 400
// InstanceLimitExceeded, "You have requested more instances (N) than your current instance
// limit of M allows for the specified instance type. ...", N counting the instances already
// running plus MinCount (AWS's answers in https://github.com/saltstack/salt-ci-images/issues/716
// and https://github.com/convox/rack/issues/2539). The default limit, 20, is the one the EC2
// user guide documents (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ri-limits.html). Pending and running instances count; stopping, stopped, shutting-down and
// terminated ones do not (an instance stops being billed once it stops or terminates).
// The emulator's limit is one count for the whole account, not per instance type or vCPU.
func (h *handler) launchCount(minCount, maxCount int) (int, *wire.Error) {
	limit := h.opts.MaxRunningInstances
	if limit < 0 { // no account limit: only the per-call bound
		if minCount > maxRunCount {
			return 0, wire.NewError(http.StatusBadRequest, "InstanceLimitExceeded",
				"You have requested more instances (%d) than the emulator launches in one RunInstances call (%d).",
				minCount, maxRunCount)
		}
		return min(maxCount, maxRunCount), nil
	}
	running := 0
	for _, in := range h.st.ec2.instances {
		// pending settles to running and running stays so until an API call changes it, so
		// the stored state tells without deriving the effective one.
		if in.state == statePending || in.state == stateRunning {
			running++
		}
	}
	free := max(limit-running, 0)
	if minCount > free {
		return 0, wire.NewError(http.StatusBadRequest, "InstanceLimitExceeded",
			"You have requested more instances (%d) than your current instance limit of %d allows for the specified instance type. "+
				"Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit. "+
				"(The elbconform emulator's limit is set with -max-running-instances or Options.MaxRunningInstances.)",
			running+minCount, limit)
	}
	return min(maxCount, free), nil
}

func ec2CountParam(p wire.Params, key string) (int, *wire.Error) {
	raw, ok := p[key]
	if !ok || raw == "" {
		return 0, errEC2Missing(key)
	}
	n, err := strconv.ParseInt(raw, 10, 32) // an EC2 Integer is 32 bits
	if err != nil || n < 1 {
		return 0, errEC2InvalidParam("Invalid value '%s' for %s: must be a positive integer.", wire.Truncate(raw, 20), key)
	}
	return int(n), nil
}
