package emulator

import (
	"slices"
	"strings"
	"time"
)

// loadBalancer is an ELB Classic load balancer. Every load balancer lives in a VPC (EC2-Classic
// is retired): one created with AvailabilityZones lives in the default VPC on the default
// subnets of those zones, which is how AWS reports such load balancers today.
type loadBalancer struct {
	name           string
	dnsName        string
	createdAt      time.Time
	scheme         string
	vpc            vpcInfo
	listeners      []listener
	healthCheck    healthCheck
	securityGroups []string
	tags           tagSet
	attributes     attributes
	// policies are the policies created for this load balancer, in creation order
	// (elb_policies.go); listenerPolicies name the ones in force per load balancer port
	// (SetLoadBalancerPoliciesOfListener), backendPolicies per instance port
	// (SetLoadBalancerPoliciesForBackendServer).
	policies         []policy
	listenerPolicies map[int][]string
	backendPolicies  map[int][]string

	// attached lists the subnets in attachment order; at most one per zone, so the enabled
	// zones are exactly the zones of these subnets.
	attached []attachment
	// everEnabled records zones that were enabled at some point; only the
	// zone-disable-keeps-inservice fault reads it.
	everEnabled map[string]bool

	members membership
	// former holds instances that were registered and are no longer (deregistered, or
	// terminated): DescribeInstanceHealth still describes them when asked by ID, while an
	// instance never registered is refused (docs/sources.md 4d).
	former map[string]struct{}
	// draining holds deregistered instances whose in-flight requests connection draining
	// lets finish (elb_deregister_instances.go); they are also in former.
	draining map[string]drainingMember
	// history records recent membership changes for the eventual-membership variant only.
	history []membershipChange
}

// drainingMember is a deregistered registration whose in-flight requests may go on until.
type drainingMember struct {
	mem   *member
	until time.Time
}

// attachment is a subnet attached to a load balancer and when traffic routing to its zone
// began; instances in that zone go InService only a registration delay after that.
type attachment struct {
	subnet subnetInfo
	at     time.Time
}

type listener struct {
	Protocol         string
	LoadBalancerPort int
	InstanceProtocol string
	InstancePort     int
	SSLCertificateID string
}

// attributes are a load balancer's attributes (DescribeLoadBalancerAttributes), with the
// defaults of one created through the API (newAttributes; docs/sources.md 17).
type attributes struct {
	CrossZone       bool
	Draining        bool
	DrainingTimeout int // seconds
	IdleTimeout     int // seconds
	AccessLog       accessLog
}

type accessLog struct {
	Enabled        bool
	S3BucketName   string
	S3BucketPrefix string
	EmitInterval   int // minutes
}

// newAttributes are the attributes of a load balancer created through the API: cross-zone
// load balancing and connection draining off (draining timeout 300 s), idle timeout 60 s,
// no access log.
func newAttributes() attributes {
	return attributes{DrainingTimeout: 300, IdleTimeout: 60, AccessLog: accessLog{EmitInterval: 60}}
}

// policy is one policy of a load balancer: its name, type and attributes in the order given.
type policy struct {
	Name       string
	TypeName   string
	Attributes []policyAttribute
}

type policyAttribute struct{ Name, Value string }

type healthCheck struct {
	Target             string
	Interval           int
	Timeout            int
	UnhealthyThreshold int
	HealthyThreshold   int
}

// zoneEnabledAt reports whether zone is enabled and since when.
func (lb *loadBalancer) zoneEnabledAt(zone string) (time.Time, bool) {
	for _, a := range lb.attached {
		if a.subnet.zone == zone {
			return a.at, true
		}
	}
	return time.Time{}, false
}

// zones returns the enabled zones, sorted (AWS answers them sorted).
func (lb *loadBalancer) zones() []string {
	zs := make([]string, 0, len(lb.attached))
	for _, a := range lb.attached {
		zs = append(zs, a.subnet.zone)
	}
	slices.Sort(zs)
	return zs
}

// subnetIDs returns the attached subnets in attachment order.
func (lb *loadBalancer) subnetIDs() []string {
	ids := make([]string, 0, len(lb.attached))
	for _, a := range lb.attached {
		ids = append(ids, a.subnet.id)
	}
	return ids
}

func (lb *loadBalancer) attach(sn subnetInfo, now time.Time) {
	lb.attached = append(lb.attached, attachment{subnet: sn, at: now})
	lb.everEnabled[sn.zone] = true
}

func (lb *loadBalancer) detach(subnetID string) {
	lb.attached = slices.DeleteFunc(lb.attached, func(a attachment) bool { return a.subnet.id == subnetID })
}

// membership is the set of instances registered with a load balancer, kept in registration
// order. Lookups, additions and removals are O(1) (amortised): removal only drops the map
// entry and leaves a stale reference in order, which iteration skips and compaction reclaims.
type membership struct {
	byID    map[string]*member
	order   []memberRef
	nextSeq uint64
}

type member struct {
	seq          uint64    // matches the memberRef written when this registration was made
	registeredAt time.Time // health derivation starts from here
	copies       int       // always 1, except under the register-duplicates faults
}

type memberRef struct {
	id  string
	seq uint64
}

func newMembership() membership { return membership{byID: map[string]*member{}} }

func (m *membership) len() int { return len(m.byID) }

func (m *membership) get(id string) (*member, bool) {
	mem, ok := m.byID[id]
	return mem, ok
}

// add registers id at now; adding a present id is a no-op (set semantics).
func (m *membership) add(id string, now time.Time) *member {
	if mem, ok := m.byID[id]; ok {
		return mem
	}
	// A copy of the id: id is usually a slice of the request body, which would otherwise
	// stay in memory, whole, as long as this member does.
	id = strings.Clone(id)
	m.nextSeq++
	mem := &member{seq: m.nextSeq, registeredAt: now, copies: 1}
	m.byID[id] = mem
	m.order = append(m.order, memberRef{id: id, seq: m.nextSeq})
	return mem
}

// remove deregisters id and reports whether it was registered.
func (m *membership) remove(id string) bool {
	if _, ok := m.byID[id]; !ok {
		return false
	}
	delete(m.byID, id)
	if len(m.order) > 64 && len(m.order) > 2*len(m.byID) {
		m.compact()
	}
	return true
}

func (m *membership) compact() {
	live := m.order[:0]
	for _, ref := range m.order {
		if mem, ok := m.byID[ref.id]; ok && mem.seq == ref.seq {
			live = append(live, ref)
		}
	}
	clear(m.order[len(live):]) // drop references to removed ids
	m.order = live
}

// each calls fn for every registered instance in registration order, once per copy.
func (m *membership) each(fn func(id string, mem *member)) {
	for _, ref := range m.order {
		if mem, ok := m.byID[ref.id]; ok && mem.seq == ref.seq {
			for range mem.copies {
				fn(ref.id, mem)
			}
		}
	}
}

// ids returns the registered instance ids in registration order (with fault copies).
func (m *membership) ids() []string {
	out := make([]string, 0, len(m.byID))
	m.each(func(id string, _ *member) { out = append(out, id) })
	return out
}

// clone returns an independent copy (for the delete-keeps-registrations fault's stash).
func (m *membership) clone() membership {
	c := membership{byID: make(map[string]*member, len(m.byID)), nextSeq: m.nextSeq}
	for id, mem := range m.byID {
		cp := *mem
		c.byID[id] = &cp
	}
	c.order = slices.Clone(m.order)
	return c
}

// membershipChange is one registration or deregistration, remembered briefly so that the
// eventual-membership variant can show DescribeLoadBalancers a slightly stale view.
type membershipChange struct {
	at    time.Time
	id    string
	added bool
}
