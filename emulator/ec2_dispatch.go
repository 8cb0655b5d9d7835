package emulator

import "net/http"

// ec2Ops are the EC2 operations the emulator implements: what fixtures need to create and
// drive instances, VPCs and subnets.
var ec2Ops = map[string]opFunc{
	"RunInstances":              (*handler).runInstances,
	"DescribeInstances":         (*handler).describeInstances,
	"TerminateInstances":        (*handler).terminateInstances,
	"StopInstances":             (*handler).stopInstances,
	"StartInstances":            (*handler).startInstances,
	"DescribeAvailabilityZones": (*handler).describeAvailabilityZones,
	"DescribeVpcs":              (*handler).describeVpcs,
	"DescribeSubnets":           (*handler).describeSubnets,
	"CreateVpc":                 (*handler).createVpc,
	"CreateSubnet":              (*handler).createSubnet,
	"DeleteSubnet":              (*handler).deleteSubnet,
	"DeleteVpc":                 (*handler).deleteVpc,
	"CreateTags":                (*handler).createTags,
	"DescribeTags":              (*handler).describeEC2Tags,
}

// serveEC2 answers an EC2 request.
func (h *handler) serveEC2(w http.ResponseWriter, rc *request, parseErr error) {
	switch {
	case parseErr != nil:
		writeEC2Error(w, rc, errMalformedQuery(parseErr))
		return
	case rc.action == "":
		writeEC2Error(w, rc, errMissingAction())
		return
	case rc.p["Version"] != ec2Version:
		// EC2's code for an unsupported API version (seen: "NoSuchVersion ... The requested
		// version (2015-12-01) of service AmazonEC2 does not exist").
		writeEC2Error(w, rc, newError(http.StatusBadRequest, "NoSuchVersion",
			"The requested version (%s) of service AmazonEC2 is not served by the elbconform emulator; use %s.",
			truncate(rc.p["Version"], 32), ec2Version))
		return
	}
	op, ok := ec2Ops[rc.action]
	if !ok {
		writeEC2Error(w, rc, newError(http.StatusBadRequest, "InvalidAction",
			"The action %s is not valid for this web service.", truncate(rc.action, 64)))
		return
	}
	x := newEC2Writer()
	beginEC2Result(x, rc)
	if err := op(h, rc, x); err != nil {
		writeEC2Error(w, rc, err)
		return
	}
	finishEC2Result(w, rc, x)
}
