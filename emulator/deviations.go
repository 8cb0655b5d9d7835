package emulator

import (
	"crypto/tls"
	"github.com/elbconform/elbconform/emulator/internal/dataplane"
	"time"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// deviations is everything a self-test mode can change in the reference logic, one method per
// place where the reference code asks. The reference implementation (reference) changes
// nothing: each method answers its argument or does nothing. The fault modes and benign
// variants that act on state are in deviations_modes.go; the ones that act on the wire
// (envelope, lists, request ids, latency, throttling) never reach the operations at all
// (internal/modes). The reference code calls each method in one place and never names a mode.
//
// Every method runs under the store lock the calling operation holds.
type deviations interface {
	// LBNotFound is the answer for a well-formed name of a load balancer that does not exist.
	LBNotFound(name string, ref *wire.Error) *wire.Error
	// DeleteUnknown is DeleteLoadBalancer's answer for an unknown name (reference: success).
	DeleteUnknown(name string) *wire.Error
	// OnCreate runs when lb is created; OnDelete when it is deleted.
	OnCreate(lb *loadBalancer)
	OnDelete(lb *loadBalancer)
	// DescribeUnknown is DescribeLoadBalancers' answer for one unknown name among those
	// asked; nil leaves the name out.
	DescribeUnknown(ref *wire.Error) *wire.Error
	// DescribeAll filters the load balancers DescribeLoadBalancers lists when asked for all.
	DescribeAll(lbs []*loadBalancer) []*loadBalancer
	// DescribeNextMarker is the NextMarker a DescribeLoadBalancers page answers.
	DescribeNextMarker(next string) string
	// VisibleMembers is the membership DescribeLoadBalancers shows for lb (ref: the current one).
	VisibleMembers(lb *loadBalancer, ref []string, now time.Time) []string
	// OnMembershipChange runs after id joined (added) or left lb.
	OnMembershipChange(lb *loadBalancer, id string, added bool, now time.Time)
	// AccountLimitsPaging is the paging DescribeAccountLimits applies.
	AccountLimitsPaging(pageSize int, hasPageSize bool, from int) (int, bool, int)

	// MissingInstances is the answer to Register/Deregister without Instances; nil goes on
	// with an empty list, which answers the membership.
	MissingInstances(ref *wire.Error) *wire.Error
	// RegisterRequest checks a Register request's ids before anything else (reference: nil).
	RegisterRequest(ids []string) *wire.Error
	// RegistrationProblems is what keeps in (exists false: the id does not exist) out of
	// lb. The instance comes by value so that the call allocates nothing.
	RegistrationProblems(lb *loadBalancer, in instanceInfo, exists bool, now time.Time, ref regProblems) regProblems
	// OnRefusedRegister runs when Register is refused with InvalidInstance; good and
	// unknown are the ids that could and that do not exist, register registers one.
	OnRefusedRegister(good, unknown []string, register func(id string))
	// OnRepeatInRequest runs for the second and later occurrences of id in one Register.
	OnRepeatInRequest(lb *loadBalancer, id string)
	// OnReregister runs when an already registered member is registered again.
	OnReregister(mem *member)
	// RegisterAnswer is the instance list Register answers (ref: the whole membership).
	RegisterAnswer(sent, ref []string) []string
	// OnRefusedDeregister runs when Deregister is refused because an id is not registered.
	OnRefusedDeregister(ids []string, deregister func(id string))
	// Deregister applies a Deregister call's removals.
	Deregister(ids []string, deregister func(id string))
	// DeregisterAnswer is the instance list Deregister answers (ref: the remaining ones).
	DeregisterAnswer(removed, ref []string) []string

	// HealthOfUnknownLB is DescribeInstanceHealth's answer for an unknown load balancer;
	// nil answers an empty list.
	HealthOfUnknownLB(ref *wire.Error) *wire.Error
	// HealthFilter is the Instances filter DescribeInstanceHealth applies (nil: all).
	HealthFilter(ids []string) []string
	// AllHealth is the answer of DescribeInstanceHealth without a filter.
	AllHealth(states []instanceHealth) []instanceHealth
	// NeverRegisteredHealth describes an existing instance never registered with the load
	// balancer, asked by ID; known=false refuses it with InvalidInstance.
	NeverRegisteredHealth(id string) (s *instanceHealth, known bool)
	// FormerHealth describes an instance that was registered and no longer is, asked by ID;
	// a nil state leaves it out, known=false refuses it.
	FormerHealth(ref *instanceHealth) (s *instanceHealth, known bool)
	// NotRunningHealth is the health of a registered instance in a lifecycle state other
	// than running.
	NotRunningHealth(id, state string, ref instanceHealth) instanceHealth
	// ZoneEnabled is whether (and since when) the load balancer routes to a member's zone.
	ZoneEnabled(lb *loadBalancer, zone string, mem *member, at time.Time, enabled bool) (time.Time, bool)
	// HealthReady is when a member's checks start to count.
	HealthReady(ready time.Time) time.Time
	// UnbackedHealthy is whether an instance with nothing listening is simulated healthy.
	UnbackedHealthy(ref bool) bool
	// ReportedHealth is what DescribeInstanceHealth reports for a check status.
	ReportedHealth(status checkStatus, ref instanceHealth) instanceHealth
	// TrafficTo is whether the data plane routes to a backed member, given whether it is
	// InService.
	TrafficTo(inService bool) bool
	// TrafficAttributes are the attributes the data plane applies (ref: lb's own).
	TrafficAttributes(ref attributes) attributes
	// Stickiness is the stickiness the data plane applies on a listener (ref: its policy's).
	Stickiness(ref dataplane.Stickiness) dataplane.Stickiness
	// ServedListeners are the listeners lb's nodes serve (ref: its listeners now).
	ServedListeners(lb *loadBalancer, ref []dataplane.Listener) []dataplane.Listener

	// EnableZonesAnswer, AttachSubnetsAnswer: the lists those calls answer (ref: all).
	EnableZonesAnswer(added, ref []string) []string
	AttachSubnetsAnswer(sent, ref []string) []string
	// DetachSubnets applies a Detach call.
	DetachSubnets(detach func())
	// LastZoneRefusal is the answer to disabling a load balancer's last zone; nil disables it.
	LastZoneRefusal(ref *wire.Error) *wire.Error
	// DescribedTags are the load balancers DescribeTags answers for (ref: those named).
	DescribedTags(ref []*loadBalancer) []*loadBalancer
	// GroupInUse is whether a security group a load balancer uses counts as in use when
	// EC2 is asked to delete it (ref: true).
	GroupInUse(ref bool) bool

	// Policies (elb_policies.go, elb_stickiness_policies.go, elb_set_policies.go).
	// PolicyTypes is the table DescribeLoadBalancerPolicyTypes answers from.
	PolicyTypes(ref []policyType) []policyType
	// DuplicatePolicy is the answer to creating a policy under a name the load balancer
	// already uses; nil replaces that policy.
	DuplicatePolicy(ref *wire.Error) *wire.Error
	// DescribedPolicyNames is the PolicyNames filter DescribeLoadBalancerPolicies applies to
	// a load balancer's policies (empty: all).
	DescribedPolicyNames(names []string) []string
	// PolicyInUse is the answer to deleting a policy in force; nil deletes it.
	PolicyInUse(ref *wire.Error) *wire.Error
	// CookieExpiration is the CookieExpirationPeriod CreateLBCookieStickinessPolicy stores.
	CookieExpiration(ref int64) int64
	// ListenerPolicyAllowed is whether a policy of type typeName may be in force on a
	// listener with front-end protocol proto.
	ListenerPolicyAllowed(typeName, proto string, ref bool) bool
	// UnknownListenerPolicy is SetLoadBalancerPoliciesOfListener's answer for a name that is
	// not a policy of the load balancer; nil sets it anyway.
	UnknownListenerPolicy(ref *wire.Error) *wire.Error
	// VisibleBackendPolicies are the instance ports' policies DescribeLoadBalancers shows.
	VisibleBackendPolicies(ref map[int][]string) map[int][]string

	// OnTermination runs when an instance starts shutting down; deregister takes it out of
	// every load balancer.
	OnTermination(deregister func())

	// ListenerConflict is CreateLoadBalancerListeners' answer for a port in use with other
	// settings; nil replaces that listener.
	ListenerConflict(ref *wire.Error) *wire.Error
	// DeleteListeners applies a DeleteLoadBalancerListeners call.
	DeleteListeners(remove func())
	// AttributeOutOfRange is ModifyLoadBalancerAttributes' answer for a value outside its
	// range; nil accepts the value.
	AttributeOutOfRange(ref *wire.Error) *wire.Error
	// ApplyAttributes applies a ModifyLoadBalancerAttributes call.
	ApplyAttributes(apply func())

	// Security groups (elb_create_load_balancer.go, elb_apply_security_groups.go,
	// elb_helpers_security_groups.go; docs/sources.md 20).
	// CreateGroupsRefusal is CreateLoadBalancer's answer to SecurityGroups it cannot use;
	// nil creates the load balancer with the ids as given.
	CreateGroupsRefusal(ref *wire.Error) *wire.Error
	// ApplyGroupsRefusal is ApplySecurityGroupsToLoadBalancer's answer to SecurityGroups it
	// cannot use; nil applies the ids as given.
	ApplyGroupsRefusal(ref *wire.Error) *wire.Error
	// ApplySecurityGroups applies an ApplySecurityGroupsToLoadBalancer call.
	ApplySecurityGroups(apply func())
	// DefaultSecurityGroups are the groups of a load balancer created without any.
	DefaultSecurityGroups(ref []string) []string
	// SourceSecurityGroupName is the GroupName of a load balancer's SourceSecurityGroup.
	SourceSecurityGroupName(ref string) string

	// Certificates (elb_certificates.go, elb_set_listener_ssl_certificate.go,
	// iam_delete_server_certificate.go, dataplane.go).
	// UnknownCertificate is the answer for an SSLCertificateId that names no server
	// certificate; nil accepts it.
	UnknownCertificate(ref *wire.Error) *wire.Error
	// SetListenerCertificate applies a SetLoadBalancerListenerSSLCertificate call.
	SetListenerCertificate(apply func())
	// CertificateInUse is DeleteServerCertificate's answer for a certificate a listener
	// uses; nil deletes it.
	CertificateInUse(ref *wire.Error) *wire.Error
	// ServedCertificate is the key pair a secure listener's TLS handshakes present (ref: its
	// certificate's).
	ServedCertificate(ref *tls.Certificate, ok bool) (*tls.Certificate, bool)

	// Parameter rules (names, health checks, listeners, zones, subnets, idempotency;
	// docs/sources.md 23).
	// InvalidLBName is CreateLoadBalancer's answer to a non-empty name that breaks the
	// name rules; nil creates the load balancer anyway.
	InvalidLBName(ref *wire.Error) *wire.Error
	// HealthCheckOutOfRange is ConfigureHealthCheck's answer to a value outside its range
	// (or a Timeout not below the Interval); nil accepts it.
	HealthCheckOutOfRange(ref *wire.Error) *wire.Error
	// ListenerProtocolPair is the answer to a listener whose back-end protocol is not of its
	// front end's layer; nil accepts the listener.
	ListenerProtocolPair(ref *wire.Error) *wire.Error
	// NonDefaultVPCZones is Enable/DisableAvailabilityZones' answer for a load balancer
	// outside the default VPC; nil goes on with the zones.
	NonDefaultVPCZones(ref *wire.Error) *wire.Error
	// SecondSubnetInZone is AttachLoadBalancerToSubnets' answer to a subnet in a zone that
	// already has one attached; nil attaches it beside the other.
	SecondSubnetInZone(ref *wire.Error) *wire.Error
	// CreateSettingsMatch is whether CreateLoadBalancer for an existing name has that load
	// balancer's settings (true: answer its DNS name; false: DuplicateLoadBalancerName).
	CreateSettingsMatch(ref bool) bool

	// Tags and quotas (elb_add_remove_describe_tags.go, elb_tags_quotas.go,
	// elb_describe_account_limits.go).
	// TagLimit is how many tags a load balancer may carry (ref: maxTagsPerLB).
	TagLimit(ref int) int
	// DuplicateTagKeys is the answer to a tag key given twice in one request; nil keeps the
	// key once, with its last value.
	DuplicateTagKeys(ref *wire.Error) *wire.Error
	// AddedTagValue is the value AddTags stores for a key; old is the value the load balancer
	// has for it, if had.
	AddedTagValue(old string, had bool, ref string) string
	// RemoveTags applies a RemoveTags call.
	RemoveTags(remove func())
	// EnforcedQuota is the quota the operations enforce for the limit named (as
	// DescribeAccountLimits names it; ref: the configured one, <0 unlimited).
	EnforcedQuota(name string, ref int) int
	// ReportedLimit is the Max DescribeAccountLimits reports for the limit named (ref: the
	// quota enforced, <0 unlimited).
	ReportedLimit(name string, ref int) int
}

// reference is the AWS behaviour: every deviation is the identity.
type reference struct{}

func (reference) LBNotFound(_ string, ref *wire.Error) *wire.Error { return ref }
func (reference) DeleteUnknown(string) *wire.Error                 { return nil }
func (reference) OnCreate(*loadBalancer)                           {}
func (reference) OnDelete(*loadBalancer)                           {}
func (reference) DescribeUnknown(ref *wire.Error) *wire.Error      { return ref }
func (reference) DescribeAll(lbs []*loadBalancer) []*loadBalancer  { return lbs }
func (reference) DescribeNextMarker(next string) string            { return next }
func (reference) VisibleMembers(_ *loadBalancer, ref []string, _ time.Time) []string {
	return ref
}
func (reference) OnMembershipChange(*loadBalancer, string, bool, time.Time) {}
func (reference) AccountLimitsPaging(pageSize int, has bool, from int) (int, bool, int) {
	return pageSize, has, from
}
func (reference) MissingInstances(ref *wire.Error) *wire.Error { return ref }
func (reference) RegisterRequest([]string) *wire.Error         { return nil }
func (reference) RegistrationProblems(_ *loadBalancer, _ instanceInfo, _ bool, _ time.Time, ref regProblems) regProblems {
	return ref
}
func (reference) OnRefusedRegister(_, _ []string, _ func(string)) {}
func (reference) OnRepeatInRequest(*loadBalancer, string)         {}
func (reference) OnReregister(*member)                            {}
func (reference) RegisterAnswer(_, ref []string) []string         { return ref }
func (reference) OnRefusedDeregister([]string, func(string))      {}
func (reference) Deregister(ids []string, deregister func(string)) {
	for _, id := range ids {
		deregister(id)
	}
}
func (reference) DeregisterAnswer(_, ref []string) []string                { return ref }
func (reference) HealthOfUnknownLB(ref *wire.Error) *wire.Error            { return ref }
func (reference) HealthFilter(ids []string) []string                       { return ids }
func (reference) AllHealth(states []instanceHealth) []instanceHealth       { return states }
func (reference) NeverRegisteredHealth(string) (*instanceHealth, bool)     { return nil, false }
func (reference) FormerHealth(ref *instanceHealth) (*instanceHealth, bool) { return ref, true }
func (reference) NotRunningHealth(_, _ string, ref instanceHealth) instanceHealth {
	return ref
}
func (reference) ZoneEnabled(_ *loadBalancer, _ string, _ *member, at time.Time, enabled bool) (time.Time, bool) {
	return at, enabled
}
func (reference) HealthReady(ready time.Time) time.Time { return ready }
func (reference) UnbackedHealthy(ref bool) bool         { return ref }
func (reference) ReportedHealth(_ checkStatus, ref instanceHealth) instanceHealth {
	return ref
}
func (reference) TrafficTo(inService bool) bool               { return inService }
func (reference) TrafficAttributes(ref attributes) attributes { return ref }
func (reference) Stickiness(ref dataplane.Stickiness) dataplane.Stickiness {
	return ref
}
func (reference) ServedListeners(_ *loadBalancer, ref []dataplane.Listener) []dataplane.Listener {
	return ref
}
func (reference) EnableZonesAnswer(_, ref []string) []string        { return ref }
func (reference) AttachSubnetsAnswer(_, ref []string) []string      { return ref }
func (reference) DetachSubnets(detach func())                       { detach() }
func (reference) LastZoneRefusal(ref *wire.Error) *wire.Error       { return ref }
func (reference) DescribedTags(ref []*loadBalancer) []*loadBalancer { return ref }
func (reference) GroupInUse(ref bool) bool                          { return ref }
func (reference) OnTermination(deregister func())                   { deregister() }

// Policies.
func (reference) PolicyTypes(ref []policyType) []policyType         { return ref }
func (reference) DuplicatePolicy(ref *wire.Error) *wire.Error       { return ref }
func (reference) DescribedPolicyNames(names []string) []string      { return names }
func (reference) PolicyInUse(ref *wire.Error) *wire.Error           { return ref }
func (reference) CookieExpiration(ref int64) int64                  { return ref }
func (reference) ListenerPolicyAllowed(_, _ string, ref bool) bool  { return ref }
func (reference) UnknownListenerPolicy(ref *wire.Error) *wire.Error { return ref }
func (reference) VisibleBackendPolicies(ref map[int][]string) map[int][]string {
	return ref
}

// Listeners and attributes.
func (reference) ListenerConflict(ref *wire.Error) *wire.Error    { return ref }
func (reference) DeleteListeners(remove func())                   { remove() }
func (reference) AttributeOutOfRange(ref *wire.Error) *wire.Error { return ref }
func (reference) ApplyAttributes(apply func())                    { apply() }

// Security groups.
func (reference) CreateGroupsRefusal(ref *wire.Error) *wire.Error { return ref }
func (reference) ApplyGroupsRefusal(ref *wire.Error) *wire.Error  { return ref }
func (reference) ApplySecurityGroups(apply func())                { apply() }
func (reference) DefaultSecurityGroups(ref []string) []string     { return ref }
func (reference) SourceSecurityGroupName(ref string) string       { return ref }

// Certificates.
func (reference) UnknownCertificate(ref *wire.Error) *wire.Error { return ref }
func (reference) SetListenerCertificate(apply func())            { apply() }
func (reference) CertificateInUse(ref *wire.Error) *wire.Error   { return ref }
func (reference) ServedCertificate(ref *tls.Certificate, ok bool) (*tls.Certificate, bool) {
	return ref, ok
}

// Tags and quotas.
func (reference) TagLimit(ref int) int                              { return ref }
func (reference) DuplicateTagKeys(ref *wire.Error) *wire.Error      { return ref }
func (reference) AddedTagValue(_ string, _ bool, ref string) string { return ref }
func (reference) RemoveTags(remove func())                          { remove() }
func (reference) EnforcedQuota(_ string, ref int) int               { return ref }
func (reference) ReportedLimit(_ string, ref int) int               { return ref }

// Parameter rules.
func (reference) InvalidLBName(ref *wire.Error) *wire.Error         { return ref }
func (reference) HealthCheckOutOfRange(ref *wire.Error) *wire.Error { return ref }
func (reference) ListenerProtocolPair(ref *wire.Error) *wire.Error  { return ref }
func (reference) NonDefaultVPCZones(ref *wire.Error) *wire.Error    { return ref }
func (reference) SecondSubnetInZone(ref *wire.Error) *wire.Error    { return ref }
func (reference) CreateSettingsMatch(ref bool) bool                 { return ref }
