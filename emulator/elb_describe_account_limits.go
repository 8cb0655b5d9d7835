package emulator

import (
	"encoding/base64"
	"slices"
	"strconv"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// describeAccountLimits answers the Classic quotas the emulator enforces (Options:
// MaxLoadBalancers, MaxListenersPerLoadBalancer, MaxInstancesPerLoadBalancer; AWS's defaults
// 20, 100 and 1,000 - docs/sources.md 22h), paged by PageSize (1-400, API reference) and
// Marker. The marker is the last limit name answered, base64-encoded to stay opaque, as
// DescribeLoadBalancers' is. An unlimited quota (a negative Option) is reported as
// "unlimited", which AWS never answers.
func (h *handler) describeAccountLimits(rc *wire.Request, x *wire.Writer) *wire.Error {
	pageSize, hasPageSize, e := intParam(rc.Params, "PageSize", 1, maxDescribePageSize)
	if e != nil {
		return e
	}
	limits := make([][2]string, len(accountLimits))
	for i, name := range accountLimits {
		limits[i] = [2]string{name, "unlimited"}
		if q := h.dev.ReportedLimit(name, h.configuredQuota(name)); q >= 0 {
			limits[i][1] = strconv.Itoa(q)
		}
	}
	from := 0
	if m, ok := rc.Params["Marker"]; ok && m != "" {
		raw, err := base64.RawURLEncoding.DecodeString(m)
		i := slices.IndexFunc(limits, func(l [2]string) bool { return l[0] == string(raw) })
		if err != nil || i < 0 {
			return errValidation("Invalid Marker.")
		}
		from = i + 1
	}
	pageSize, hasPageSize, from = h.dev.AccountLimitsPaging(pageSize, hasPageSize, from)
	limits = limits[from:]
	next := ""
	if hasPageSize && len(limits) > pageSize {
		limits = limits[:pageSize]
		next = base64.RawURLEncoding.EncodeToString([]byte(limits[pageSize-1][0]))
	}
	x.Structs("Limits", len(limits), func(i int) {
		x.Leaf("Max", limits[i][1])
		x.Leaf("Name", limits[i][0])
	})
	if next != "" {
		x.Leaf("NextMarker", next)
	}
	return nil
}
