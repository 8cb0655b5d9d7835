package emulator

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// describeLoadBalancerAttributes answers a load balancer's attributes: cross-zone load
// balancing, connection draining, the idle timeout and the access log (defaults: newAttributes,
// docs/sources.md 17a).
func (h *handler) describeLoadBalancerAttributes(rc *wire.Request, x *wire.Writer) *wire.Error {
	name := rc.Params["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	return h.readLB(name, func(lb *loadBalancer) *wire.Error {
		writeAttributes(x, lb.attributes, allAttributeGroups)
		return nil
	})
}

// modifyLoadBalancerAttributes changes the attributes given and leaves the others as they are
// (docs/sources.md 17c), and answers the load balancer's name with the attributes given, as
// they now are (17d). Every value is checked before anything changes (ranges: 17b).
func (h *handler) modifyLoadBalancerAttributes(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name := p["LoadBalancerName"]
	if e := validateLBName(name); e != nil {
		return e
	}
	change, e := h.parseAttributeChange(p)
	if e != nil {
		return e
	}
	return h.changeLB(name, func(lb *loadBalancer) *wire.Error {
		next := change.applyTo(lb.attributes)
		h.dev.ApplyAttributes(func() {
			lb.attributes = next
			h.attributesChanged(lb)
		})
		x.Leaf("LoadBalancerName", lb.name)
		writeAttributes(x, next, change.groups)
		return nil
	})
}

// attributeGroup names one member of LoadBalancerAttributes.
type attributeGroup uint8

const (
	groupCrossZone attributeGroup = 1 << iota
	groupAccessLog
	groupDraining
	groupConnectionSettings
	allAttributeGroups = groupCrossZone | groupAccessLog | groupDraining | groupConnectionSettings
)

// Attribute ranges: the Classic guide (docs/sources.md 17b). The service model still says
// 3600 for the idle timeout; the guide has said 4000 since 2017.
const (
	minIdleTimeout, maxIdleTimeout         = 1, 4000
	minDrainingTimeout, maxDrainingTimeout = 1, 3600
	desyncMitigationModeKey                = "elb.http.desyncmitigationmode"
)

var additionalAttributePattern = regexp.MustCompile(`^[a-zA-Z0-9.]+$`)

// attributeChange is a ModifyLoadBalancerAttributes request, parsed and checked: the groups
// given and their values (nil: not given, keep the current value).
type attributeChange struct {
	groups          attributeGroup
	crossZone       bool
	draining        bool
	drainingTimeout *int
	idleTimeout     int
	accessLog       bool
	bucket, prefix  *string
	emitInterval    *int
}

func (c attributeChange) applyTo(a attributes) attributes {
	if c.groups&groupCrossZone != 0 {
		a.CrossZone = c.crossZone
	}
	if c.groups&groupDraining != 0 {
		a.Draining = c.draining
		if c.drainingTimeout != nil {
			a.DrainingTimeout = *c.drainingTimeout
		}
	}
	if c.groups&groupConnectionSettings != 0 {
		a.IdleTimeout = c.idleTimeout
	}
	if c.groups&groupAccessLog != 0 {
		a.AccessLog.Enabled = c.accessLog
		if c.bucket != nil {
			a.AccessLog.S3BucketName = *c.bucket
		}
		if c.prefix != nil {
			a.AccessLog.S3BucketPrefix = *c.prefix
		}
		if c.emitInterval != nil {
			a.AccessLog.EmitInterval = *c.emitInterval
		}
	}
	return a
}

// parseAttributeChange reads LoadBalancerAttributes.*: each member given needs its required
// field (Enabled; ConnectionSettings.IdleTimeout), values must be in range, an enabled access
// log needs S3BucketName. The emulator has no S3, so the bucket is not looked up (on AWS a
// bucket the load balancer cannot write to is InvalidConfigurationRequest, 17b).
func (h *handler) parseAttributeChange(p wire.Params) (attributeChange, *wire.Error) {
	const root = "LoadBalancerAttributes."
	var c attributeChange
	given := func(group string) bool {
		for k := range p {
			if strings.HasPrefix(k, root+group+".") {
				return true
			}
		}
		return false
	}
	var e *wire.Error
	if given("CrossZoneLoadBalancing") {
		c.groups |= groupCrossZone
		if c.crossZone, e = requiredBool(p, root+"CrossZoneLoadBalancing.Enabled"); e != nil {
			return c, e
		}
	}
	if given("ConnectionDraining") {
		c.groups |= groupDraining
		if c.draining, e = requiredBool(p, root+"ConnectionDraining.Enabled"); e != nil {
			return c, e
		}
		if c.drainingTimeout, e = h.rangedInt(p, root+"ConnectionDraining.Timeout", minDrainingTimeout, maxDrainingTimeout); e != nil {
			return c, e
		}
	}
	if given("ConnectionSettings") {
		c.groups |= groupConnectionSettings
		idle, e := h.rangedInt(p, root+"ConnectionSettings.IdleTimeout", minIdleTimeout, maxIdleTimeout)
		if e != nil {
			return c, e
		}
		if idle == nil {
			return c, errMissingParam(root + "ConnectionSettings.IdleTimeout")
		}
		c.idleTimeout = *idle
	}
	if given("AccessLog") {
		c.groups |= groupAccessLog
		if c.accessLog, e = requiredBool(p, root+"AccessLog.Enabled"); e != nil {
			return c, e
		}
		if v, ok := p[root+"AccessLog.S3BucketName"]; ok {
			c.bucket = &v
		}
		if v, ok := p[root+"AccessLog.S3BucketPrefix"]; ok {
			c.prefix = &v
		}
		if c.accessLog && (c.bucket == nil || *c.bucket == "") {
			return c, errValidation("An access log that is enabled needs an S3BucketName.")
		}
		if c.emitInterval, e = h.emitInterval(p, root+"AccessLog.EmitInterval"); e != nil {
			return c, e
		}
	}
	if e := checkAdditionalAttributes(p, root+"AdditionalAttributes.member"); e != nil {
		return c, e
	}
	if c.groups == 0 && !given("AdditionalAttributes") {
		return c, errMissingParam("LoadBalancerAttributes")
	}
	return c, nil
}

func requiredBool(p wire.Params, key string) (bool, *wire.Error) {
	raw, ok := p[key]
	if !ok || raw == "" {
		return false, errMissingParam(key)
	}
	switch strings.ToLower(raw) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errValidation("%s must be true or false, not '%s'.", key, wire.Truncate(raw, 20))
}

// rangedInt reads an optional integer in [lo, hi]; nil when absent. A value out of range is
// refused unless a deviation accepts it.
func (h *handler) rangedInt(p wire.Params, key string, lo, hi int) (*int, *wire.Error) {
	raw, ok := p[key]
	if !ok {
		return nil, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil {
		return nil, errValidation("%s must be an integer between %d and %d.", key, lo, hi)
	}
	if n < lo || n > hi {
		if e := h.dev.AttributeOutOfRange(errValidation("%s must be an integer between %d and %d.", key, lo, hi)); e != nil {
			return nil, e
		}
	}
	return &n, nil
}

// emitInterval reads AccessLog.EmitInterval: 5 or 60 minutes; nil when absent.
func (h *handler) emitInterval(p wire.Params, key string) (*int, *wire.Error) {
	raw, ok := p[key]
	if !ok {
		return nil, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil {
		return nil, errValidation("%s must be 5 or 60 (minutes).", key)
	}
	if n != 5 && n != 60 {
		if e := h.dev.AttributeOutOfRange(errValidation("%s must be 5 or 60 (minutes).", key)); e != nil {
			return nil, e
		}
	}
	return &n, nil
}

// checkAdditionalAttributes reads AdditionalAttributes.member.N.Key/Value (at most 10, keys
// and values ^[a-zA-Z0-9.]+$ up to 256 characters; model). The one key the guide names,
// elb.http.desyncmitigationmode (monitor, defensive or strictest; default defensive), is not
// modelled by the emulator: only its default is accepted. Any other key does not exist.
func checkAdditionalAttributes(p wire.Params, prefix string) *wire.Error {
	members, err := p.Structs(prefix)
	if err != nil {
		return errValidation("%v", err)
	}
	if len(members) > 10 {
		return errValidation("LoadBalancerAttributes.AdditionalAttributes can have at most 10 members.")
	}
	for _, m := range members {
		key, val := m["Key"], m["Value"]
		for _, s := range []string{key, val} {
			if len(s) > 256 || !additionalAttributePattern.MatchString(s) {
				return errValidation("Additional attribute keys and values must match ^[a-zA-Z0-9.]+$ (at most 256 characters): '%s' does not.", wire.Truncate(s, 40))
			}
		}
		if key != desyncMitigationModeKey {
			return wire.NewError(http.StatusBadRequest, "LoadBalancerAttributeNotFound", "The load balancer attribute '%s' does not exist.", wire.Truncate(key, 64))
		}
		switch val {
		case "defensive":
		case "monitor", "strictest":
			return errInvalidConfiguration("This emulator supports only the desync mitigation mode 'defensive'.")
		default:
			return errValidation("%s must be monitor, defensive or strictest, not '%s'.", desyncMitigationModeKey, wire.Truncate(val, 40))
		}
	}
	return nil
}

// writeAttributes writes LoadBalancerAttributes with the given members. A disabled access log
// is written as Enabled false alone, as AWS's example answers show it.
func writeAttributes(x *wire.Writer, a attributes, groups attributeGroup) {
	x.Open("LoadBalancerAttributes")
	if groups&groupCrossZone != 0 {
		x.Open("CrossZoneLoadBalancing")
		x.LeafBool("Enabled", a.CrossZone)
		x.Close("CrossZoneLoadBalancing")
	}
	if groups&groupAccessLog != 0 {
		x.Open("AccessLog")
		x.LeafBool("Enabled", a.AccessLog.Enabled)
		if a.AccessLog.Enabled {
			x.Leaf("S3BucketName", a.AccessLog.S3BucketName)
			x.LeafInt("EmitInterval", a.AccessLog.EmitInterval)
			x.Leaf("S3BucketPrefix", a.AccessLog.S3BucketPrefix)
		}
		x.Close("AccessLog")
	}
	if groups&groupDraining != 0 {
		x.Open("ConnectionDraining")
		x.LeafBool("Enabled", a.Draining)
		x.LeafInt("Timeout", a.DrainingTimeout)
		x.Close("ConnectionDraining")
	}
	if groups&groupConnectionSettings != 0 {
		x.Open("ConnectionSettings")
		x.LeafInt("IdleTimeout", a.IdleTimeout)
		x.Close("ConnectionSettings")
	}
	x.Close("LoadBalancerAttributes")
}
