package emulator

import (
	"strconv"
	"strings"

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
	hc, e := parseHealthCheck(p)
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

// parseHealthCheck validates HealthCheck.*: every field is required; ranges and the target
// syntax follow the API reference (interval 5-300, timeout 2-60 and below the interval,
// thresholds 2-10, target PROTOCOL:PORT[/path] with a path only for HTTP(S)).
func parseHealthCheck(p wire.Params) (healthCheck, *wire.Error) {
	var hc healthCheck
	fields := []struct {
		key    string
		lo, hi int
		dst    *int
	}{
		{"HealthCheck.Interval", 5, 300, &hc.Interval},
		{"HealthCheck.Timeout", 2, 60, &hc.Timeout},
		{"HealthCheck.UnhealthyThreshold", 2, 10, &hc.UnhealthyThreshold},
		{"HealthCheck.HealthyThreshold", 2, 10, &hc.HealthyThreshold},
	}
	for _, f := range fields {
		v, ok, e := intParam(p, f.key, f.lo, f.hi)
		if e != nil {
			return hc, e
		}
		if !ok {
			return hc, errMissingParam(f.key)
		}
		*f.dst = v
	}
	if hc.Timeout >= hc.Interval {
		return hc, errValidation("HealthCheck.Timeout must be less than HealthCheck.Interval.")
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

func validHealthTarget(t string) bool {
	proto, rest, ok := strings.Cut(t, ":")
	if !ok {
		return false
	}
	port, path, hasPath := strings.Cut(rest, "/")
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || len(t) > 1024 {
		return false
	}
	switch strings.ToUpper(proto) {
	case "HTTP", "HTTPS":
		return hasPath
	case "TCP", "SSL":
		return !hasPath && path == ""
	}
	return false
}
