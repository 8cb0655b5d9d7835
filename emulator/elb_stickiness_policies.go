package emulator

import (
	"strconv"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// The two stickiness policy creations (docs/sources.md 18f). Each stores a policy of the
// stickiness type with its one attribute, as DescribeLoadBalancerPolicies shows it:
// LBCookieStickinessPolicyType with CookieExpirationPeriod (seconds; "0" when none was given,
// the browser session), AppCookieStickinessPolicyType with CookieName. Neither puts the policy
// in force: SetLoadBalancerPoliciesOfListener does (elb_set_policies.go).

// createLBCookieStickinessPolicy creates a duration-based stickiness policy.
func (h *handler) createLBCookieStickinessPolicy(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name, polName, e := newPolicyParams(p)
	if e != nil {
		return e
	}
	var period int64 // 0: the browser session (API reference: the default)
	if raw, ok := p["CookieExpirationPeriod"]; ok {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 0 {
			return errValidation("CookieExpirationPeriod must be a non-negative number of seconds.")
		}
		period = n
	}

	return h.changeLB(name, func(lb *loadBalancer) *wire.Error {
		period = h.dev.CookieExpiration(period)
		return h.addPolicy(lb, policy{Name: polName, TypeName: lbCookiePolicyType,
			Attributes: []policyAttribute{{Name: "CookieExpirationPeriod", Value: strconv.FormatInt(period, 10)}}})
	})
}

// createAppCookieStickinessPolicy creates a stickiness policy that follows an application
// cookie.
func (h *handler) createAppCookieStickinessPolicy(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name, polName, e := newPolicyParams(p)
	if e != nil {
		return e
	}
	cookie := p["CookieName"]
	if cookie == "" {
		return errMissingParam("CookieName")
	}

	return h.changeLB(name, func(lb *loadBalancer) *wire.Error {
		return h.addPolicy(lb, policy{Name: polName, TypeName: appCookiePolicyType,
			Attributes: []policyAttribute{{Name: "CookieName", Value: cookie}}})
	})
}
