package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"
	"net/http"
)

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
func (h *handler) serveEC2(w http.ResponseWriter, rc *wire.Request) {
	env := h.ec2Env
	switch {
	case rc.ParseErr != nil:
		env.Error(w, wire.ErrMalformedQuery(rc.ParseErr), rc.ID)
		return
	case rc.Action == "":
		env.Error(w, wire.ErrMissingAction(), rc.ID)
		return
	case rc.Params["Version"] != ec2Version:
		// EC2's code for an unsupported API version (seen: "NoSuchVersion ... The requested
		// version (2015-12-01) of service AmazonEC2 does not exist").
		env.Error(w, wire.NewError(http.StatusBadRequest, "NoSuchVersion",
			"The requested version (%s) of service AmazonEC2 is not served by the elbconform emulator; use %s.",
			wire.Truncate(rc.Params["Version"], 32), ec2Version), rc.ID)
		return
	}
	op, ok := ec2Ops[rc.Action]
	if !ok {
		env.Error(w, wire.NewError(http.StatusBadRequest, "InvalidAction",
			"The action %s is not valid for this web service.", wire.Truncate(rc.Action, 64)), rc.ID)
		return
	}
	x := env.NewWriter()
	env.Begin(x, rc.Action, rc.ID)
	if err := op(h, rc, x); err != nil {
		env.Error(w, err, rc.ID)
		return
	}
	env.Finish(w, x, rc.Action, rc.ID)
}
