package emulator

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
	faultRegisterReturnsSentOnly    = "register-returns-sent-only"
	faultRegisterDuplicatesMember   = "register-duplicates-member"
	faultRegisterDupInRequest       = "register-dup-in-request"
	faultLBNotFound5xx              = "lb-not-found-5xx"
	faultLBNotFoundWrongCode        = "lb-not-found-wrong-code"
	faultDescribeLBUnknownEmpty     = "describe-lb-unknown-empty"
	faultHealthUnknownLBEmpty       = "health-unknown-lb-empty"
	faultRegisterUnknownAccepted    = "register-unknown-accepted"
	faultRegisterTerminatedAccepted = "register-terminated-accepted"
	faultRegisterOtherVPCAccepted   = "register-other-vpc-accepted"
	faultRegisterStoppedAccepted    = "register-stopped-accepted"
	faultFailedCallKeepsUnknown     = "failed-call-keeps-unknown"
	faultHealthIgnoresZones         = "health-ignores-zones"
	faultHealthNeverInService       = "health-never-inservice"
	faultZoneEnableStaysOut         = "zone-enable-stays-out"
	faultZoneDisableKeepsInService  = "zone-disable-keeps-inservice"
	faultDeregisterNoop             = "deregister-noop"
	faultDeregisterReturnsRemoved   = "deregister-returns-removed"
	faultDeregisterUnregisteredHalf = "deregister-unregistered-half-applied"
	faultStoppedStaysInService      = "stopped-stays-inservice"
	faultTerminatedStaysInService   = "terminated-stays-inservice"
	faultDeleteKeepsRegistrations   = "delete-keeps-registrations"
	faultDeleteMissingErrors        = "delete-missing-errors"
	faultHealthFilterIgnored        = "health-filter-ignored"
	faultHealthOmitsRegistered      = "health-omits-registered"
	faultDescribeLBNoMembers        = "describe-lb-no-members"
	faultInServiceWrongReason       = "inservice-wrong-reason"
	faultMissingParamAccepted       = "missing-param-accepted"
	faultMissingRequestID           = "missing-request-id"
	faultWrongNamespace             = "wrong-namespace"
	faultNoMemberWrappers           = "no-member-wrappers"
	faultErrorTypeReceiver          = "error-type-receiver"
	faultErrorStatus200             = "error-status-200"
	faultErrorEC2Envelope           = "error-ec2-envelope"
	faultContentTypePlain           = "content-type-plain"
	faultEnableAZAnswersAddedOnly   = "enable-az-answers-added-only"
	faultTrafficToOutOfService      = "traffic-to-outofservice"
	faultHealthDeregisteredInvalid  = "health-deregistered-invalid"
	faultDescribeLBAllEmpty         = "describe-lb-all-empty"
	faultRegisterOwnVPCRefused      = "register-own-vpc-refused"
	faultAttachAnswersAddedOnly     = "attach-subnets-answers-added-only"
	faultDetachNoop                 = "detach-subnets-noop"
	faultUnbackedInService          = "unbacked-inservice"
	faultInProgressReasonInstance   = "in-progress-reason-instance"
	faultHealthTerminatedOmitted    = "health-terminated-omitted"
	faultNeverRegisteredInService   = "health-never-registered-inservice"
	faultDescribeLBsNoNextMarker    = "describe-lbs-no-next-marker"
	faultAccountLimitsNoPaging      = "account-limits-no-paging"
)

// Benign variant names: behaviours the documentation leaves open, which a correct suite must
// tolerate (every spec should still pass).
const (
	variantShuffleOrder             = "shuffle-order"
	variantLatency                  = "latency"
	variantHealthLag                = "health-lag"
	variantEventualMembership       = "eventual-membership"
	variantExtraElements            = "extra-elements"
	variantRewordedErrors           = "reworded-errors"
	variantRequestIDFormat          = "request-id-format"
	variantThrottleFirst            = "throttle-first"
	variantPartialRegister          = "partial-register"
	variantEC2Lag                   = "ec2-lag"
	variantDupInRequestRefused      = "dup-in-request-refused"
	variantNeverRegisteredDescribed = "never-registered-described"
	variantLastZoneValidationError  = "last-zone-validation-error"
)

var faultModes = []Mode{
	{faultRegisterReturnsSentOnly, "RegisterInstancesWithLoadBalancer answers only the instances sent, not the whole membership."},
	{faultRegisterDuplicatesMember, "Re-registering an already registered instance adds a second copy to the membership."},
	{faultRegisterDupInRequest, "The same instance id twice in one Register request is stored twice."},
	{faultLBNotFound5xx, "An unknown load balancer is answered 500 InternalFailure instead of 400 LoadBalancerNotFound."},
	{faultLBNotFoundWrongCode, "An unknown load balancer is answered 400 ValidationError instead of LoadBalancerNotFound."},
	{faultDescribeLBUnknownEmpty, "DescribeLoadBalancers with an unknown name answers an empty list instead of LoadBalancerNotFound."},
	{faultHealthUnknownLBEmpty, "DescribeInstanceHealth on an unknown load balancer answers an empty list instead of LoadBalancerNotFound."},
	{faultRegisterUnknownAccepted, "Registering a nonexistent instance id succeeds and stores it."},
	{faultRegisterTerminatedAccepted, "Registering a terminated (or shutting-down) instance succeeds."},
	{faultRegisterOtherVPCAccepted, "Registering an instance from another VPC than the load balancer's succeeds."},
	{faultRegisterStoppedAccepted, "Registering a stopped (or stopping) instance succeeds."},
	{faultFailedCallKeepsUnknown, "Register answers InvalidInstance for an unknown id but stores that id anyway."},
	{faultHealthIgnoresZones, "Instances in zones the load balancer has not enabled go InService."},
	{faultHealthNeverInService, "Registered instances never become InService."},
	{faultZoneEnableStaysOut, "An instance stays OutOfService after its zone is enabled on the load balancer."},
	{faultZoneDisableKeepsInService, "Instances stay InService after their zone is disabled."},
	{faultDeregisterNoop, "Deregister answers the right remaining list but the membership is unchanged."},
	{faultDeregisterReturnsRemoved, "Deregister answers the removed instances instead of the remaining ones."},
	{faultDeregisterUnregisteredHalf, "Deregistering [registered, unregistered] removes the registered one and answers InvalidInstance (half-applied)."},
	{faultStoppedStaysInService, "A stopped registered instance still reports InService."},
	{faultTerminatedStaysInService, "Terminating an instance does not deregister it; it still reports InService."},
	{faultDeleteKeepsRegistrations, "Recreating a deleted load balancer with the same name brings the old members back."},
	{faultDeleteMissingErrors, "Deleting an unknown load balancer answers LoadBalancerNotFound instead of succeeding."},
	{faultHealthFilterIgnored, "DescribeInstanceHealth ignores its Instances filter and answers every registered instance."},
	{faultHealthOmitsRegistered, "DescribeInstanceHealth without a filter omits one registered instance (the latest)."},
	{faultDescribeLBNoMembers, "DescribeLoadBalancers never shows any Instances."},
	{faultInServiceWrongReason, "InService instances carry ReasonCode ELB instead of N/A."},
	{faultMissingParamAccepted, "Register/Deregister without Instances answer 200 with the membership instead of ValidationError."},
	{faultMissingRequestID, "Responses carry no RequestId (neither in the body nor the x-amzn-RequestId header)."},
	{faultWrongNamespace, "ELB responses use the wrong XML namespace (2011-11-15)."},
	{faultNoMemberWrappers, "ELB list items are written without their <member> wrapper."},
	{faultErrorTypeReceiver, "Client errors are sent with <Type>Receiver</Type>."},
	{faultErrorStatus200, "ELB errors are sent with HTTP status 200."},
	{faultErrorEC2Envelope, "ELB errors are sent in EC2's <Response><Errors> envelope."},
	{faultContentTypePlain, "ELB responses are sent with Content-Type text/plain."},
	{faultEnableAZAnswersAddedOnly, "EnableAvailabilityZonesForLoadBalancer answers only the zones added, not the full list."},
	{faultTrafficToOutOfService, "Listeners also route traffic to registered members that are OutOfService (failing health checks, registration in progress, zone not enabled)."},
	{faultHealthDeregisteredInvalid, "DescribeInstanceHealth asked by ID about an existing instance that is not registered answers InvalidInstance instead of its state."},
	{faultDescribeLBAllEmpty, "DescribeLoadBalancers without LoadBalancerNames answers an empty list; naming a load balancer still works."},
	{faultRegisterOwnVPCRefused, "Registering an instance of a non-default VPC is refused with InvalidInstance even on a load balancer in that VPC."},
	{faultAttachAnswersAddedOnly, "AttachLoadBalancerToSubnets answers only the subnets sent, not every attached subnet."},
	{faultDetachNoop, "DetachLoadBalancerFromSubnets answers the right remaining subnets but detaches nothing."},
	{faultUnbackedInService, "An instance with nothing listening goes InService after a fixed delay, whatever its health check (the emulator's behaviour before real checks decided for every instance)."},
	{faultInProgressReasonInstance, "An instance whose registration is in progress is reported OutOfService with ReasonCode Instance instead of ELB."},
	{faultHealthTerminatedOmitted, "DescribeInstanceHealth asked by ID about a terminated instance leaves it out of the answer, so the InstanceDeregistered waiter never succeeds."},
	{faultNeverRegisteredInService, "DescribeInstanceHealth asked by ID about an existing instance that was never registered reports it InService."},
	{faultDescribeLBsNoNextMarker, "DescribeLoadBalancers honours PageSize but never answers a NextMarker, so a paginator stops after the first page."},
	{faultAccountLimitsNoPaging, "DescribeAccountLimits ignores PageSize and Marker: every call answers every limit and no NextMarker."},
}

var variantModes = []Mode{
	{variantShuffleOrder, "Every list in every answer comes in random order."},
	{variantLatency, "Every response is delayed by 50-150 ms."},
	{variantHealthLag, "Instances are reported InService only ~3 s after their health checks would allow."},
	{variantEventualMembership, "DescribeLoadBalancers shows membership changes only ~1 s after they happen; Register/Deregister answers stay immediate."},
	{variantExtraElements, "Answers carry unknown extra XML elements (in Result and inside list members) and an extra HTTP header."},
	{variantRewordedErrors, "Error messages are worded differently (codes unchanged)."},
	{variantRequestIDFormat, "Request ids look like req-00042 instead of UUIDs."},
	{variantThrottleFirst, "The first attempt of every ELB request is answered 400 Throttling (\"Rate exceeded\"); the SDK's retry succeeds."},
	// A variant, not a fault: whether the valid ids of a refused call are registered is
	// undocumented (docs/sources.md 1h), so a correct suite must tolerate either answer.
	{variantPartialRegister, "A Register call that names a bad id registers the good ones and still answers InvalidInstance."},
	// EC2 is eventually consistent and ELB's view of it lags (docs/sources.md 14).
	{variantEC2Lag, "Register refuses an instance launched less than 3 s ago with InvalidInstance, as AWS may while its view of EC2 lags."},
	// Unseen on AWS either way; the set of registered instances is what is promised.
	{variantDupInRequestRefused, "A Register request naming an instance twice is refused with 400 ValidationError and changes nothing."},
	// The stronger source (a capture) says InvalidInstance; the descriptions allow this.
	// No capture of the last-zone case exists; only a client error is documented.
	{variantLastZoneValidationError, "Disabling a load balancer's last zone is refused with 400 ValidationError instead of 409 InvalidConfigurationRequest."},
	{variantNeverRegisteredDescribed, "DescribeInstanceHealth asked by ID about an existing instance that was never registered describes it OutOfService \"not currently registered\" instead of refusing it."},
}

// FaultModes lists the fault modes Options.Faults accepts, in a stable order.
func FaultModes() []Mode { return slices.Clone(faultModes) }

// Variants lists the benign variants Options.Variants accepts, in a stable order.
func Variants() []Mode { return slices.Clone(variantModes) }

// modeSet records which faults and variants are on. It is immutable after construction, so
// lookups need no locking.
type modeSet struct {
	faults   map[string]bool
	variants map[string]bool
}

func newModeSet(faults, variants []string) (modeSet, error) {
	m := modeSet{faults: map[string]bool{}, variants: map[string]bool{}}
	for _, name := range faults {
		if !slices.ContainsFunc(faultModes, func(x Mode) bool { return x.Name == name }) {
			return m, fmt.Errorf("emulator: unknown fault mode %q (see FaultModes)", name)
		}
		m.faults[name] = true
	}
	for _, name := range variants {
		if !slices.ContainsFunc(variantModes, func(x Mode) bool { return x.Name == name }) {
			return m, fmt.Errorf("emulator: unknown variant %q (see Variants)", name)
		}
		m.variants[name] = true
	}
	return m, nil
}

// fault reports whether the named fault mode is on.
func (m modeSet) fault(name string) bool { return m.faults[name] }

// variant reports whether the named variant is on.
func (m modeSet) variant(name string) bool { return m.variants[name] }
