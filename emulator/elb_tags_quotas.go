package emulator

import (
	"net/http"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Tag and quota checks shared by several actions (docs/sources.md 22): CreateLoadBalancer and
// AddTags read tags and count them; CreateLoadBalancer, CreateLoadBalancerListeners and
// RegisterInstancesWithLoadBalancer enforce the quotas DescribeAccountLimits reports.

// The limits, as DescribeAccountLimits names them (API reference, Limit).
const (
	limitLoadBalancers = "classic-load-balancers"
	limitListeners     = "classic-listeners"
	limitInstances     = "classic-registered-instances"
)

// accountLimits are the limits DescribeAccountLimits answers, in its order.
var accountLimits = []string{limitLoadBalancers, limitListeners, limitInstances}

// configuredQuota is the quota Options sets for the limit named (<0: unlimited).
func (h *handler) configuredQuota(name string) int {
	switch name {
	case limitLoadBalancers:
		return h.opts.MaxLoadBalancers
	case limitListeners:
		return h.opts.MaxListenersPerLoadBalancer
	case limitInstances:
		return h.opts.MaxInstancesPerLoadBalancer
	}
	return -1
}

// quota is the quota the operations enforce for the limit named (<0: unlimited).
func (h *handler) quota(name string) int {
	return h.dev.EnforcedQuota(name, h.configuredQuota(name))
}

// overQuota reports whether n is more than quota q allows (q<0: unlimited).
func overQuota(n, q int) bool { return q >= 0 && n > q }

// tooManyLoadBalancers refuses a new load balancer when the region already has n. The
// model's answer: TooManyAccessPointsException, TooManyLoadBalancers, 400.
func (h *handler) tooManyLoadBalancers(n int) *wire.Error {
	if q := h.quota(limitLoadBalancers); overQuota(n+1, q) {
		return wire.NewError(http.StatusBadRequest, "TooManyLoadBalancers",
			"Exceeded quota of account %s: at most %d load balancers per region.", h.st.elb.account, q)
	}
	return nil
}

// tooManyListeners refuses a load balancer that would have n listeners. The model has no
// exception for this quota; the emulator answers the operations' InvalidConfigurationRequest
// (409), which the suite does not rely on (believed, docs/sources.md 22j).
func (h *handler) tooManyListeners(name string, n int) *wire.Error {
	if q := h.quota(limitListeners); overQuota(n, q) {
		return errInvalidConfiguration("A load balancer can have at most %d listeners; %s would have %d.", q, name, n)
	}
	return nil
}

// tooManyTags refuses a load balancer that would carry n tags (model and API reference: at
// most 10; the Classic guide says 50 - docs/sources.md 22b).
func (h *handler) tooManyTags(name string, n int) *wire.Error {
	if limit := h.dev.TagLimit(maxTagsPerLB); n > limit {
		return wire.NewError(http.StatusBadRequest, "TooManyTags",
			"The quota for the number of tags that can be assigned to load balancer %s has been reached: it would have %d tags, at most %d are allowed.",
			name, n, limit)
	}
	return nil
}

// tagsParam reads CreateLoadBalancer's and AddTags' Tags.member list: each tag checked by
// parseTagsParam, then a key given twice is DuplicateTagKeys (model, 400).
func (h *handler) tagsParam(p wire.Params) (tagSet, *wire.Error) {
	raw, e := parseTagsParam(p, "Tags.member")
	if e != nil {
		return nil, e
	}
	var tags tagSet
	for _, t := range raw {
		if _, dup := tags.get(t.Key); dup {
			ref := wire.NewError(http.StatusBadRequest, "DuplicateTagKeys", "A tag key was specified more than once: %s", wire.Truncate(t.Key, 128))
			if e := h.dev.DuplicateTagKeys(ref); e != nil {
				return nil, e
			}
		}
		tags.set(t.Key, t.Value) // only a deviation gets here with a key seen before
	}
	return tags, nil
}
