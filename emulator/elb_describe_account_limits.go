package emulator

import (
	"encoding/base64"
	"slices"
	"strconv"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// describeAccountLimits answers the Classic quotas the emulator enforces, paged by
// PageSize (1-400, API reference) and Marker. The marker is the last limit name answered,
// base64-encoded to stay opaque, as DescribeLoadBalancers' is.
func (h *handler) describeAccountLimits(rc *wire.Request, x *wire.Writer) *wire.Error {
	pageSize, hasPageSize, e := intParam(rc.Params, "PageSize", 1, maxDescribePageSize)
	if e != nil {
		return e
	}
	instances := strconv.Itoa(h.opts.MaxInstancesPerLoadBalancer)
	if h.opts.MaxInstancesPerLoadBalancer < 0 {
		instances = "unlimited"
	}
	limits := [][2]string{
		{"classic-load-balancers", strconv.Itoa(maxLoadBalancers)},
		{"classic-listeners", strconv.Itoa(maxListenersPerLB)},
		{"classic-registered-instances", instances},
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
