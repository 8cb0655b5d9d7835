package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Input validation shared by the ELB operations. Every failure is a ValidationError (400,
// Sender), ELB's answer to missing or malformed parameters (docs/sources.md 2a).

// lbNamePattern: 1-32 letters, digits and hyphens, not starting or ending with a hyphen
// (Classic Load Balancer guide).
var lbNamePattern = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$`)

// validateLBName checks a LoadBalancerName parameter. It is applied by every operation, not
// only CreateLoadBalancer, so a malformed name is always a ValidationError and only a
// well-formed unknown name is LoadBalancerNotFound.
func validateLBName(name string) *wire.Error {
	switch {
	case name == "":
		return errMissingParam("LoadBalancerName")
	case len(name) > 32:
		return errValidation("LoadBalancerName '%s' is longer than 32 characters.", wire.Truncate(name, 40))
	case !lbNamePattern.MatchString(name):
		return errValidation("LoadBalancerName '%s' must contain only alphanumeric characters or hyphens, "+
			"and must not begin or end with a hyphen.", wire.Truncate(name, 40))
	}
	return nil
}

// listParam reads a scalar list, turning a malformed index into a ValidationError.
func listParam(p wire.Params, prefix string) ([]string, *wire.Error) {
	vals, err := p.List(prefix)
	if err != nil {
		return nil, errValidation("%v", err)
	}
	return vals, nil
}

// instanceIDsParam reads Instances.member.N.InstanceId. Empty ids are malformed.
func instanceIDsParam(p wire.Params) ([]string, *wire.Error) {
	ids, err := p.FieldList("Instances.member", "InstanceId")
	if err != nil {
		return nil, errValidation("%v", err)
	}
	for _, id := range ids {
		if id == "" {
			return nil, errValidation("Instances.member.N.InstanceId must not be empty.")
		}
	}
	return ids, nil
}

// intParam parses an optional integer parameter within [lo, hi]; ok is false when absent.
func intParam(p wire.Params, key string, lo, hi int) (v int, ok bool, e *wire.Error) {
	raw, present := p[key]
	if !present {
		return 0, false, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < lo || n > hi {
		return 0, false, errValidation("%s must be an integer between %d and %d.", key, lo, hi)
	}
	return n, true, nil
}

// dedupe returns vals without repeats, first occurrence kept.
func dedupe(vals []string) []string {
	seen := make(map[string]struct{}, len(vals))
	out := vals[:0:0]
	for _, v := range vals {
		if _, dup := seen[v]; !dup {
			seen[v] = struct{}{}
			out = append(out, v)
		}
	}
	return out
}

// parseTagsParam reads an ELB tag list (Tags.member.N.Key/Value) and checks each tag (model,
// Tag: a key of 1-128 characters, a value of at most 256, both of letters, separators,
// digits and _ . : / = + - @; the Classic guide reserves the aws: prefix of keys). A key
// given twice is kept twice: tagsParam (elb_tags_quotas.go) answers DuplicateTagKeys.
func parseTagsParam(p wire.Params, prefix string) (tagSet, *wire.Error) {
	members, err := p.Structs(prefix)
	if err != nil {
		return nil, errValidation("%v", err)
	}
	var tags tagSet
	for _, m := range members {
		if e := validateTagKey(m["Key"]); e != nil {
			return nil, e
		}
		if e := validateTagValue(m["Key"], m["Value"]); e != nil {
			return nil, e
		}
		tags = append(tags, tag{Key: m["Key"], Value: m["Value"]})
	}
	return tags, nil
}

// tagTextPattern is the model's pattern of tag keys and values.
var tagTextPattern = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// validateTagKey checks a tag key (AddTags, RemoveTags, CreateLoadBalancer).
func validateTagKey(key string) *wire.Error {
	switch n := utf8.RuneCountInString(key); {
	case n == 0:
		return errValidation("Tag keys must not be empty.")
	case n > 128:
		return errValidation("Tag key '%s' is longer than 128 characters.", wire.Truncate(key, 40))
	case !utf8.ValidString(key) || !tagTextPattern.MatchString(key):
		return errValidation("Tag key '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s",
			wire.Truncate(key, 40), tagTextPattern)
	case strings.HasPrefix(strings.ToLower(key), "aws:"):
		return errValidation("Tag key '%s' cannot start with 'aws:'", wire.Truncate(key, 40))
	}
	return nil
}

func validateTagValue(key, value string) *wire.Error {
	switch {
	case utf8.RuneCountInString(value) > 256:
		return errValidation("Tag value of '%s' is longer than 256 characters.", wire.Truncate(key, 40))
	case !utf8.ValidString(value) || !tagTextPattern.MatchString(value):
		return errValidation("Tag value of '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s",
			wire.Truncate(key, 40), tagTextPattern)
	}
	return nil
}

// parseListeners reads Listeners.member.N (CreateLoadBalancer, CreateLoadBalancerListeners):
// Protocol, LoadBalancerPort and InstancePort are
// required; a secure front end needs SSLCertificateId; ports must be unique (DuplicateListener).
func parseListeners(p wire.Params) ([]listener, *wire.Error) {
	members, err := p.Structs("Listeners.member")
	if err != nil {
		return nil, errValidation("%v", err)
	}
	if len(members) == 0 {
		return nil, errMissingParam("Listeners")
	}
	var out []listener
	ports := map[int]bool{}
	for _, m := range members {
		proto, e := parseProtocol(m["Protocol"], "Protocol")
		if e != nil {
			return nil, e
		}
		lbPort, e := parsePort(m, "LoadBalancerPort")
		if e != nil {
			return nil, e
		}
		instPort, e := parsePort(m, "InstancePort")
		if e != nil {
			return nil, e
		}
		// Default back-end protocol: the front end's, with TLS terminated at the load balancer
		// (HTTPS->HTTP, SSL->TCP). Believed from AWS examples; the reference leaves it open.
		instProto := map[string]string{"HTTP": "HTTP", "HTTPS": "HTTP", "TCP": "TCP", "SSL": "TCP"}[proto]
		if raw := m["InstanceProtocol"]; raw != "" {
			if instProto, e = parseProtocol(raw, "InstanceProtocol"); e != nil {
				return nil, e
			}
		}
		cert := m["SSLCertificateId"]
		if (proto == "HTTPS" || proto == "SSL") && cert == "" {
			return nil, errValidation("A listener with protocol %s requires an SSLCertificateId.", proto)
		}
		if ports[lbPort] {
			return nil, wire.NewError(http.StatusBadRequest, "DuplicateListener", "A listener already exists for port %d.", lbPort)
		}
		ports[lbPort] = true
		out = append(out, listener{Protocol: proto, LoadBalancerPort: lbPort, InstanceProtocol: instProto, InstancePort: instPort, SSLCertificateID: cert})
	}
	return out, nil
}

func parseProtocol(raw, field string) (string, *wire.Error) {
	if raw == "" {
		return "", errMissingParam("Listeners.member.N." + field)
	}
	proto := strings.ToUpper(raw)
	switch proto {
	case "HTTP", "HTTPS", "TCP", "SSL":
		return proto, nil
	}
	return "", wire.NewError(http.StatusBadRequest, "UnsupportedProtocol", "Unsupported protocol '%s': use HTTP, HTTPS, TCP or SSL.", wire.Truncate(raw, 20))
}

func parsePort(m wire.Params, field string) (int, *wire.Error) {
	raw, ok := m[field]
	if !ok || raw == "" {
		return 0, errMissingParam("Listeners.member.N." + field)
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 65535 {
		return 0, errValidation("%s must be an integer between 1 and 65535.", field)
	}
	return n, nil
}

// checkListenerProtocols refuses a listener whose back-end protocol is not of its front end's
// layer (CreateLoadBalancer, CreateLoadBalancerListeners): "If the front-end protocol is TCP or
// SSL, the back-end protocol must be TCP or SSL. If the front-end protocol is HTTP or HTTPS,
// the back-end protocol must be HTTP or HTTPS." (model, Listener.InstanceProtocol;
// docs/sources.md 23c). Which error AWS answers is not captured: InvalidConfigurationRequest
// (409), in both operations' models, is believed.
func (h *handler) checkListenerProtocols(ls []listener) *wire.Error {
	for _, l := range ls {
		if protocolLayer(l.Protocol) != protocolLayer(l.InstanceProtocol) {
			ref := errInvalidConfiguration("Listener on port %d: front-end protocol %s cannot route to back-end protocol %s; "+
				"HTTP and HTTPS go to HTTP or HTTPS, TCP and SSL to TCP or SSL.", l.LoadBalancerPort, l.Protocol, l.InstanceProtocol)
			if e := h.dev.ListenerProtocolPair(ref); e != nil {
				return e
			}
		}
	}
	return nil
}

// protocolLayer is 7 for HTTP and HTTPS, 4 for TCP and SSL (upper case, as parseProtocol
// answers them).
func protocolLayer(proto string) int {
	if proto == "HTTP" || proto == "HTTPS" {
		return 7
	}
	return 4
}
