package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"net/http"
	"regexp"
	"strconv"
	"strings"
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

// parseTagsParam reads an ELB tag list (Tags.member.N.Key/Value). Keys are 1-128 characters and
// may not start with "aws:"; values at most 256; a key twice in one request is
// DuplicateTagKeys (model).
func parseTagsParam(p wire.Params, prefix string) (tagSet, *wire.Error) {
	members, err := p.Structs(prefix)
	if err != nil {
		return nil, errValidation("%v", err)
	}
	var tags tagSet
	seen := map[string]bool{}
	for _, m := range members {
		key := m["Key"]
		switch {
		case key == "":
			return nil, errValidation("Tag keys must not be empty.")
		case len(key) > 128:
			return nil, errValidation("Tag key '%s' is longer than 128 characters.", wire.Truncate(key, 40))
		case strings.HasPrefix(strings.ToLower(key), "aws:"):
			return nil, errValidation("Tag keys starting with 'aws:' are reserved.")
		case len(m["Value"]) > 256:
			return nil, errValidation("Tag value of '%s' is longer than 256 characters.", wire.Truncate(key, 40))
		case seen[key]:
			return nil, wire.NewError(http.StatusBadRequest, "DuplicateTagKeys", "A tag key was specified more than once: %s", wire.Truncate(key, 128))
		}
		seen[key] = true
		tags = append(tags, tag{Key: key, Value: m["Value"]})
	}
	return tags, nil
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
	if len(members) > maxListenersPerLB {
		return nil, errValidation("A load balancer can have at most %d listeners.", maxListenersPerLB)
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
