package emulator

import (
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
	// LastZoneRefusal is the answer to disabling a load balancer's last zone.
	LastZoneRefusal(ref *wire.Error) *wire.Error

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
func (reference) EnableZonesAnswer(_, ref []string) []string   { return ref }
func (reference) AttachSubnetsAnswer(_, ref []string) []string { return ref }
func (reference) DetachSubnets(detach func())                  { detach() }
func (reference) LastZoneRefusal(ref *wire.Error) *wire.Error  { return ref }
func (reference) OnTermination(deregister func())              { deregister() }

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
