// Package modes is the emulator's self-test modes: the fault modes (each breaks one
// documented promise) and benign variants (each does what the documentation leaves open),
// their names and descriptions, and the layers that apply them outside the reference logic
// (wire.go: the answers' envelope, lists and request ids; the state-level hooks are listed
// in the emulator package's deviations.go).
package modes

import (
	"fmt"
	"slices"
)

// Mode names and describes one fault mode or benign variant.
type Mode struct {
	Name        string
	Description string
}

// Fault mode names. Each breaks exactly one documented promise of the API; the suite's
// self-test runs the specs against each and expects at least one spec to fail.
const (
	FaultRegisterReturnsSentOnly    = "register-returns-sent-only"
	FaultRegisterDuplicatesMember   = "register-duplicates-member"
	FaultRegisterDupInRequest       = "register-dup-in-request"
	FaultLBNotFound5xx              = "lb-not-found-5xx"
	FaultLBNotFoundWrongCode        = "lb-not-found-wrong-code"
	FaultDescribeLBUnknownEmpty     = "describe-lb-unknown-empty"
	FaultHealthUnknownLBEmpty       = "health-unknown-lb-empty"
	FaultRegisterUnknownAccepted    = "register-unknown-accepted"
	FaultRegisterTerminatedAccepted = "register-terminated-accepted"
	FaultRegisterOtherVPCAccepted   = "register-other-vpc-accepted"
	FaultRegisterStoppedAccepted    = "register-stopped-accepted"
	FaultFailedCallKeepsUnknown     = "failed-call-keeps-unknown"
	FaultHealthIgnoresZones         = "health-ignores-zones"
	FaultHealthNeverInService       = "health-never-inservice"
	FaultZoneEnableStaysOut         = "zone-enable-stays-out"
	FaultZoneDisableKeepsInService  = "zone-disable-keeps-inservice"
	FaultDeregisterNoop             = "deregister-noop"
	FaultDeregisterReturnsRemoved   = "deregister-returns-removed"
	FaultDeregisterUnregisteredHalf = "deregister-unregistered-half-applied"
	FaultStoppedStaysInService      = "stopped-stays-inservice"
	FaultTerminatedStaysInService   = "terminated-stays-inservice"
	FaultDeleteKeepsRegistrations   = "delete-keeps-registrations"
	FaultDeleteMissingErrors        = "delete-missing-errors"
	FaultHealthFilterIgnored        = "health-filter-ignored"
	FaultHealthOmitsRegistered      = "health-omits-registered"
	FaultDescribeLBNoMembers        = "describe-lb-no-members"
	FaultInServiceWrongReason       = "inservice-wrong-reason"
	FaultMissingParamAccepted       = "missing-param-accepted"
	FaultMissingRequestID           = "missing-request-id"
	FaultWrongNamespace             = "wrong-namespace"
	FaultNoMemberWrappers           = "no-member-wrappers"
	FaultErrorTypeReceiver          = "error-type-receiver"
	FaultErrorStatus200             = "error-status-200"
	FaultErrorEC2Envelope           = "error-ec2-envelope"
	FaultContentTypePlain           = "content-type-plain"
	FaultEnableAZAnswersAddedOnly   = "enable-az-answers-added-only"
	FaultTrafficToOutOfService      = "traffic-to-outofservice"
	FaultHealthDeregisteredInvalid  = "health-deregistered-invalid"
	FaultDescribeLBAllEmpty         = "describe-lb-all-empty"
	FaultRegisterOwnVPCRefused      = "register-own-vpc-refused"
	FaultAttachAnswersAddedOnly     = "attach-subnets-answers-added-only"
	FaultDetachNoop                 = "detach-subnets-noop"
	FaultUnbackedInService          = "unbacked-inservice"
	FaultInProgressReasonInstance   = "in-progress-reason-instance"
	FaultHealthTerminatedOmitted    = "health-terminated-omitted"
	FaultNeverRegisteredInService   = "health-never-registered-inservice"
	FaultDescribeLBsNoNextMarker    = "describe-lbs-no-next-marker"
	FaultAccountLimitsNoPaging      = "account-limits-no-paging"
	// Listeners and attributes (docs/sources.md 16, 17).
	FaultCreateListenersDuplicateAccepted = "create-listeners-duplicate-accepted"
	FaultDeleteListenersNoop              = "delete-listeners-noop"
	FaultAttributesWrongDefaults          = "attributes-wrong-defaults"
	FaultModifyAttributesRangeUnchecked   = "modify-attributes-range-unchecked"
	FaultModifyAttributesNotApplied       = "modify-attributes-not-applied"
)

// Fault mode names of what attributes, policies and listener changes do to traffic
// (docs/sources.md 18j, 19).
const (
	FaultCrossZoneAlways          = "cross-zone-always"
	FaultDrainingIgnored          = "draining-ignored"
	FaultDrainingAlways           = "draining-always"
	FaultIdleTimeoutIgnored       = "idle-timeout-ignored"
	FaultStickinessIgnored        = "stickiness-ignored"
	FaultListenerChangesNotServed = "listener-changes-not-served"
)

// Fault mode names of behaviours that had no fault of their own.
const (
	FaultDisableLastZoneAccepted  = "disable-last-zone-accepted"
	FaultDescribeTagsFirstOnly    = "describe-tags-first-only"
	FaultGroupDeleteInUseAccepted = "group-delete-in-use-accepted"
)

// Fault mode names of the policy operations (docs/sources.md 18).
const (
	FaultPolicyTypesMissingStickiness  = "policy-types-missing-stickiness"
	FaultCreatePolicyDuplicateAccepted = "create-policy-duplicate-accepted"
	FaultDescribePoliciesIgnoresNames  = "describe-policies-ignores-names"
	FaultDeletePolicyInUseAccepted     = "delete-policy-in-use-accepted"
	FaultLBCookieExpirationIgnored     = "lb-cookie-expiration-ignored"
	FaultStickyPolicyOnTCPAccepted     = "sticky-policy-on-tcp-accepted"
	FaultSetListenerUnknownAccepted    = "set-listener-policies-unknown-accepted"
	FaultSetBackendNotDescribed        = "set-backend-policies-not-described"
)

// Fault mode names of the tag operations and the quotas (docs/sources.md 22).
const (
	FaultTooManyTagsAccepted          = "too-many-tags-accepted"
	FaultAddTagsDuplicateKeysAccepted = "add-tags-duplicate-keys-accepted"
	FaultAddTagsNoReplace             = "add-tags-no-replace"
	FaultRemoveTagsNoop               = "remove-tags-noop"
	FaultLBQuotaUnenforced            = "lb-quota-unenforced"
	FaultListenerQuotaUnenforced      = "listener-quota-unenforced"
	FaultAccountLimitsWrongMax        = "account-limits-wrong-max"
)

// Fault mode names of the parameter rules: names, health checks, listeners, zones, subnets and
// CreateLoadBalancer's idempotency (docs/sources.md 23).
const (
	FaultNameRulesUnchecked                 = "name-rules-unchecked"
	FaultHealthCheckRangeUnchecked          = "health-check-range-unchecked"
	FaultListenerProtocolPairsUnchecked     = "listener-protocol-pairs-unchecked"
	FaultZoneRulesVPCZonesAccepted          = "zone-rules-vpc-zones-accepted"
	FaultSubnetSameZoneAccepted             = "subnet-same-zone-accepted"
	FaultCreateDuplicateNameOtherSettingsOK = "create-duplicate-name-accepted-with-other-settings"
	FaultCreateNotIdempotent                = "create-not-idempotent"
)

// Fault mode names of server certificates and secure listeners (docs/sources.md 21).
const (
	FaultUnknownCertificateAccepted = "unknown-certificate-accepted"
	FaultSetCertificateNoop         = "set-certificate-noop"
	FaultHTTPSNotTerminated         = "https-not-terminated"
	FaultIAMDeleteInUseAccepted     = "iam-delete-in-use-accepted"
)

// Fault mode names of security groups (docs/sources.md 20).
const (
	FaultCreateLBUnknownGroupAccepted = "create-lb-unknown-group-accepted"
	FaultApplyGroupsUnknownAccepted   = "apply-groups-unknown-accepted"
	FaultGroupsOtherVPCAccepted       = "groups-other-vpc-accepted"
	FaultApplyGroupsNoop              = "apply-groups-noop"
	FaultDefaultGroupMissing          = "default-group-missing"
	FaultSourceGroupAlwaysDefault     = "source-group-always-default"
)

// Benign variant names: behaviours the documentation leaves open, which a correct suite must
// tolerate (every spec should still pass).
const (
	VariantShuffleOrder             = "shuffle-order"
	VariantLatency                  = "latency"
	VariantHealthLag                = "health-lag"
	VariantEventualMembership       = "eventual-membership"
	VariantExtraElements            = "extra-elements"
	VariantRewordedErrors           = "reworded-errors"
	VariantRequestIDFormat          = "request-id-format"
	VariantThrottleFirst            = "throttle-first"
	VariantPartialRegister          = "partial-register"
	VariantEC2Lag                   = "ec2-lag"
	VariantDupInRequestRefused      = "dup-in-request-refused"
	VariantNeverRegisteredDescribed = "never-registered-described"
	VariantLastZoneValidationError  = "last-zone-validation-error"
)

// Faults lists the fault modes, in a stable order.
var Faults = []Mode{
	{FaultRegisterReturnsSentOnly, "RegisterInstancesWithLoadBalancer answers only the instances sent, not the whole membership."},
	{FaultRegisterDuplicatesMember, "Re-registering an already registered instance adds a second copy to the membership."},
	{FaultRegisterDupInRequest, "The same instance id twice in one Register request is stored twice."},
	{FaultLBNotFound5xx, "An unknown load balancer is answered 500 InternalFailure instead of 400 LoadBalancerNotFound."},
	{FaultLBNotFoundWrongCode, "An unknown load balancer is answered 400 ValidationError instead of LoadBalancerNotFound."},
	{FaultDescribeLBUnknownEmpty, "DescribeLoadBalancers with an unknown name answers an empty list instead of LoadBalancerNotFound."},
	{FaultHealthUnknownLBEmpty, "DescribeInstanceHealth on an unknown load balancer answers an empty list instead of LoadBalancerNotFound."},
	{FaultRegisterUnknownAccepted, "Registering a nonexistent instance id succeeds and stores it."},
	{FaultRegisterTerminatedAccepted, "Registering a terminated (or shutting-down) instance succeeds."},
	{FaultRegisterOtherVPCAccepted, "Registering an instance from another VPC than the load balancer's succeeds."},
	{FaultRegisterStoppedAccepted, "Registering a stopped (or stopping) instance succeeds."},
	{FaultFailedCallKeepsUnknown, "Register answers InvalidInstance for an unknown id but stores that id anyway."},
	{FaultHealthIgnoresZones, "Instances in zones the load balancer has not enabled go InService."},
	{FaultHealthNeverInService, "Registered instances never become InService."},
	{FaultZoneEnableStaysOut, "An instance stays OutOfService after its zone is enabled on the load balancer."},
	{FaultZoneDisableKeepsInService, "Instances stay InService after their zone is disabled."},
	{FaultDeregisterNoop, "Deregister answers the right remaining list but the membership is unchanged."},
	{FaultDeregisterReturnsRemoved, "Deregister answers the removed instances instead of the remaining ones."},
	{FaultDeregisterUnregisteredHalf, "Deregistering [registered, unregistered] removes the registered one and answers InvalidInstance (half-applied)."},
	{FaultStoppedStaysInService, "A stopped registered instance still reports InService."},
	{FaultTerminatedStaysInService, "Terminating an instance does not deregister it; it still reports InService."},
	{FaultDeleteKeepsRegistrations, "Recreating a deleted load balancer with the same name brings the old members back."},
	{FaultDeleteMissingErrors, "Deleting an unknown load balancer answers LoadBalancerNotFound instead of succeeding."},
	{FaultHealthFilterIgnored, "DescribeInstanceHealth ignores its Instances filter and answers every registered instance."},
	{FaultHealthOmitsRegistered, "DescribeInstanceHealth without a filter omits one registered instance (the latest)."},
	{FaultDescribeLBNoMembers, "DescribeLoadBalancers never shows any Instances."},
	{FaultInServiceWrongReason, "InService instances carry ReasonCode ELB instead of N/A."},
	{FaultMissingParamAccepted, "Register/Deregister without Instances answer 200 with the membership instead of ValidationError."},
	{FaultMissingRequestID, "Responses carry no RequestId (neither in the body nor the x-amzn-RequestId header)."},
	{FaultWrongNamespace, "ELB responses use the wrong XML namespace (2011-11-15)."},
	{FaultNoMemberWrappers, "ELB list items are written without their <member> wrapper."},
	{FaultErrorTypeReceiver, "Client errors are sent with <Type>Receiver</Type>."},
	{FaultErrorStatus200, "ELB errors are sent with HTTP status 200."},
	{FaultErrorEC2Envelope, "ELB errors are sent in EC2's <Response><Errors> envelope."},
	{FaultContentTypePlain, "ELB responses are sent with Content-Type text/plain."},
	{FaultEnableAZAnswersAddedOnly, "EnableAvailabilityZonesForLoadBalancer answers only the zones added, not the full list."},
	{FaultTrafficToOutOfService, "Listeners also route traffic to registered members that are OutOfService (failing health checks, registration in progress, zone not enabled)."},
	{FaultHealthDeregisteredInvalid, "DescribeInstanceHealth asked by ID about an existing instance that is not registered answers InvalidInstance instead of its state."},
	{FaultDescribeLBAllEmpty, "DescribeLoadBalancers without LoadBalancerNames answers an empty list; naming a load balancer still works."},
	{FaultRegisterOwnVPCRefused, "Registering an instance of a non-default VPC is refused with InvalidInstance even on a load balancer in that VPC."},
	{FaultAttachAnswersAddedOnly, "AttachLoadBalancerToSubnets answers only the subnets sent, not every attached subnet."},
	{FaultDetachNoop, "DetachLoadBalancerFromSubnets answers the right remaining subnets but detaches nothing."},
	{FaultUnbackedInService, "An instance with nothing listening goes InService after a fixed delay, whatever its health check (the emulator's behaviour before real checks decided for every instance)."},
	{FaultInProgressReasonInstance, "An instance whose registration is in progress is reported OutOfService with ReasonCode Instance instead of ELB."},
	{FaultHealthTerminatedOmitted, "DescribeInstanceHealth asked by ID about a terminated instance leaves it out of the answer, so the InstanceDeregistered waiter never succeeds."},
	{FaultNeverRegisteredInService, "DescribeInstanceHealth asked by ID about an existing instance that was never registered reports it InService."},
	{FaultDescribeLBsNoNextMarker, "DescribeLoadBalancers honours PageSize but never answers a NextMarker, so a paginator stops after the first page."},
	{FaultAccountLimitsNoPaging, "DescribeAccountLimits ignores PageSize and Marker: every call answers every limit and no NextMarker."},
	{FaultCreateListenersDuplicateAccepted, "CreateLoadBalancerListeners accepts a port already in use with other settings and replaces that listener instead of answering DuplicateListener."},
	{FaultDeleteListenersNoop, "DeleteLoadBalancerListeners succeeds but removes nothing."},
	{FaultAttributesWrongDefaults, "A new load balancer has cross-zone load balancing enabled (the API's default is disabled)."},
	{FaultModifyAttributesRangeUnchecked, "ModifyLoadBalancerAttributes accepts out-of-range values (an idle timeout of 0 or 4001 s, a draining timeout of 0 or 3601 s, an EmitInterval other than 5 or 60) and stores them."},
	{FaultModifyAttributesNotApplied, "ModifyLoadBalancerAttributes answers the attributes sent but changes nothing."},
	{FaultCrossZoneAlways, "Each zone's node routes to the InService members of every zone, even with cross-zone load balancing off."},
	{FaultDrainingIgnored, "A deregistered member's in-flight requests are cut at once, even with connection draining on."},
	{FaultDrainingAlways, "A deregistered member's in-flight requests complete (for 300 s), even with connection draining off."},
	{FaultIdleTimeoutIgnored, "Client connections stay open 60 s when idle, whatever the idle timeout."},
	{FaultStickinessIgnored, "Stickiness policies in force on a listener change nothing: every request is routed anew."},
	{FaultListenerChangesNotServed, "Listeners created or deleted once the load balancer serves do not change what accepts connections."},
	{FaultDisableLastZoneAccepted, "DisableAvailabilityZonesForLoadBalancer disables a load balancer's last zone, leaving it none."},
	{FaultDescribeTagsFirstOnly, "DescribeTags answers the tags of the first load balancer named only."},
	{FaultGroupDeleteInUseAccepted, "EC2 DeleteSecurityGroup deletes a group a load balancer uses."},
	{FaultPolicyTypesMissingStickiness, "DescribeLoadBalancerPolicyTypes leaves out LBCookieStickinessPolicyType and AppCookieStickinessPolicyType (naming them is PolicyTypeNotFound)."},
	{FaultCreatePolicyDuplicateAccepted, "Creating a policy under a name the load balancer already uses succeeds and replaces that policy instead of answering DuplicatePolicyName."},
	{FaultDescribePoliciesIgnoresNames, "DescribeLoadBalancerPolicies with a load balancer and PolicyNames answers every policy of the load balancer, not just those named."},
	{FaultDeletePolicyInUseAccepted, "DeleteLoadBalancerPolicy deletes a policy in force on a listener instead of refusing with InvalidConfigurationRequest; the listener still names it."},
	{FaultLBCookieExpirationIgnored, "CreateLBCookieStickinessPolicy ignores CookieExpirationPeriod and stores 0 (the browser session)."},
	{FaultStickyPolicyOnTCPAccepted, "SetLoadBalancerPoliciesOfListener puts a stickiness policy in force on a TCP or SSL listener instead of refusing it."},
	{FaultSetListenerUnknownAccepted, "SetLoadBalancerPoliciesOfListener accepts a name that is not a policy of the load balancer and lists it on the listener instead of answering PolicyNotFound."},
	{FaultSetBackendNotDescribed, "SetLoadBalancerPoliciesForBackendServer succeeds but DescribeLoadBalancers never shows BackendServerDescriptions."},
	{FaultCreateLBUnknownGroupAccepted, "CreateLoadBalancer accepts SecurityGroups that do not exist (or are not security group ids) and describes them back instead of answering InvalidSecurityGroup."},
	{FaultApplyGroupsUnknownAccepted, "ApplySecurityGroupsToLoadBalancer accepts security groups that do not exist and applies them instead of answering InvalidSecurityGroup."},
	{FaultGroupsOtherVPCAccepted, "CreateLoadBalancer and ApplySecurityGroupsToLoadBalancer accept a security group of another VPC than the load balancer's."},
	{FaultApplyGroupsNoop, "ApplySecurityGroupsToLoadBalancer answers the groups sent but changes nothing."},
	{FaultDefaultGroupMissing, "A load balancer created without SecurityGroups gets no security group (neither its VPC's default group nor, in the default VPC, ELB's default_elb group)."},
	{FaultSourceGroupAlwaysDefault, "DescribeLoadBalancers answers SourceSecurityGroup GroupName \"default\" for every load balancer, whatever its security groups."},
	{FaultUnknownCertificateAccepted, "An HTTPS or SSL listener whose SSLCertificateId names no server certificate is accepted (CreateLoadBalancer, CreateLoadBalancerListeners, SetLoadBalancerListenerSSLCertificate) instead of refused with CertificateNotFound."},
	{FaultSetCertificateNoop, "SetLoadBalancerListenerSSLCertificate succeeds but the listener keeps its certificate."},
	{FaultHTTPSNotTerminated, "HTTPS and SSL listeners present a certificate of the emulator's own instead of the listener's server certificate."},
	{FaultIAMDeleteInUseAccepted, "DeleteServerCertificate deletes a server certificate a listener uses instead of refusing with DeleteConflict."},
	{FaultNameRulesUnchecked, "CreateLoadBalancer accepts a name longer than 32 characters, with characters other than letters, digits and hyphens, or beginning or ending with a hyphen."},
	{FaultHealthCheckRangeUnchecked, "ConfigureHealthCheck accepts an Interval, Timeout or threshold outside its range, and a Timeout not below the Interval, and puts it in force."},
	{FaultListenerProtocolPairsUnchecked, "CreateLoadBalancer and CreateLoadBalancerListeners accept a listener whose back-end protocol is not of its front end's layer (HTTP to TCP, TCP to HTTP)."},
	{FaultZoneRulesVPCZonesAccepted, "Enable/DisableAvailabilityZonesForLoadBalancer on a load balancer outside the default VPC go on (with the default VPC's subnets) instead of answering ValidationError."},
	{FaultSubnetSameZoneAccepted, "AttachLoadBalancerToSubnets attaches a second subnet in a zone that already has one instead of answering InvalidConfigurationRequest."},
	{FaultCreateDuplicateNameOtherSettingsOK, "CreateLoadBalancer for an existing name with other settings (tags, listeners) answers the existing DNS name instead of DuplicateLoadBalancerName."},
	{FaultCreateNotIdempotent, "CreateLoadBalancer for an existing name with the same settings answers DuplicateLoadBalancerName instead of succeeding."},
	{FaultTooManyTagsAccepted, "AddTags and CreateLoadBalancer accept any number of tags on a load balancer instead of answering TooManyTags."},
	{FaultAddTagsDuplicateKeysAccepted, "AddTags (and CreateLoadBalancer) with a tag key given twice succeed and keep the last value instead of answering DuplicateTagKeys."},
	{FaultAddTagsNoReplace, "AddTags with a key the load balancer already has succeeds but keeps the old value."},
	{FaultRemoveTagsNoop, "RemoveTags succeeds but removes nothing."},
	{FaultLBQuotaUnenforced, "CreateLoadBalancer creates load balancers past the classic-load-balancers quota instead of answering TooManyLoadBalancers."},
	{FaultListenerQuotaUnenforced, "CreateLoadBalancer and CreateLoadBalancerListeners give a load balancer more listeners than the classic-listeners quota."},
	{FaultAccountLimitsWrongMax, "DescribeAccountLimits reports a classic-load-balancers Max one more than the quota CreateLoadBalancer enforces."},
}

// Variants lists the benign variants, in a stable order.
var Variants = []Mode{
	{VariantShuffleOrder, "Every list in every answer comes in random order."},
	{VariantLatency, "Every response is delayed by 50-150 ms."},
	{VariantHealthLag, "Instances are reported InService only ~3 s after their health checks would allow."},
	{VariantEventualMembership, "DescribeLoadBalancers shows membership changes only ~1 s after they happen; Register/Deregister answers stay immediate."},
	{VariantExtraElements, "Answers carry unknown extra XML elements (in Result and inside list members) and an extra HTTP header."},
	{VariantRewordedErrors, "Error messages are worded differently (codes unchanged)."},
	{VariantRequestIDFormat, "Request ids look like req-00042 instead of UUIDs."},
	{VariantThrottleFirst, "The first attempt of every ELB request is answered 400 Throttling (\"Rate exceeded\"); the SDK's retry succeeds."},
	// A variant, not a fault: whether the valid ids of a refused call are registered is
	// undocumented (docs/sources.md 1h), so a correct suite must tolerate either answer.
	{VariantPartialRegister, "A Register call that names a bad id registers the good ones and still answers InvalidInstance."},
	// EC2 is eventually consistent and ELB's view of it lags (docs/sources.md 11).
	{VariantEC2Lag, "Register refuses an instance launched less than 3 s ago with InvalidInstance, as AWS may while its view of EC2 lags."},
	// Unseen on AWS either way; the set of registered instances is what is promised.
	{VariantDupInRequestRefused, "A Register request naming an instance twice is refused with 400 ValidationError and changes nothing."},
	// The stronger source (a capture) says InvalidInstance; the descriptions allow this.
	// No capture of the last-zone case exists; only a client error is documented.
	{VariantLastZoneValidationError, "Disabling a load balancer's last zone is refused with 400 ValidationError instead of 409 InvalidConfigurationRequest."},
	{VariantNeverRegisteredDescribed, "DescribeInstanceHealth asked by ID about an existing instance that was never registered describes it OutOfService \"not currently registered\" instead of refusing it."},
}

// Set records which faults and variants are on. It is immutable after construction, so
// lookups need no locking.
type Set struct {
	faults   map[string]bool
	variants map[string]bool
}

// Parse returns the Set of the named faults and variants, or an error naming an unknown one.
func Parse(faults, variants []string) (Set, error) {
	m := Set{faults: map[string]bool{}, variants: map[string]bool{}}
	for _, name := range faults {
		if !slices.ContainsFunc(Faults, func(x Mode) bool { return x.Name == name }) {
			return m, fmt.Errorf("emulator: unknown fault mode %q (see FaultModes)", name)
		}
		m.faults[name] = true
	}
	for _, name := range variants {
		if !slices.ContainsFunc(Variants, func(x Mode) bool { return x.Name == name }) {
			return m, fmt.Errorf("emulator: unknown variant %q (see Variants)", name)
		}
		m.variants[name] = true
	}
	return m, nil
}

// Fault reports whether the named fault mode is on.
func (m Set) Fault(name string) bool { return m.faults[name] }

// Variant reports whether the named variant is on.
func (m Set) Variant(name string) bool { return m.variants[name] }

// None reports whether no mode is on (the reference behaviour).
func (m Set) None() bool { return len(m.faults) == 0 && len(m.variants) == 0 }
