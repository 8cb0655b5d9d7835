package emulator

import "time"

// The seam between the two services of the store (store.go). ELB code (elb_*.go,
// elb_state.go, dataplane.go, deviations*.go) never touches ec2State or its types (vpc,
// subnet, instance): it reads EC2 only through ec2Reader, which answers values, and EC2 code
// tells ELB what it must react to only through elbHooks. Both are called with the store
// lock held, so a call that crosses the seam stays all-or-nothing. layout_test.go checks it.

// ec2Reader is everything ELB reads of EC2 (implemented by *ec2State, ec2_state.go).
type ec2Reader interface {
	// Instance answers instance id as it is at now; false if it does not exist.
	Instance(id string, now time.Time) (instanceInfo, bool)
	// Subnet answers subnet id; false if it does not exist.
	Subnet(id string) (subnetInfo, bool)
	// DefaultSubnet answers the default VPC's subnet in zone; false for an unknown zone.
	DefaultSubnet(zone string) (subnetInfo, bool)
	// ValidZone reports whether zone is a zone of the region.
	ValidZone(zone string) bool
	// SecurityGroup answers security group id; false if it does not exist.
	SecurityGroup(id string) (securityGroupInfo, bool)
	// ELBSecurityGroup answers the group ELB gives a load balancer created in the default
	// VPC without security groups (default_elb_<uuid>, one per account and region),
	// creating it the first time with rules allowing the listener ports. The one call that
	// changes EC2: ELB creates that group in the account, as AWS's does.
	ELBSecurityGroup(listenerPorts []int) securityGroupInfo
}

// securityGroupInfo is what ELB knows of a security group; it never changes while it exists.
type securityGroupInfo struct {
	id      string
	name    string
	vpcID   string
	ownerID string
}

// instanceInfo is what ELB knows of an instance at one moment.
type instanceInfo struct {
	id          string
	state       string    // effective lifecycle state at the time asked
	since       time.Time // since when state has held
	vpcID       string
	zone        string
	backendAddr string // BackendTag's address, "" for a simulated instance
	launchedAt  time.Time
}

// subnetInfo is what ELB knows of a subnet; it never changes while the subnet exists.
type subnetInfo struct {
	id   string
	zone string
	vpc  vpcInfo
}

// vpcInfo is what ELB knows of a VPC; it never changes while the VPC exists.
type vpcInfo struct {
	id            string
	isDefault     bool
	securityGroup string // the default security group
}

// elbHooks is everything EC2 tells or asks ELB (implemented by elbSide, elb_state.go).
type elbHooks interface {
	// InstanceTerminating: instance id has begun shutting down at now (deregister it).
	InstanceTerminating(id string, now time.Time)
	// InstanceBackendTagged: instance id may have gained a BackendTag after launch.
	InstanceBackendTagged(id string, now time.Time)
	// SubnetInUse reports whether a load balancer is attached to subnet id (DeleteSubnet).
	SubnetInUse(id string) bool
	// SecurityGroupInUse reports whether a load balancer uses security group id
	// (DeleteSecurityGroup).
	SecurityGroupInUse(id string) bool
}
