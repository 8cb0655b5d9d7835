package emulator

import (
	"net/http"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// ec2Ops are the EC2 operations the emulator implements: what fixtures need to create and
// drive instances, VPCs and subnets. Like elbOps, the index of the code: each action is in the
// file named after it, its tests beside it (shared: ec2_helpers.go, ec2_filters.go, ec2_model.go).
var ec2Ops = map[string]opFunc{
	"RunInstances":              (*handler).runInstances,              // ec2_run_instances.go
	"DescribeInstances":         (*handler).describeInstances,         // ec2_describe_instances.go
	"TerminateInstances":        (*handler).terminateInstances,        // ec2_start_stop_terminate_instances.go
	"StopInstances":             (*handler).stopInstances,             // ec2_start_stop_terminate_instances.go
	"StartInstances":            (*handler).startInstances,            // ec2_start_stop_terminate_instances.go
	"DescribeAvailabilityZones": (*handler).describeAvailabilityZones, // ec2_describe_availability_zones.go
	"DescribeVpcs":              (*handler).describeVpcs,              // ec2_describe_vpcs.go
	"DescribeSubnets":           (*handler).describeSubnets,           // ec2_describe_subnets.go
	"CreateVpc":                 (*handler).createVpc,                 // ec2_create_vpc.go
	"CreateSubnet":              (*handler).createSubnet,              // ec2_create_subnet.go
	"DeleteSubnet":              (*handler).deleteSubnet,              // ec2_delete_subnet_and_vpc.go
	"DeleteVpc":                 (*handler).deleteVpc,                 // ec2_delete_subnet_and_vpc.go
	"CreateTags":                (*handler).createTags,                // ec2_create_describe_tags.go
	"DescribeTags":              (*handler).describeEC2Tags,
	// Security groups (docs/sources.md 20).
	"CreateSecurityGroup":           (*handler).createSecurityGroup,           // ec2_create_security_group.go
	"DescribeSecurityGroups":        (*handler).describeSecurityGroups,        // ec2_describe_security_groups.go
	"DeleteSecurityGroup":           (*handler).deleteSecurityGroup,           // ec2_delete_security_group.go
	"AuthorizeSecurityGroupIngress": (*handler).authorizeSecurityGroupIngress, // ec2_authorize_revoke_security_group_ingress.go
	"RevokeSecurityGroupIngress":    (*handler).revokeSecurityGroupIngress,    // ec2_authorize_revoke_security_group_ingress.go
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
