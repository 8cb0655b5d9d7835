package emulator

import (
	"net/http"
	"slices"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// opFunc serves one operation: it validates rc, applies the change under the store lock and,
// on success, writes the body of the <OpResult> element into x. On error it returns the
// apiError and must not have changed state (every call is all-or-nothing).
type opFunc func(h *handler, rc *wire.Request, x *wire.Writer) *wire.Error

// elbOps are the ELB Classic operations the emulator implements, and the index of the code:
// each action's handler and its own validation are in the file named after it, its tests beside
// it (helpers shared by several actions: elb_helpers.go, elb_validate.go, elb_model.go).
var elbOps = map[string]opFunc{
	"CreateLoadBalancer":                      (*handler).createLoadBalancer,       // elb_create_load_balancer.go
	"DeleteLoadBalancer":                      (*handler).deleteLoadBalancer,       // elb_delete_load_balancer.go
	"DescribeLoadBalancers":                   (*handler).describeLoadBalancers,    // elb_describe_load_balancers.go
	"ConfigureHealthCheck":                    (*handler).configureHealthCheck,     // elb_configure_health_check.go
	"DescribeAccountLimits":                   (*handler).describeAccountLimits,    // elb_describe_account_limits.go
	"RegisterInstancesWithLoadBalancer":       (*handler).registerInstances,        // elb_register_instances.go
	"DeregisterInstancesFromLoadBalancer":     (*handler).deregisterInstances,      // elb_deregister_instances.go
	"DescribeInstanceHealth":                  (*handler).describeInstanceHealth,   // elb_describe_instance_health.go
	"EnableAvailabilityZonesForLoadBalancer":  (*handler).enableAvailabilityZones,  // elb_availability_zones.go
	"DisableAvailabilityZonesForLoadBalancer": (*handler).disableAvailabilityZones, // elb_availability_zones.go
	"AttachLoadBalancerToSubnets":             (*handler).attachToSubnets,          // elb_attach_detach_subnets.go
	"DetachLoadBalancerFromSubnets":           (*handler).detachFromSubnets,        // elb_attach_detach_subnets.go
	"AddTags":                                 (*handler).addTags,                  // elb_add_remove_describe_tags.go
	"RemoveTags":                              (*handler).removeTags,               // elb_add_remove_describe_tags.go
	"DescribeTags":                            (*handler).describeTags,
	"CreateLoadBalancerListeners":             (*handler).createLoadBalancerListeners,             // elb_load_balancer_listeners.go
	"DeleteLoadBalancerListeners":             (*handler).deleteLoadBalancerListeners,             // elb_load_balancer_listeners.go
	"DescribeLoadBalancerAttributes":          (*handler).describeLoadBalancerAttributes,          // elb_load_balancer_attributes.go
	"ModifyLoadBalancerAttributes":            (*handler).modifyLoadBalancerAttributes,            // elb_load_balancer_attributes.go
	"DescribeLoadBalancerPolicyTypes":         (*handler).describeLoadBalancerPolicyTypes,         // elb_policies.go
	"CreateLoadBalancerPolicy":                (*handler).createLoadBalancerPolicy,                // elb_policies.go
	"DescribeLoadBalancerPolicies":            (*handler).describeLoadBalancerPolicies,            // elb_policies.go
	"DeleteLoadBalancerPolicy":                (*handler).deleteLoadBalancerPolicy,                // elb_policies.go
	"CreateLBCookieStickinessPolicy":          (*handler).createLBCookieStickinessPolicy,          // elb_stickiness_policies.go
	"CreateAppCookieStickinessPolicy":         (*handler).createAppCookieStickinessPolicy,         // elb_stickiness_policies.go
	"SetLoadBalancerPoliciesOfListener":       (*handler).setLoadBalancerPoliciesOfListener,       // elb_set_policies.go
	"SetLoadBalancerPoliciesForBackendServer": (*handler).setLoadBalancerPoliciesForBackendServer, // elb_set_policies.go
	"SetLoadBalancerListenerSSLCertificate":   (*handler).setLoadBalancerListenerSSLCertificate,   // elb_set_listener_ssl_certificate.go
	"ApplySecurityGroupsToLoadBalancer":       (*handler).applySecurityGroupsToLoadBalancer,       // elb_apply_security_groups.go
}

// elbModelOnlyActions are in the 2012-06-01 model but not implemented by the emulator; they
// get a clear 400 rather than the generic unknown-action message.
var elbModelOnlyActions = []string{}

// serveELB answers an ELB Classic request: the awsQuery front end's checks, then dispatch.
func (h *handler) serveELB(w http.ResponseWriter, rc *wire.Request) {
	if rc.ParseErr != nil {
		h.elbEnv.Error(w, wire.ErrMalformedQuery(rc.ParseErr), rc.ID)
		return
	}
	if rc.Action == "" {
		h.elbEnv.Error(w, wire.ErrMissingAction(), rc.ID)
		return
	}
	if v := rc.Params["Version"]; v != elbVersion {
		// AWS's query front end dispatches on (Action, Version) and answers InvalidAction
		// "Could not find operation <Action> for version <Version>" when the pair is unknown
		// (believed: the message seen when ELBv2 actions are sent with 2012-06-01 and vice
		// versa; not in the model). A missing Version is reported the same way.
		if v == "" {
			v = "NO_VERSION_SPECIFIED"
		}
		h.elbEnv.Error(w, wire.NewError(http.StatusBadRequest, "InvalidAction",
			"Could not find operation %s for version %s", wire.Truncate(rc.Action, 64), wire.Truncate(v, 32)), rc.ID)
		return
	}
	h.elbDispatch(w, rc)
}

// dispatchELB runs the operation named by Action and answers its result or error.
func (h *handler) dispatchELB(w http.ResponseWriter, rc *wire.Request) {
	env := h.elbEnv
	op, ok := elbOps[rc.Action]
	if !ok {
		if slices.Contains(elbModelOnlyActions, rc.Action) {
			env.Error(w, wire.NewError(http.StatusBadRequest, "InvalidAction",
				"The action %s is valid for ELB Classic but not implemented by the elbconform emulator.", rc.Action), rc.ID)
			return
		}
		env.Error(w, wire.NewError(http.StatusBadRequest, "InvalidAction",
			"The action %s is not valid for this web service.", wire.Truncate(rc.Action, 64)), rc.ID)
		return
	}
	x := env.NewWriter()
	defer x.Release() // after the answer is written (Finish writes synchronously)
	env.Begin(x, rc.Action, rc.ID)
	if err := op(h, rc, x); err != nil {
		env.Error(w, err, rc.ID)
		return
	}
	env.Finish(w, x, rc.Action, rc.ID)
}
