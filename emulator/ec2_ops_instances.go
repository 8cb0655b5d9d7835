package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"encoding/base64"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// EC2 instance operations: RunInstances, DescribeInstances and the lifecycle calls.

const (
	defaultInstanceType = "m1.small" // EC2's documented default for RunInstances
	// maxRunCount bounds one call when the account has no instance limit
	// (MaxRunningInstances < 0): generous so benchmarks can launch in one go.
	maxRunCount = 100000
)

// instanceIDPattern is EC2's id format: i- followed by 8 (legacy) or 17 hex digits.
var instanceIDPattern = regexp.MustCompile(`^i-([0-9a-f]{8}|[0-9a-f]{17})$`)

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
	zone, subnetID := p["Placement.AvailabilityZone"], p["SubnetId"]

	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	var sn *subnet
	switch {
	case subnetID != "":
		var ok bool
		if sn, ok = st.subnets[subnetID]; !ok {
			return wire.NewError(http.StatusBadRequest, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", wire.Truncate(subnetID, 64))
		}
		if zone != "" && zone != sn.zone {
			return errEC2InvalidParam("Subnet %s is in %s, not in the requested Availability Zone %s.", sn.id, sn.zone, wire.Truncate(zone, 40))
		}
	case zone != "":
		if sn = st.defaultSubnet(zone); sn == nil {
			return errEC2InvalidParam("Invalid availability zone: [%s]", wire.Truncate(zone, 40))
		}
	default:
		sn = st.defaultSubnet(st.zones[0])
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
			lbs:           map[string]struct{}{},
		}
		in.setState(statePending, rc.Now)
		st.instances[in.id] = in
		st.instanceOrder = append(st.instanceOrder, in)
		launched = append(launched, in)
	}
	x.Leaf("reservationId", reservation)
	x.Leaf("ownerId", st.account)
	writeGroupSet(x, sn.vpc)
	x.Structs("instancesSet", len(launched), func(i int) { h.writeInstance(x, launched[i], rc.Now) })
	return nil
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
	for _, in := range h.st.instances {
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

// writeInstance writes one instance item with its state derived at now.
func (h *handler) writeInstance(x *wire.Writer, in *instance, now time.Time) {
	state, _ := in.effectiveState(now, h.st.instanceDelay)
	x.Leaf("instanceId", in.id)
	x.Leaf("imageId", in.imageID)
	writeState(x, "instanceState", state)
	x.Leaf("privateDnsName", in.privateDNSName(h.st.region))
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
		in, ok := h.st.instances[id]
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
	candidates := st.instanceOrder
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
		x.Leaf("ownerId", st.account)
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
		state, _ := in.effectiveState(now, h.st.instanceDelay)
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

// transition is one lifecycle call: for each effective current state, the state to set, or
// "" for no change; a state missing from the map is IncorrectInstanceState.
type transition struct {
	verb string
	next map[string]string
}

var (
	terminateTransition = transition{"terminated", map[string]string{
		statePending: stateShuttingDown, stateRunning: stateShuttingDown, stateStopping: stateShuttingDown,
		stateStopped: stateShuttingDown, stateShuttingDown: "", stateTerminated: "",
	}}
	stopTransition = transition{"stopped", map[string]string{
		stateRunning: stateStopping, stateStopping: "", stateStopped: "",
	}}
	startTransition = transition{"started", map[string]string{
		stateStopped: statePending, statePending: "", stateRunning: "",
	}}
)

func (h *handler) terminateInstances(rc *wire.Request, x *wire.Writer) *wire.Error {
	return h.changeInstanceStates(rc, x, terminateTransition)
}

func (h *handler) stopInstances(rc *wire.Request, x *wire.Writer) *wire.Error {
	return h.changeInstanceStates(rc, x, stopTransition)
}

func (h *handler) startInstances(rc *wire.Request, x *wire.Writer) *wire.Error {
	return h.changeInstanceStates(rc, x, startTransition)
}

// changeInstanceStates applies a lifecycle call to every InstanceId.N, all or nothing, and
// answers each instance's previous and current state. Terminating an instance deregisters it
// from every load balancer (via its reverse index).
func (h *handler) changeInstanceStates(rc *wire.Request, x *wire.Writer, t transition) *wire.Error {
	ids, err := rc.Params.List("InstanceId")
	if err != nil {
		return errEC2InvalidParam("%v", err)
	}
	if len(ids) == 0 {
		return errEC2Missing("InstanceId")
	}
	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	instances, e := h.lookupInstances(ids)
	if e != nil {
		return e
	}
	prev := make([]string, len(instances))
	for i, in := range instances {
		prev[i], _ = in.effectiveState(rc.Now, st.instanceDelay)
		if _, ok := t.next[prev[i]]; !ok {
			return wire.NewError(http.StatusBadRequest, "IncorrectInstanceState",
				"This instance '%s' is not in a state from which it can be %s.", in.id, t.verb)
		}
	}
	for i, in := range instances {
		next := t.next[prev[i]]
		if next == "" {
			continue
		}
		in.setState(next, rc.Now)
		if next == stateShuttingDown {
			h.dev.OnTermination(func() {
				for name := range in.lbs {
					if lb := st.lbs[name]; lb != nil {
						h.deregister(lb, in.id, rc.Now)
					}
				}
			})
		}
	}
	x.Structs("instancesSet", len(instances), func(i int) {
		cur, _ := instances[i].effectiveState(rc.Now, st.instanceDelay)
		x.Leaf("instanceId", instances[i].id)
		writeState(x, "currentState", cur)
		writeState(x, "previousState", prev[i])
	})
	return nil
}
