package emulator

import (
	"net/http"
	"slices"
)

// opFunc serves one operation: it validates rc, applies the change under the store lock and,
// on success, writes the body of the <OpResult> element into x. On error it returns the
// apiError and must not have changed state (every call is all-or-nothing).
type opFunc func(h *handler, rc *request, x *xmlWriter) *apiError

// elbOps are the ELB Classic operations the emulator implements.
var elbOps = map[string]opFunc{
	"CreateLoadBalancer":                      (*handler).createLoadBalancer,
	"DeleteLoadBalancer":                      (*handler).deleteLoadBalancer,
	"DescribeLoadBalancers":                   (*handler).describeLoadBalancers,
	"ConfigureHealthCheck":                    (*handler).configureHealthCheck,
	"DescribeAccountLimits":                   (*handler).describeAccountLimits,
	"RegisterInstancesWithLoadBalancer":       (*handler).registerInstances,
	"DeregisterInstancesFromLoadBalancer":     (*handler).deregisterInstances,
	"DescribeInstanceHealth":                  (*handler).describeInstanceHealth,
	"EnableAvailabilityZonesForLoadBalancer":  (*handler).enableAvailabilityZones,
	"DisableAvailabilityZonesForLoadBalancer": (*handler).disableAvailabilityZones,
	"AttachLoadBalancerToSubnets":             (*handler).attachToSubnets,
	"DetachLoadBalancerFromSubnets":           (*handler).detachFromSubnets,
	"AddTags":                                 (*handler).addTags,
	"RemoveTags":                              (*handler).removeTags,
	"DescribeTags":                            (*handler).describeTags,
}

// elbModelOnlyActions are in the 2012-06-01 model but not implemented by the emulator; they
// get a clear 400 rather than the generic unknown-action message.
var elbModelOnlyActions = []string{
	"ApplySecurityGroupsToLoadBalancer", "CreateAppCookieStickinessPolicy",
	"CreateLBCookieStickinessPolicy", "CreateLoadBalancerListeners", "CreateLoadBalancerPolicy",
	"DeleteLoadBalancerListeners", "DeleteLoadBalancerPolicy", "DescribeLoadBalancerAttributes",
	"DescribeLoadBalancerPolicies", "DescribeLoadBalancerPolicyTypes", "ModifyLoadBalancerAttributes",
	"SetLoadBalancerListenerSSLCertificate", "SetLoadBalancerPoliciesForBackendServer",
	"SetLoadBalancerPoliciesOfListener",
}

// serveELB answers an ELB Classic request.
func (h *handler) serveELB(w http.ResponseWriter, rc *request, parseErr error) {
	if parseErr != nil {
		h.writeELBError(w, rc, errMalformedQuery(parseErr))
		return
	}
	if rc.action == "" {
		h.writeELBError(w, rc, errMissingAction())
		return
	}
	if v := rc.p["Version"]; v != elbVersion {
		// AWS's query front end dispatches on (Action, Version) and answers InvalidAction
		// "Could not find operation <Action> for version <Version>" when the pair is unknown
		// (believed: the message seen when ELBv2 actions are sent with 2012-06-01 and vice
		// versa; not in the model). A missing Version is reported the same way.
		if v == "" {
			v = "NO_VERSION_SPECIFIED"
		}
		h.writeELBError(w, rc, newError(http.StatusBadRequest, "InvalidAction",
			"Could not find operation %s for version %s", truncate(rc.action, 64), truncate(v, 32)))
		return
	}
	if h.modes.variant(variantThrottleFirst) && h.throttle.firstAttempt(rc) {
		h.writeELBError(w, rc, newError(http.StatusBadRequest, "Throttling", "Rate exceeded"))
		return
	}
	op, ok := elbOps[rc.action]
	if !ok {
		if slices.Contains(elbModelOnlyActions, rc.action) {
			h.writeELBError(w, rc, newError(http.StatusBadRequest, "InvalidAction",
				"The action %s is valid for ELB Classic but not implemented by the elbconform emulator.", rc.action))
			return
		}
		h.writeELBError(w, rc, newError(http.StatusBadRequest, "InvalidAction",
			"The action %s is not valid for this web service.", truncate(rc.action, 64)))
		return
	}
	x := h.newELBWriter()
	defer x.release() // after the answer is written (sendELB writes synchronously)
	h.beginELBResult(x, rc.action)
	if err := op(h, rc, x); err != nil {
		h.writeELBError(w, rc, err)
		return
	}
	h.finishELBResult(w, rc, x)
}
