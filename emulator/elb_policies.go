package emulator

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// The generic policy operations (docs/sources.md 18): the policy types ELB defines
// (elb_policy_types.go), and the policies of a load balancer, kept in lb.policies in creation
// order. CreateLBCookieStickinessPolicy and CreateAppCookieStickinessPolicy
// (elb_stickiness_policies.go) create policies of the two stickiness types through addPolicy
// below; SetLoadBalancerPoliciesOfListener and SetLoadBalancerPoliciesForBackendServer
// (elb_set_policies.go) put them in force. The helpers of this file are shared by those
// files, which are all about policies.

// maxPoliciesPerLB is the emulator's quota of policies per load balancer (TooManyPolicies).
// AWS documents no number (docs/sources.md 18c); this one is believed generous enough.
const maxPoliciesPerLB = 100

// policyNamePattern: "Policy names must consist of alphanumeric characters and dashes (-)"
// (API reference, CreateLBCookieStickinessPolicy); applied to every policy name. The length
// cap is the emulator's (none is documented).
var policyNamePattern = regexp.MustCompile(`^[a-zA-Z0-9-]{1,255}$`)

// newPolicyParams are the names every policy creation takes, validated: the load balancer's
// and the new policy's.
func newPolicyParams(p wire.Params) (lbName, policyName string, e *wire.Error) {
	lbName, policyName = p["LoadBalancerName"], p["PolicyName"]
	if e := validateLBName(lbName); e != nil {
		return "", "", e
	}
	if e := validatePolicyName(policyName); e != nil {
		return "", "", e
	}
	return lbName, policyName, nil
}

func validatePolicyName(name string) *wire.Error {
	if name == "" {
		return errMissingParam("PolicyName")
	}
	if !policyNamePattern.MatchString(name) {
		return errValidation("Policy name '%s' must consist of at most 255 alphanumeric characters and dashes.", wire.Truncate(name, 64))
	}
	return nil
}

func errPolicyNotFound(name, lb string) *wire.Error {
	// Wording observed (docs/sources.md 18d); informative only.
	return wire.NewError(http.StatusBadRequest, "PolicyNotFound", "There is no policy with name %s for load balancer %s", wire.Truncate(name, 64), lb)
}

// findPolicy returns the index of the policy named name in lb.policies, or -1.
func (lb *loadBalancer) findPolicy(name string) int {
	return slices.IndexFunc(lb.policies, func(p policy) bool { return p.Name == name })
}

// addPolicy adds p to lb's policies: the checks every policy creation shares (a name the load
// balancer does not use yet, the quota), then the change. The caller holds the store's write
// lock and has checked everything else.
func (h *handler) addPolicy(lb *loadBalancer, p policy) *wire.Error {
	if i := lb.findPolicy(p.Name); i >= 0 {
		e := wire.NewError(http.StatusBadRequest, "DuplicatePolicyName", "Policy Name [%s] already exists.", p.Name)
		if e := h.dev.DuplicatePolicy(e); e != nil {
			return e
		}
		lb.policies[i] = p // only when a deviation accepted the duplicate
		return nil
	}
	if len(lb.policies) >= maxPoliciesPerLB {
		return wire.NewError(http.StatusBadRequest, "TooManyPolicies",
			"Exceeded quota of %d policies for load balancer %s.", maxPoliciesPerLB, lb.name)
	}
	lb.policies = append(lb.policies, p)
	return nil
}

// describeLoadBalancerPolicyTypes answers the named policy types (or all), in the order named.
func (h *handler) describeLoadBalancerPolicyTypes(rc *wire.Request, x *wire.Writer) *wire.Error {
	names, e := listParam(rc.Params, "PolicyTypeNames.member")
	if e != nil {
		return e
	}
	// The table is static; the lock only keeps the answer consistent with the store's other
	// reads, as every operation takes it.
	h.st.mu.RLock()
	defer h.st.mu.RUnlock()
	types := h.dev.PolicyTypes(policyTypes)
	var out []*policyType
	if len(names) == 0 {
		for i := range types {
			out = append(out, &types[i])
		}
	}
	for _, n := range dedupe(names) {
		t, ok := lookupPolicyType(types, n)
		if !ok {
			return wire.NewError(http.StatusBadRequest, "PolicyTypeNotFound", "There is no policy type named '%s'.", wire.Truncate(n, 64))
		}
		out = append(out, t)
	}
	x.Structs("PolicyTypeDescriptions", len(out), func(i int) {
		t := out[i]
		x.Leaf("Description", t.Description)
		x.Structs("PolicyAttributeTypeDescriptions", len(t.Attributes), func(j int) {
			a := t.Attributes[j]
			x.Leaf("AttributeName", a.Name)
			x.Leaf("AttributeType", a.Type)
			x.Leaf("Cardinality", a.Cardinality)
			if a.Default != "" {
				x.Leaf("DefaultValue", a.Default)
			}
			if a.Description != "" {
				x.Leaf("Description", a.Description)
			}
		})
		x.Leaf("PolicyTypeName", t.Name)
	})
	return nil
}

// createLoadBalancerPolicy creates a policy of any type ELB defines, with its attributes
// checked against the type (names, cardinality, Boolean and Long values, the policies a
// PolicyName attribute refers to).
func (h *handler) createLoadBalancerPolicy(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name, polName, e := newPolicyParams(p)
	if e != nil {
		return e
	}
	pol := policy{Name: polName, TypeName: p["PolicyTypeName"]}
	if pol.TypeName == "" {
		return errMissingParam("PolicyTypeName")
	}
	members, err := p.Structs("PolicyAttributes.member")
	if err != nil {
		return errValidation("%v", err)
	}
	for _, m := range members {
		if m["AttributeName"] == "" {
			return errValidation("PolicyAttributes.member.N.AttributeName must not be empty.")
		}
		pol.Attributes = append(pol.Attributes, policyAttribute{Name: m["AttributeName"], Value: m["AttributeValue"]})
	}

	return h.changeLB(name, func(lb *loadBalancer) *wire.Error {
		t, ok := lookupPolicyType(policyTypes, pol.TypeName)
		if !ok {
			return wire.NewError(http.StatusBadRequest, "PolicyTypeNotFound", "There is no policy type named '%s'.", wire.Truncate(pol.TypeName, 64))
		}
		if e := checkPolicyAttributes(lb, t, pol.Attributes); e != nil {
			return e
		}
		return h.addPolicy(lb, pol)
	})
}

// checkPolicyAttributes checks attrs against t (believed: the API reference states only that
// the attributes are the type's; docs/sources.md 18c). Every failure is
// InvalidConfigurationRequest, the operation's only modelled error for a bad configuration.
func checkPolicyAttributes(lb *loadBalancer, t *policyType, attrs []policyAttribute) *wire.Error {
	count := map[string]int{}
	for _, a := range attrs {
		at, known := policyAttrTypeOf(t, a.Name)
		if !known {
			if t.openAttributes {
				continue
			}
			return errInvalidConfiguration("Attribute '%s' is not valid for policy type %s.", wire.Truncate(a.Name, 64), t.Name)
		}
		count[a.Name]++
		switch at.Type {
		case "Boolean":
			if v := strings.ToLower(a.Value); v != "true" && v != "false" {
				return errInvalidConfiguration("Attribute %s must be true or false, not '%s'.", a.Name, wire.Truncate(a.Value, 32))
			}
		case "Long":
			if n, err := strconv.ParseInt(a.Value, 10, 64); err != nil || n < 0 {
				return errInvalidConfiguration("Attribute %s must be a non-negative integer, not '%s'.", a.Name, wire.Truncate(a.Value, 32))
			}
		case "PolicyName":
			if e := checkPolicyReference(lb, a); e != nil {
				return e
			}
		}
	}
	for _, at := range t.Attributes {
		n := count[at.Name]
		switch {
		case (at.Cardinality == cardOne || at.Cardinality == cardOneOrMore) && n == 0:
			return errInvalidConfiguration("Policy type %s requires the attribute %s.", t.Name, at.Name)
		case (at.Cardinality == cardOne || at.Cardinality == cardZeroOrOne) && n > 1:
			return errInvalidConfiguration("Attribute %s of policy type %s takes at most one value.", at.Name, t.Name)
		}
	}
	return nil
}

func policyAttrTypeOf(t *policyType, name string) (policyAttrType, bool) {
	for _, a := range t.Attributes {
		if a.Name == name {
			return a, true
		}
	}
	return policyAttrType{}, false
}

// checkPolicyReference checks an attribute naming a policy: PublicKeyPolicyName a
// PublicKeyPolicyType policy of the load balancer, Reference-Security-Policy a predefined one.
func checkPolicyReference(lb *loadBalancer, a policyAttribute) *wire.Error {
	if a.Name == "Reference-Security-Policy" {
		if _, ok := lookupPredefinedPolicy(a.Value); !ok {
			return errInvalidConfiguration("Reference-Security-Policy '%s' is not a predefined security policy.", wire.Truncate(a.Value, 64))
		}
		return nil
	}
	i := lb.findPolicy(a.Value)
	if i < 0 || lb.policies[i].TypeName != publicKeyPolicyType {
		return errInvalidConfiguration("%s '%s' is not a %s policy of load balancer %s.", a.Name, wire.Truncate(a.Value, 64), publicKeyPolicyType, lb.name)
	}
	return nil
}

// describeLoadBalancerPolicies answers the policies of the named load balancer (all, or those
// named, in creation order), or without a load balancer the predefined policies (all, or
// those named). A name that is not there is PolicyNotFound.
func (h *handler) describeLoadBalancerPolicies(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	lbName := p["LoadBalancerName"]
	if lbName != "" {
		if e := validateLBName(lbName); e != nil {
			return e
		}
	}
	names, e := listParam(p, "PolicyNames.member")
	if e != nil {
		return e
	}
	names = dedupe(names)

	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out []policy
	if lbName == "" {
		if len(names) == 0 {
			out = predefinedPolicies
		}
		for _, n := range names {
			pol, ok := lookupPredefinedPolicy(n)
			if !ok {
				return errPolicyNotFound(n, "")
			}
			out = append(out, pol)
		}
	} else {
		lb, e := h.lookupLB(lbName)
		if e != nil {
			return e
		}
		for _, n := range names {
			if lb.findPolicy(n) < 0 {
				return errPolicyNotFound(n, lb.name)
			}
		}
		filter := h.dev.DescribedPolicyNames(names)
		for _, pol := range lb.policies {
			if len(filter) == 0 || slices.Contains(filter, pol.Name) {
				out = append(out, pol)
			}
		}
	}
	x.Structs("PolicyDescriptions", len(out), func(i int) {
		pol := out[i]
		x.Structs("PolicyAttributeDescriptions", len(pol.Attributes), func(j int) {
			x.Leaf("AttributeName", pol.Attributes[j].Name)
			x.Leaf("AttributeValue", pol.Attributes[j].Value)
		})
		x.Leaf("PolicyName", pol.Name)
		x.Leaf("PolicyTypeName", pol.TypeName)
	})
	return nil
}

// deleteLoadBalancerPolicy deletes a policy that is not in force: one enabled on a listener
// or an instance port, or referred to by an enabled policy, is refused with
// InvalidConfigurationRequest (docs/sources.md 18e). Deleting a policy the load balancer does
// not have succeeds (the operation models no PolicyNotFound; believed).
func (h *handler) deleteLoadBalancerPolicy(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name := p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	polName := p["PolicyName"]
	if polName == "" {
		return errMissingParam("PolicyName")
	}

	return h.changeLB(name, func(lb *loadBalancer) *wire.Error {
		i := lb.findPolicy(polName)
		if i < 0 {
			return nil
		}
		if lb.policyInUse(polName) {
			e := errInvalidConfiguration("You cannot delete policy [%s] since it is enabled or referred by other enabled policy.", polName)
			if e := h.dev.PolicyInUse(e); e != nil {
				return e
			}
		}
		lb.policies = slices.Delete(lb.policies, i, i+1)
		return nil
	})
}

// policyInUse reports whether the policy named name is enabled on a listener or an instance
// port, or named by an attribute of an enabled policy.
func (lb *loadBalancer) policyInUse(name string) bool {
	enabled := map[string]bool{}
	for _, names := range lb.listenerPolicies {
		for _, n := range names {
			enabled[n] = true
		}
	}
	for _, names := range lb.backendPolicies {
		for _, n := range names {
			enabled[n] = true
		}
	}
	if enabled[name] {
		return true
	}
	for _, pol := range lb.policies {
		if !enabled[pol.Name] {
			continue
		}
		for _, a := range pol.Attributes {
			if a.Name == "PublicKeyPolicyName" && a.Value == name {
				return true
			}
		}
	}
	return false
}
