package emulator

// The policy types ELB Classic defines (DescribeLoadBalancerPolicyTypes) and the predefined
// policies DescribeLoadBalancerPolicies answers without a load balancer name
// (docs/sources.md 18a, 18b). AWS may define more of either; nothing in the suite relies on
// these lists being complete.

// Policy type names (docs/sources.md 18a).
const (
	proxyProtocolPolicyType     = "ProxyProtocolPolicyType"
	publicKeyPolicyType         = "PublicKeyPolicyType"
	appCookiePolicyType         = "AppCookieStickinessPolicyType"
	lbCookiePolicyType          = "LBCookieStickinessPolicyType"
	sslNegotiationPolicyType    = "SSLNegotiationPolicyType"
	backendServerAuthPolicyType = "BackendServerAuthenticationPolicyType"
)

// Attribute cardinalities (API reference, PolicyAttributeTypeDescription).
const (
	cardOne        = "ONE"
	cardZeroOrOne  = "ZERO_OR_ONE"
	cardZeroOrMore = "ZERO_OR_MORE"
	cardOneOrMore  = "ONE_OR_MORE"
)

// policyAttrType describes one attribute of a policy type.
type policyAttrType struct {
	Name, Type, Description, Default, Cardinality string
}

// policyType is one policy type: what DescribeLoadBalancerPolicyTypes answers, and where a
// policy of the type may be in force (the emulator's own fields, not answered).
type policyType struct {
	Name        string
	Description string
	Attributes  []policyAttrType
	// listenerProtocols are the front-end protocols of the listeners a policy of this type
	// may be set on (SetLoadBalancerPoliciesOfListener); none: not on a listener.
	listenerProtocols []string
	// backend: the type may be set on an instance port (SetLoadBalancerPoliciesForBackendServer).
	backend bool
	// openAttributes: the attribute list is not known to be complete, so attribute names
	// outside it are accepted (SSLNegotiationPolicyType: AWS knows more ciphers than the
	// guide's table lists).
	openAttributes bool
}

// sslCiphers are the ciphers of the Classic guide's table of predefined security policies
// (elb-security-policy-table), in the table's order.
var sslCiphers = []string{
	"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256",
	"ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "DHE-RSA-AES128-SHA",
	"ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384",
	"ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA", "AES128-GCM-SHA256",
	"AES128-SHA256", "AES128-SHA", "AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA",
	"DHE-DSS-AES128-SHA", "DES-CBC3-SHA",
}

var sslProtocols = []string{"Protocol-SSLv3", "Protocol-TLSv1", "Protocol-TLSv1.1", "Protocol-TLSv1.2"}

// sslNegotiationAttributes: the reference policy, the protocols, the server order preference
// and the ciphers, each optional. The aws-cli example elides this list; names and types are
// those of the guide's tables and of CreateLoadBalancerPolicy examples (believed).
func sslNegotiationAttributes() []policyAttrType {
	out := []policyAttrType{{Name: "Reference-Security-Policy", Type: "PolicyName", Cardinality: cardZeroOrOne}}
	for _, p := range sslProtocols {
		out = append(out, policyAttrType{Name: p, Type: "Boolean", Cardinality: cardZeroOrOne})
	}
	out = append(out, policyAttrType{Name: "Server-Defined-Cipher-Order", Type: "Boolean", Cardinality: cardZeroOrOne})
	for _, c := range sslCiphers {
		out = append(out, policyAttrType{Name: c, Type: "Boolean", Cardinality: cardZeroOrOne})
	}
	return out
}

// policyTypes are the types of the aws-cli example answer (docs/sources.md 18a), in its order,
// with its descriptions and attribute cardinalities.
var policyTypes = []policyType{
	{
		Name:        proxyProtocolPolicyType,
		Description: "Policy that controls whether to include the IP address and port of the originating request for TCP messages. This policy operates on TCP/SSL listeners only",
		Attributes:  []policyAttrType{{Name: "ProxyProtocol", Type: "Boolean", Cardinality: cardOne}},
		backend:     true, // enabled on the instance port (Classic guide, enable-proxy-protocol)
	},
	{
		Name:        publicKeyPolicyType,
		Description: "Policy containing a list of public keys to accept when authenticating the back-end server(s). This policy cannot be applied directly to back-end servers or listeners but must be part of a BackendServerAuthenticationPolicyType.",
		Attributes:  []policyAttrType{{Name: "PublicKey", Type: "String", Cardinality: cardOne}},
	},
	{
		Name:              appCookiePolicyType,
		Description:       "Stickiness policy with session lifetimes controlled by the lifetime of the application-generated cookie. This policy can be associated only with HTTP/HTTPS listeners.",
		Attributes:        []policyAttrType{{Name: "CookieName", Type: "String", Cardinality: cardOne}},
		listenerProtocols: []string{"HTTP", "HTTPS"},
	},
	{
		Name:              lbCookiePolicyType,
		Description:       "Stickiness policy with session lifetimes controlled by the browser (user-agent) or a specified expiration period. This policy can be associated only with HTTP/HTTPS listeners.",
		Attributes:        []policyAttrType{{Name: "CookieExpirationPeriod", Type: "Long", Cardinality: cardZeroOrOne}},
		listenerProtocols: []string{"HTTP", "HTTPS"},
	},
	{
		Name:              sslNegotiationPolicyType,
		Description:       "Listener policy that defines the ciphers and protocols that will be accepted by the load balancer. This policy can be associated only with HTTPS/SSL listeners.",
		Attributes:        sslNegotiationAttributes(),
		listenerProtocols: []string{"HTTPS", "SSL"},
		openAttributes:    true,
	},
	{
		Name:        backendServerAuthPolicyType,
		Description: "Policy that controls authentication to back-end server(s) and contains one or more policies, such as an instance of a PublicKeyPolicyType. This policy can be associated only with back-end servers that are using HTTPS/SSL.",
		Attributes:  []policyAttrType{{Name: "PublicKeyPolicyName", Type: "PolicyName", Cardinality: cardOneOrMore}},
		backend:     true,
	},
}

// lookupPolicyType finds a policy type by name in types.
func lookupPolicyType(types []policyType, name string) (*policyType, bool) {
	for i := range types {
		if types[i].Name == name {
			return &types[i], true
		}
	}
	return nil, false
}

// isStickinessType reports whether a policy type is one of the two stickiness types.
func isStickinessType(name string) bool {
	return name == lbCookiePolicyType || name == appCookiePolicyType
}

// predefinedPolicies are the policies DescribeLoadBalancerPolicies answers without a load
// balancer name: the predefined security policies of the Classic guide (docs/sources.md 18b).
// The six policies of the guide's table carry its contents: the protocols and ciphers it marks
// "true", the others of the table "false", and Server-Defined-Cipher-Order (its "Server Order
// Preference") "true". AWS's answers also carry attributes the table does not list (older
// ciphers, Protocol-SSLv3), which are not modelled. The older policies and the ELBSample-
// ones are listed by name and type only: their contents were not found in any source.
var predefinedPolicies = func() []policy {
	// One column of the table: the protocols a policy enables and which of sslCiphers (by
	// index) it enables.
	type column struct {
		name      string
		protocols []string
		ciphers   []int
	}
	all := func(except ...int) []int {
		var out []int
		for i := range sslCiphers {
			skip := false
			for _, e := range except {
				skip = skip || e == i
			}
			if !skip {
				out = append(out, i)
			}
		}
		return out
	}
	// Indexes into sslCiphers: 4,5 ECDHE-*-AES128-SHA; 6 DHE-RSA-AES128-SHA; 11,12
	// ECDHE-*-AES256-SHA; 15 AES128-SHA; 18 AES256-SHA; 19 DHE-DSS-AES128-SHA; 20 DES-CBC3-SHA.
	columns := []column{
		{"ELBSecurityPolicy-2016-08", []string{"Protocol-TLSv1", "Protocol-TLSv1.1", "Protocol-TLSv1.2"}, all(6, 19, 20)},
		{"ELBSecurityPolicy-TLS-1-1-2017-01", []string{"Protocol-TLSv1.1", "Protocol-TLSv1.2"}, all(6, 19, 20)},
		{"ELBSecurityPolicy-TLS-1-2-2017-01", []string{"Protocol-TLSv1.2"}, all(4, 5, 6, 11, 12, 15, 18, 19, 20)},
		{"ELBSecurityPolicy-2015-05", []string{"Protocol-TLSv1", "Protocol-TLSv1.1", "Protocol-TLSv1.2"}, all(6, 19)},
		{"ELBSecurityPolicy-2015-03", []string{"Protocol-TLSv1", "Protocol-TLSv1.1", "Protocol-TLSv1.2"}, all()},
		{"ELBSecurityPolicy-2015-02", []string{"Protocol-TLSv1", "Protocol-TLSv1.1", "Protocol-TLSv1.2"}, all(20)},
	}
	var out []policy
	for _, c := range columns {
		p := policy{Name: c.name, TypeName: sslNegotiationPolicyType}
		for _, proto := range sslProtocols[1:] {
			v := "false"
			for _, on := range c.protocols {
				if on == proto {
					v = "true"
				}
			}
			p.Attributes = append(p.Attributes, policyAttribute{proto, v})
		}
		p.Attributes = append(p.Attributes, policyAttribute{"Server-Defined-Cipher-Order", "true"})
		for i, name := range sslCiphers {
			v := "false"
			for _, on := range c.ciphers {
				if on == i {
					v = "true"
				}
			}
			p.Attributes = append(p.Attributes, policyAttribute{name, v})
		}
		out = append(out, p)
	}
	for _, name := range []string{
		"ELBSecurityPolicy-2014-10", "ELBSecurityPolicy-2014-01", "ELBSecurityPolicy-2011-08",
		"ELBSample-ELBDefaultNegotiationPolicy", "ELBSample-ELBDefaultCipherPolicy",
		"ELBSample-OpenSSLDefaultNegotiationPolicy", "ELBSample-OpenSSLDefaultCipherPolicy",
	} {
		out = append(out, policy{Name: name, TypeName: sslNegotiationPolicyType})
	}
	return out
}()

// lookupPredefinedPolicy finds a predefined policy by name.
func lookupPredefinedPolicy(name string) (policy, bool) {
	for _, p := range predefinedPolicies {
		if p.Name == name {
			return p, true
		}
	}
	return policy{}, false
}
