package emulator

import (
	"net/http"
	"slices"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// EC2 DeleteSubnet and DeleteVpc: what the suite's fixtures and the sweeper need to remove
// the VPCs and subnets they create. Both refuse with DependencyViolation while something still
// lives in the resource, as EC2 does, so callers must delete instance -> subnet -> VPC in order.
//
// The default VPC and its default subnets are never deleted. AWS allows deleting them, but the
// emulator's zone-based calls (CreateLoadBalancer and EnableAvailabilityZones with zone names,
// RunInstances with only a Placement) resolve zones to these subnets, so deleting them would
// leave the emulator unable to answer those calls; the refusal says so plainly instead.

// errDefaultNetworkKept is the emulator's own refusal to delete the default VPC or subnets.
// UnsupportedOperation is a real EC2 code (400) for a request the service will not carry out.
func errDefaultNetworkKept(kind, id string) *wire.Error {
	return wire.NewError(http.StatusBadRequest, "UnsupportedOperation",
		"The elbconform emulator does not delete the default %s %s (AWS does): its zone-based ELB and EC2 calls rely on the default VPC and subnets.",
		kind, id)
}

// deleteSubnet removes a subnet that holds no instance (other than terminated ones) and is
// attached to no load balancer (on AWS the load balancer's network interfaces live in it).
func (h *handler) deleteSubnet(rc *wire.Request, x *wire.Writer) *wire.Error {
	id := rc.Params["SubnetId"]
	if id == "" {
		return errEC2Missing("SubnetId")
	}
	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	sn, ok := st.ec2.subnets[id]
	if !ok {
		return wire.NewError(http.StatusBadRequest, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", wire.Truncate(id, 64))
	}
	if sn.defaultForAZ {
		return errDefaultNetworkKept("subnet", sn.id)
	}
	if h.subnetInUse(sn, rc) {
		return wire.NewError(http.StatusBadRequest, "DependencyViolation", "The subnet '%s' has dependencies and cannot be deleted.", sn.id)
	}
	delete(st.ec2.subnets, sn.id)
	st.ec2.subnetList = slices.DeleteFunc(st.ec2.subnetList, func(s *subnet) bool { return s == sn })
	x.LeafBool("return", true)
	return nil
}

// subnetInUse reports whether an instance that is not yet terminated (shutting-down still
// counts, as on EC2) or a load balancer uses sn. The caller holds the store lock.
func (h *handler) subnetInUse(sn *subnet, rc *wire.Request) bool {
	for _, in := range h.st.ec2.instanceOrder {
		if in.subnet != sn {
			continue
		}
		if state, _ := in.effectiveState(rc.Now, h.st.ec2.instanceDelay); state != stateTerminated {
			return true
		}
	}
	return h.st.ec2.elb.SubnetInUse(sn.id)
}

// deleteVpc removes a VPC without subnets (a load balancer in the VPC always has one).
func (h *handler) deleteVpc(rc *wire.Request, x *wire.Writer) *wire.Error {
	id := rc.Params["VpcId"]
	if id == "" {
		return errEC2Missing("VpcId")
	}
	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	v, ok := st.ec2.vpcs[id]
	if !ok {
		return wire.NewError(http.StatusBadRequest, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", wire.Truncate(id, 64))
	}
	if v.isDefault {
		return errDefaultNetworkKept("VPC", v.id)
	}
	if slices.ContainsFunc(st.ec2.subnetList, func(sn *subnet) bool { return sn.vpc == v }) {
		return wire.NewError(http.StatusBadRequest, "DependencyViolation", "The vpc '%s' has dependencies and cannot be deleted.", v.id)
	}
	// Security groups other than its default one keep a VPC, which takes its default group
	// with it (docs/sources.md 20b).
	if slices.ContainsFunc(st.ec2.sgOrder, func(g *securityGroup) bool { return g.vpc == v && !g.isDefault }) {
		return wire.NewError(http.StatusBadRequest, "DependencyViolation", "The vpc '%s' has dependencies and cannot be deleted.", v.id)
	}
	if g := st.ec2.securityGroups[v.securityGroup]; g != nil {
		st.ec2.removeSecurityGroup(g)
	}
	delete(st.ec2.vpcs, v.id)
	st.ec2.vpcOrder = slices.DeleteFunc(st.ec2.vpcOrder, func(o *vpc) bool { return o == v })
	x.LeafBool("return", true)
	return nil
}
