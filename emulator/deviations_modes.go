package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"github.com/elbconform/elbconform/emulator/internal/dataplane"
	"math"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/elbconform/elbconform/emulator/internal/modes"
	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// The state-level self-test modes: each overrides the deviations (deviations.go) it needs,
// and only while it is on. See internal/modes for what each breaks or leaves open.

// newDeviations returns the reference when no mode is on, else the modes' deviations.
func newDeviations(m modes.Set, h *handler) deviations {
	if m.None() {
		return reference{}
	}
	return &modeDeviations{m: m, h: h, stashed: map[string]*membership{}, firstServed: map[*loadBalancer][]dataplane.Listener{}}
}

type modeDeviations struct {
	reference
	m modes.Set
	h *handler

	// stashed keeps the membership of deleted load balancers (delete-keeps-registrations).
	stashed map[string]*membership
	// firstServed keeps the listeners each load balancer first served
	// (listener-changes-not-served).
	firstServed map[*loadBalancer][]dataplane.Listener
}

func (d *modeDeviations) fault(name string) bool   { return d.m.Fault(name) }
func (d *modeDeviations) variant(name string) bool { return d.m.Variant(name) }

func (d *modeDeviations) LBNotFound(name string, ref *wire.Error) *wire.Error {
	switch {
	case d.fault(modes.FaultLBNotFound5xx):
		return wire.ErrInternal()
	case d.fault(modes.FaultLBNotFoundWrongCode):
		return errValidation("Cannot find Load Balancer %s", wire.Truncate(name, 64))
	}
	return ref
}

func (d *modeDeviations) DeleteUnknown(name string) *wire.Error {
	if d.fault(modes.FaultDeleteMissingErrors) {
		return errLBNotFound(name)
	}
	return nil
}

// OnDelete and OnCreate: delete-keeps-registrations remembers a deleted load balancer's
// membership and gives it to a new load balancer of the same name.
func (d *modeDeviations) OnDelete(lb *loadBalancer) {
	if d.fault(modes.FaultDeleteKeepsRegistrations) {
		stash := lb.members.clone()
		d.stashed[lb.name] = &stash
	}
}

func (d *modeDeviations) OnCreate(lb *loadBalancer) {
	if d.fault(modes.FaultAttributesWrongDefaults) {
		lb.attributes.CrossZone = true
	}
	stashed, ok := d.stashed[lb.name]
	if !ok {
		return
	}
	delete(d.stashed, lb.name)
	lb.members = *stashed
	lb.members.each(func(id string, _ *member) {
		if in, ok := d.h.st.elb.ec2.Instance(id, time.Now()); ok {
			d.h.st.elb.link(id, lb)
			d.h.onRegister(lb, in)
		}
	})
}

func (d *modeDeviations) DescribeUnknown(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultDescribeLBUnknownEmpty) {
		return nil
	}
	return ref
}

func (d *modeDeviations) DescribeAll(lbs []*loadBalancer) []*loadBalancer {
	if d.fault(modes.FaultDescribeLBAllEmpty) {
		return nil
	}
	return lbs
}

// DescribeNextMarker: describe-lbs-no-next-marker keeps the page size but drops the marker,
// so a paginator stops after the first page.
func (d *modeDeviations) DescribeNextMarker(next string) string {
	if d.fault(modes.FaultDescribeLBsNoNextMarker) {
		return ""
	}
	return next
}

// AccountLimitsPaging: account-limits-no-paging ignores PageSize and Marker.
func (d *modeDeviations) AccountLimitsPaging(pageSize int, has bool, from int) (int, bool, int) {
	if d.fault(modes.FaultAccountLimitsNoPaging) {
		return 0, false, 0
	}
	return pageSize, has, from
}

// membershipLag is how stale DescribeLoadBalancers' view of membership is under the
// eventual-membership variant.
const membershipLag = time.Second

// OnMembershipChange remembers a change for eventual-membership, pruning entries too old to
// matter.
func (d *modeDeviations) OnMembershipChange(lb *loadBalancer, id string, added bool, now time.Time) {
	if !d.variant(modes.VariantEventualMembership) {
		return
	}
	cutoff := now.Add(-membershipLag)
	keep := lb.history[:0]
	for _, c := range lb.history {
		if c.at.After(cutoff) {
			keep = append(keep, c)
		}
	}
	lb.history = append(keep, membershipChange{at: now, id: id, added: added})
}

// VisibleMembers: describe-lb-no-members shows none; eventual-membership shows the
// membership of membershipLag ago (changes newer than that are undone).
func (d *modeDeviations) VisibleMembers(lb *loadBalancer, ids []string, now time.Time) []string {
	if d.fault(modes.FaultDescribeLBNoMembers) {
		return nil
	}
	if !d.variant(modes.VariantEventualMembership) {
		return ids
	}
	// For each id changed within the lag, its visible state is the one before its oldest
	// change in the window: absent if that change added it, present if it removed it.
	cutoff := now.Add(-membershipLag)
	wasPresent := map[string]bool{}
	var readd []string
	for _, c := range lb.history {
		if !c.at.After(cutoff) {
			continue
		}
		if _, seen := wasPresent[c.id]; seen {
			continue
		}
		wasPresent[c.id] = !c.added
		if !c.added {
			readd = append(readd, c.id)
		}
	}
	out := ids[:0]
	for _, id := range ids {
		if present, changed := wasPresent[id]; !changed || present {
			out = append(out, id)
		}
	}
	for _, id := range readd {
		if _, current := lb.members.get(id); !current {
			out = append(out, id)
		}
	}
	return out
}

func (d *modeDeviations) MissingInstances(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultMissingParamAccepted) {
		return nil
	}
	return ref
}

// RegisterRequest: dup-in-request-refused refuses a request naming an instance twice.
func (d *modeDeviations) RegisterRequest(ids []string) *wire.Error {
	if !d.variant(modes.VariantDupInRequestRefused) || len(dedupe(ids)) == len(ids) {
		return nil
	}
	return wire.NewError(http.StatusBadRequest, "ValidationError", "Instances must not name an instance more than once.")
}

// ec2LagWindow is how long after launch ELB's view of EC2 lags under the ec2-lag variant.
const ec2LagWindow = 3 * time.Second

// RegistrationProblems: the register-*-accepted faults waive a check, register-own-vpc-refused
// adds one, and ec2-lag makes ELB not see an instance launched less than ec2LagWindow ago
// (docs/sources.md 11).
func (d *modeDeviations) RegistrationProblems(lb *loadBalancer, in instanceInfo, exists bool, now time.Time, p regProblems) regProblems {
	if d.fault(modes.FaultRegisterUnknownAccepted) {
		p &^= problemUnknown
	}
	if exists && d.variant(modes.VariantEC2Lag) && now.Sub(in.launchedAt) < ec2LagWindow {
		p |= problemNotVisible
	}
	if d.fault(modes.FaultRegisterTerminatedAccepted) {
		p &^= problemTerminated
	}
	if d.fault(modes.FaultRegisterStoppedAccepted) {
		p &^= problemStopped
	}
	if d.fault(modes.FaultRegisterOtherVPCAccepted) {
		p &^= problemOtherVPC
	}
	if exists && !lb.vpc.isDefault && d.fault(modes.FaultRegisterOwnVPCRefused) {
		p |= problemOtherVPC
	}
	return p
}

// OnRefusedRegister: failed-call-keeps-unknown stores the unknown ids anyway; the
// partial-register variant (undocumented, so benign) stores the good ones.
func (d *modeDeviations) OnRefusedRegister(good, unknown []string, register func(string)) {
	if d.fault(modes.FaultFailedCallKeepsUnknown) {
		for _, id := range unknown {
			register(id)
		}
	}
	if d.variant(modes.VariantPartialRegister) {
		for _, id := range good {
			register(id)
		}
	}
}

// OnRepeatInRequest: register-dup-in-request stores another copy.
func (d *modeDeviations) OnRepeatInRequest(lb *loadBalancer, id string) {
	if !d.fault(modes.FaultRegisterDupInRequest) {
		return
	}
	if mem, ok := lb.members.get(id); ok {
		mem.copies++
	}
}

// OnReregister: register-duplicates-member adds a second copy.
func (d *modeDeviations) OnReregister(mem *member) {
	if d.fault(modes.FaultRegisterDuplicatesMember) {
		mem.copies++
	}
}

func (d *modeDeviations) RegisterAnswer(sent, ref []string) []string {
	if d.fault(modes.FaultRegisterReturnsSentOnly) {
		return sent
	}
	return ref
}

// OnRefusedDeregister: deregister-unregistered-half-applied removes the registered ones.
func (d *modeDeviations) OnRefusedDeregister(ids []string, deregister func(string)) {
	if d.fault(modes.FaultDeregisterUnregisteredHalf) {
		for _, id := range ids {
			deregister(id)
		}
	}
}

// Deregister: deregister-noop answers right but removes nothing.
func (d *modeDeviations) Deregister(ids []string, deregister func(string)) {
	if d.fault(modes.FaultDeregisterNoop) {
		return
	}
	d.reference.Deregister(ids, deregister)
}

func (d *modeDeviations) DeregisterAnswer(removed, ref []string) []string {
	if d.fault(modes.FaultDeregisterReturnsRemoved) {
		return removed
	}
	return ref
}

func (d *modeDeviations) HealthOfUnknownLB(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultHealthUnknownLBEmpty) {
		return nil
	}
	return ref
}

func (d *modeDeviations) HealthFilter(ids []string) []string {
	if d.fault(modes.FaultHealthFilterIgnored) {
		return nil
	}
	return ids
}

func (d *modeDeviations) AllHealth(states []instanceHealth) []instanceHealth {
	if d.fault(modes.FaultHealthOmitsRegistered) && len(states) > 0 {
		return states[:len(states)-1]
	}
	return states
}

// NeverRegisteredHealth: correctly (docs/sources.md 4d) refused; never-registered-described
// (benign) describes it as "not currently registered"; health-never-registered-inservice
// reports it InService.
func (d *modeDeviations) NeverRegisteredHealth(id string) (*instanceHealth, bool) {
	switch {
	case d.fault(modes.FaultNeverRegisteredInService):
		return &instanceHealth{id, healthInService, reasonNA, descNA}, true
	case d.variant(modes.VariantNeverRegisteredDescribed):
		hs := notRegisteredHealth(id)
		return &hs, true
	}
	return nil, false
}

// FormerHealth: terminated-stays-inservice does not see termination, health-terminated-omitted
// leaves a terminated instance out, health-deregistered-invalid refuses a deregistered one.
func (d *modeDeviations) FormerHealth(ref *instanceHealth) (*instanceHealth, bool) {
	hs := *ref
	if hs.Description == descTerminated && d.fault(modes.FaultTerminatedStaysInService) {
		hs = notRegisteredHealth(hs.InstanceID)
	}
	if hs.Description == descTerminated && d.fault(modes.FaultHealthTerminatedOmitted) {
		return nil, true
	}
	if hs.Description == descNotRegistered && d.fault(modes.FaultHealthDeregisteredInvalid) {
		return nil, false
	}
	return &hs, true
}

// NotRunningHealth: stopped-stays-inservice and terminated-stays-inservice report the
// instance healthy.
func (d *modeDeviations) NotRunningHealth(id, state string, ref instanceHealth) instanceHealth {
	switch state {
	case stateStopping, stateStopped:
		if d.fault(modes.FaultStoppedStaysInService) {
			return d.h.reportStatus(id, checkHealthy)
		}
	case stateShuttingDown, stateTerminated:
		if d.fault(modes.FaultTerminatedStaysInService) {
			return d.h.reportStatus(id, checkHealthy)
		}
	}
	return ref
}

// ZoneEnabled: zone-enable-stays-out ignores a zone enabled after registration,
// health-ignores-zones routes to every zone, zone-disable-keeps-inservice to every zone ever
// enabled.
func (d *modeDeviations) ZoneEnabled(lb *loadBalancer, zone string, mem *member, at time.Time, enabled bool) (time.Time, bool) {
	switch {
	case enabled && at.After(mem.registeredAt) && d.fault(modes.FaultZoneEnableStaysOut):
		return time.Time{}, false
	case enabled:
		return at, true
	case d.fault(modes.FaultHealthIgnoresZones):
		return time.Time{}, true
	case d.fault(modes.FaultZoneDisableKeepsInService) && lb.everEnabled[zone]:
		return time.Time{}, true
	}
	return at, false
}

// healthLag is the extra delay of the health-lag variant.
const healthLag = 3 * time.Second

func (d *modeDeviations) HealthReady(ready time.Time) time.Time {
	if d.variant(modes.VariantHealthLag) {
		return ready.Add(healthLag)
	}
	return ready
}

func (d *modeDeviations) UnbackedHealthy(ref bool) bool {
	return ref || d.fault(modes.FaultUnbackedInService)
}

// ReportedHealth: in-progress-reason-instance, health-never-inservice and
// inservice-wrong-reason change the reported pair.
func (d *modeDeviations) ReportedHealth(status checkStatus, ref instanceHealth) instanceHealth {
	id := ref.InstanceID
	switch {
	case status == checkFailed:
		return ref
	case status == checkInProgress && d.fault(modes.FaultInProgressReasonInstance):
		return instanceHealth{id, healthOutOfService, reasonInstance, descInProgress}
	case status == checkInProgress:
		return ref
	case d.fault(modes.FaultHealthNeverInService):
		return instanceHealth{id, healthOutOfService, reasonELB, descInProgress}
	case d.fault(modes.FaultInServiceWrongReason):
		return instanceHealth{id, healthInService, reasonELB, descNA}
	}
	return ref
}

// TrafficAttributes: cross-zone-always, draining-ignored, draining-always and
// idle-timeout-ignored change what the data plane applies, not what is described.
func (d *modeDeviations) TrafficAttributes(a attributes) attributes {
	if d.fault(modes.FaultCrossZoneAlways) {
		a.CrossZone = true
	}
	if d.fault(modes.FaultDrainingIgnored) {
		a.Draining = false
	}
	if d.fault(modes.FaultDrainingAlways) && !a.Draining {
		a.Draining, a.DrainingTimeout = true, 300
	}
	if d.fault(modes.FaultIdleTimeoutIgnored) {
		a.IdleTimeout = 60
	}
	return a
}

// Stickiness: stickiness-ignored routes every request anew.
func (d *modeDeviations) Stickiness(ref dataplane.Stickiness) dataplane.Stickiness {
	if d.fault(modes.FaultStickinessIgnored) {
		return dataplane.Stickiness{}
	}
	return ref
}

// ServedListeners: listener-changes-not-served keeps serving the listeners first served.
func (d *modeDeviations) ServedListeners(lb *loadBalancer, ref []dataplane.Listener) []dataplane.Listener {
	if !d.fault(modes.FaultListenerChangesNotServed) {
		return ref
	}
	if first, ok := d.firstServed[lb]; ok {
		return first
	}
	d.firstServed[lb] = ref
	return ref
}

// TrafficTo: traffic-to-outofservice routes to every backed member.
func (d *modeDeviations) TrafficTo(inService bool) bool {
	return inService || d.fault(modes.FaultTrafficToOutOfService)
}

func (d *modeDeviations) EnableZonesAnswer(added, ref []string) []string {
	if d.fault(modes.FaultEnableAZAnswersAddedOnly) {
		return added
	}
	return ref
}

func (d *modeDeviations) AttachSubnetsAnswer(sent, ref []string) []string {
	if d.fault(modes.FaultAttachAnswersAddedOnly) {
		return sent
	}
	return ref
}

// DetachSubnets: detach-subnets-noop answers right but detaches nothing.
func (d *modeDeviations) DetachSubnets(detach func()) {
	if !d.fault(modes.FaultDetachNoop) {
		detach()
	}
}

// LastZoneRefusal: last-zone-validation-error answers 400 ValidationError (the code is not
// documented for this case; docs/sources.md 5a).
// disable-last-zone-accepted disables it.
func (d *modeDeviations) LastZoneRefusal(ref *wire.Error) *wire.Error {
	switch {
	case d.fault(modes.FaultDisableLastZoneAccepted):
		return nil
	case d.variant(modes.VariantLastZoneValidationError):
		return wire.NewError(http.StatusBadRequest, "ValidationError", "At least one Availability Zone must remain enabled.")
	}
	return ref
}

// GroupInUse: group-delete-in-use-accepted lets EC2 delete a group a load balancer uses.
func (d *modeDeviations) GroupInUse(ref bool) bool {
	return ref && !d.fault(modes.FaultGroupDeleteInUseAccepted)
}

// DescribedTags: describe-tags-first-only answers the first load balancer named only.
func (d *modeDeviations) DescribedTags(ref []*loadBalancer) []*loadBalancer {
	if d.fault(modes.FaultDescribeTagsFirstOnly) && len(ref) > 1 {
		return ref[:1]
	}
	return ref
}

// ListenerConflict: create-listeners-duplicate-accepted replaces the listener on the port.
func (d *modeDeviations) ListenerConflict(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultCreateListenersDuplicateAccepted) {
		return nil
	}
	return ref
}

// DeleteListeners: delete-listeners-noop succeeds and removes nothing.
func (d *modeDeviations) DeleteListeners(remove func()) {
	if !d.fault(modes.FaultDeleteListenersNoop) {
		remove()
	}
}

// AttributeOutOfRange: modify-attributes-range-unchecked accepts the value.
func (d *modeDeviations) AttributeOutOfRange(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultModifyAttributesRangeUnchecked) {
		return nil
	}
	return ref
}

// ApplyAttributes: modify-attributes-not-applied answers right but changes nothing.
func (d *modeDeviations) ApplyAttributes(apply func()) {
	if !d.fault(modes.FaultModifyAttributesNotApplied) {
		apply()
	}
}

// Security groups. groupRefusal is what create-lb-unknown-group-accepted,
// apply-groups-unknown-accepted (unknown) and groups-other-vpc-accepted (another VPC's
// group) let through.
func (d *modeDeviations) groupRefusal(ref *wire.Error, unknownFault string) *wire.Error {
	switch {
	case ref.Code == "InvalidSecurityGroup" && d.fault(unknownFault):
		return nil
	case otherVPCGroupRefusal(ref) && d.fault(modes.FaultGroupsOtherVPCAccepted):
		return nil
	}
	return ref
}

func (d *modeDeviations) CreateGroupsRefusal(ref *wire.Error) *wire.Error {
	return d.groupRefusal(ref, modes.FaultCreateLBUnknownGroupAccepted)
}

func (d *modeDeviations) ApplyGroupsRefusal(ref *wire.Error) *wire.Error {
	return d.groupRefusal(ref, modes.FaultApplyGroupsUnknownAccepted)
}

// ApplySecurityGroups: apply-groups-noop answers the groups sent but changes nothing.
func (d *modeDeviations) ApplySecurityGroups(apply func()) {
	if !d.fault(modes.FaultApplyGroupsNoop) {
		apply()
	}
}

// DefaultSecurityGroups: default-group-missing gives no group.
func (d *modeDeviations) DefaultSecurityGroups(ref []string) []string {
	if d.fault(modes.FaultDefaultGroupMissing) {
		return nil
	}
	return ref
}

// SourceSecurityGroupName: source-group-always-default answers "default" (the emulator's
// answer before security groups were modelled).
func (d *modeDeviations) SourceSecurityGroupName(ref string) string {
	if d.fault(modes.FaultSourceGroupAlwaysDefault) {
		return "default"
	}
	return ref
}

// PolicyTypes: policy-types-missing-stickiness leaves out the two stickiness types.
func (d *modeDeviations) PolicyTypes(ref []policyType) []policyType {
	if !d.fault(modes.FaultPolicyTypesMissingStickiness) {
		return ref
	}
	var out []policyType
	for _, t := range ref {
		if !isStickinessType(t.Name) {
			out = append(out, t)
		}
	}
	return out
}

// DuplicatePolicy: create-policy-duplicate-accepted replaces the policy of that name.
func (d *modeDeviations) DuplicatePolicy(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultCreatePolicyDuplicateAccepted) {
		return nil
	}
	return ref
}

// DescribedPolicyNames: describe-policies-ignores-names answers every policy.
func (d *modeDeviations) DescribedPolicyNames(names []string) []string {
	if d.fault(modes.FaultDescribePoliciesIgnoresNames) {
		return nil
	}
	return names
}

// PolicyInUse: delete-policy-in-use-accepted deletes it anyway.
func (d *modeDeviations) PolicyInUse(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultDeletePolicyInUseAccepted) {
		return nil
	}
	return ref
}

// CookieExpiration: lb-cookie-expiration-ignored stores 0.
func (d *modeDeviations) CookieExpiration(ref int64) int64 {
	if d.fault(modes.FaultLBCookieExpirationIgnored) {
		return 0
	}
	return ref
}

// ListenerPolicyAllowed: sticky-policy-on-tcp-accepted allows stickiness on any listener.
func (d *modeDeviations) ListenerPolicyAllowed(typeName, proto string, ref bool) bool {
	return ref || (d.fault(modes.FaultStickyPolicyOnTCPAccepted) && isStickinessType(typeName))
}

// UnknownListenerPolicy: set-listener-policies-unknown-accepted sets the name anyway.
func (d *modeDeviations) UnknownListenerPolicy(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultSetListenerUnknownAccepted) {
		return nil
	}
	return ref
}

// VisibleBackendPolicies: set-backend-policies-not-described shows none.
func (d *modeDeviations) VisibleBackendPolicies(ref map[int][]string) map[int][]string {
	if d.fault(modes.FaultSetBackendNotDescribed) {
		return nil
	}
	return ref
}

// OnTermination: terminated-stays-inservice leaves the registrations in place.
func (d *modeDeviations) OnTermination(deregister func()) {
	if !d.fault(modes.FaultTerminatedStaysInService) {
		deregister()
	}
}

// TagLimit: too-many-tags-accepted lets a load balancer carry any number of tags.
func (d *modeDeviations) TagLimit(ref int) int {
	if d.fault(modes.FaultTooManyTagsAccepted) {
		return math.MaxInt
	}
	return ref
}

// DuplicateTagKeys: add-tags-duplicate-keys-accepted keeps the last value.
func (d *modeDeviations) DuplicateTagKeys(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultAddTagsDuplicateKeysAccepted) {
		return nil
	}
	return ref
}

// AddedTagValue: add-tags-no-replace keeps the value a key already has.
func (d *modeDeviations) AddedTagValue(old string, had bool, ref string) string {
	if had && d.fault(modes.FaultAddTagsNoReplace) {
		return old
	}
	return ref
}

// RemoveTags: remove-tags-noop removes nothing.
func (d *modeDeviations) RemoveTags(remove func()) {
	if !d.fault(modes.FaultRemoveTagsNoop) {
		remove()
	}
}

// EnforcedQuota: lb-quota-unenforced and listener-quota-unenforced enforce no quota.
func (d *modeDeviations) EnforcedQuota(name string, ref int) int {
	switch {
	case name == limitLoadBalancers && d.fault(modes.FaultLBQuotaUnenforced),
		name == limitListeners && d.fault(modes.FaultListenerQuotaUnenforced):
		return -1
	}
	return ref
}

// ReportedLimit: account-limits-wrong-max reports one load balancer more than is enforced.
func (d *modeDeviations) ReportedLimit(name string, ref int) int {
	if name == limitLoadBalancers && ref >= 0 && d.fault(modes.FaultAccountLimitsWrongMax) {
		return ref + 1
	}
	return ref
}

// Parameter rules (docs/sources.md 23).

// InvalidLBName: name-rules-unchecked creates a load balancer whatever its name.
func (d *modeDeviations) InvalidLBName(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultNameRulesUnchecked) {
		return nil
	}
	return ref
}

// HealthCheckOutOfRange: health-check-range-unchecked accepts every value.
func (d *modeDeviations) HealthCheckOutOfRange(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultHealthCheckRangeUnchecked) {
		return nil
	}
	return ref
}

// ListenerProtocolPair: listener-protocol-pairs-unchecked accepts any pair.
func (d *modeDeviations) ListenerProtocolPair(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultListenerProtocolPairsUnchecked) {
		return nil
	}
	return ref
}

// NonDefaultVPCZones: zone-rules-vpc-zones-accepted goes on with the zones.
func (d *modeDeviations) NonDefaultVPCZones(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultZoneRulesVPCZonesAccepted) {
		return nil
	}
	return ref
}

// SecondSubnetInZone: subnet-same-zone-accepted attaches the second subnet.
func (d *modeDeviations) SecondSubnetInZone(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultSubnetSameZoneAccepted) {
		return nil
	}
	return ref
}

// CreateSettingsMatch: create-duplicate-name-accepted-with-other-settings finds every
// repeat the same, create-not-idempotent none.
func (d *modeDeviations) CreateSettingsMatch(ref bool) bool {
	switch {
	case d.fault(modes.FaultCreateDuplicateNameOtherSettingsOK):
		return true
	case d.fault(modes.FaultCreateNotIdempotent):
		return false
	}
	return ref
}

// Certificates (docs/sources.md 21).

// UnknownCertificate: unknown-certificate-accepted takes any SSLCertificateId.
func (d *modeDeviations) UnknownCertificate(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultUnknownCertificateAccepted) {
		return nil
	}
	return ref
}

// SetListenerCertificate: set-certificate-noop answers success and changes nothing.
func (d *modeDeviations) SetListenerCertificate(apply func()) {
	if !d.fault(modes.FaultSetCertificateNoop) {
		apply()
	}
}

// CertificateInUse: iam-delete-in-use-accepted deletes it anyway.
func (d *modeDeviations) CertificateInUse(ref *wire.Error) *wire.Error {
	if d.fault(modes.FaultIAMDeleteInUseAccepted) {
		return nil
	}
	return ref
}

// ServedCertificate: https-not-terminated presents a certificate of the emulator's own.
func (d *modeDeviations) ServedCertificate(ref *tls.Certificate, ok bool) (*tls.Certificate, bool) {
	if d.fault(modes.FaultHTTPSNotTerminated) {
		return foreignCertificate(), true
	}
	return ref, ok
}

// foreignCertificate is a self-signed certificate no client uploaded (https-not-terminated).
var foreignCertificate = sync.OnceValue(func() *tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "elb-emulator.invalid"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		DNSNames:     []string{"elb-emulator.invalid"},
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
})
