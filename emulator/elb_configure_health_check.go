package emulator

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// configureHealthCheck replaces the health check. Instances backed by a real address are
// probed with it from the next check (internal/dataplane/healthcheck.go); simulated instances' derived health
// does not depend on it.
func (h *handler) configureHealthCheck(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name := p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	hc, e := parseHealthCheck(p, h.dev.HealthCheckOutOfRange)
	if e != nil {
		return e
	}
	return h.changeLB(name, func(lb *loadBalancer) *wire.Error {
		lb.healthCheck = hc
		h.dp.OnChange(lb) // the next check uses hc, and its interval counts from the last check
		writeHealthCheck(x, hc)
		return nil
	})
}

// Health check ranges (model HealthCheck; API reference HealthCheck; docs/sources.md 8a, 23b).
const (
	minHealthInterval, maxHealthInterval   = 5, 300
	minHealthTimeout, maxHealthTimeout     = 2, 60
	minHealthThreshold, maxHealthThreshold = 2, 10
	// maxHealthTargetLen: "The total length of the HTTP ping target must be 1024 16-bit
	// Unicode characters or less."
	maxHealthTargetLen = 1024
)

// parseHealthCheck validates HealthCheck.*: every field is required (model); Interval is 5-300,
// Timeout 2-60 and less than Interval, both thresholds 2-10; the target is PROTOCOL:PORT for
// TCP and SSL and PROTOCOL:PORT/PATH for HTTP and HTTPS, with a port 1-65535, at most 1024
// UTF-16 code units. Every failure is a ValidationError (observed for a threshold out of range
// and for a TCP target with a path: docs/sources.md 23b). A range failure goes through
// outOfRange, which answers the error to return (nil: accept the value).
func parseHealthCheck(p wire.Params, outOfRange func(*wire.Error) *wire.Error) (healthCheck, *wire.Error) {
	var hc healthCheck
	fields := []struct {
		key    string
		lo, hi int
		dst    *int
	}{
		{"HealthCheck.Interval", minHealthInterval, maxHealthInterval, &hc.Interval},
		{"HealthCheck.Timeout", minHealthTimeout, maxHealthTimeout, &hc.Timeout},
		{"HealthCheck.UnhealthyThreshold", minHealthThreshold, maxHealthThreshold, &hc.UnhealthyThreshold},
		{"HealthCheck.HealthyThreshold", minHealthThreshold, maxHealthThreshold, &hc.HealthyThreshold},
	}
	for _, f := range fields {
		v, ok, e := intParam(p, f.key, math.MinInt32, math.MaxInt32)
		if e != nil {
			return hc, e
		}
		if !ok {
			return hc, errMissingParam(f.key)
		}
		if v < f.lo || v > f.hi {
			// The Coral-style wording AWS answers (docs/sources.md 23b).
			bound, rel := f.lo, "greater than or equal to"
			if v > f.hi {
				bound, rel = f.hi, "less than or equal to"
			}
			ref := errValidation("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value %s %d",
				v, "healthCheck."+lowerFirst(strings.TrimPrefix(f.key, "HealthCheck.")), rel, bound)
			if e := outOfRange(ref); e != nil {
				return hc, e
			}
		}
		*f.dst = v
	}
	if hc.Timeout >= hc.Interval {
		if e := outOfRange(errValidation("HealthCheck.Timeout must be less than HealthCheck.Interval.")); e != nil {
			return hc, e
		}
	}
	hc.Target = p["HealthCheck.Target"]
	if hc.Target == "" {
		return hc, errMissingParam("HealthCheck.Target")
	}
	if !validHealthTarget(hc.Target) {
		return hc, errValidation("Invalid HealthCheck.Target '%s': expected PROTOCOL:PORT or HTTP(S):PORT/PATH.", wire.Truncate(hc.Target, 64))
	}
	return hc, nil
}

// validHealthTarget checks a target's syntax: one of the four protocols (in any case, as
// listener protocols), a colon, a port 1-65535 in decimal digits, and a path beginning with
// "/" exactly when the protocol is HTTP or HTTPS.
func validHealthTarget(t string) bool {
	if len(utf16.Encode([]rune(t))) > maxHealthTargetLen {
		return false
	}
	proto, rest, ok := strings.Cut(t, ":")
	if !ok {
		return false
	}
	port, _, hasPath := strings.Cut(rest, "/")
	if port == "" || strings.Trim(port, "0123456789") != "" {
		return false
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return false
	}
	switch strings.ToUpper(proto) {
	case "HTTP", "HTTPS":
		return hasPath
	case "TCP", "SSL":
		return !hasPath
	}
	return false
}
