package emulator

import (
	"net/http"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Tag operations. The model lets AddTags/RemoveTags name one load balancer and DescribeTags
// up to 20; all names are checked before any change.

const maxDescribeTagsNames = 20

// tagTargets reads LoadBalancerNames.member.N (1..limit names) and resolves them. The caller
// holds the store lock.
func (h *handler) tagTargets(rc *wire.Request, limit int) ([]*loadBalancer, *wire.Error) {
	names, e := listParam(rc.Params, "LoadBalancerNames.member")
	if e != nil {
		return nil, e
	}
	if len(names) == 0 {
		return nil, errMissingParam("LoadBalancerNames")
	}
	if len(names) > limit {
		return nil, errValidation("At most %d LoadBalancerNames may be given.", limit)
	}
	var lbs []*loadBalancer
	for _, n := range dedupe(names) {
		lb, e := h.lookupLB(n)
		if e != nil {
			return nil, e
		}
		lbs = append(lbs, lb)
	}
	return lbs, nil
}

// addTags adds or overwrites tags; more than 10 tags on a load balancer is TooManyTags.
func (h *handler) addTags(rc *wire.Request, x *wire.Writer) *wire.Error {
	tags, e := parseTagsParam(rc.Params, "Tags.member")
	if e != nil {
		return e
	}
	if len(tags) == 0 {
		return errMissingParam("Tags")
	}
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	lbs, e := h.tagTargets(rc, 1)
	if e != nil {
		return e
	}
	for _, lb := range lbs {
		merged := append(tagSet(nil), lb.tags...)
		for _, t := range tags {
			merged.set(t.Key, t.Value)
		}
		if len(merged) > maxTagsPerLB {
			return wire.NewError(http.StatusBadRequest, "TooManyTags", "Load balancer %s would have %d tags; at most %d are allowed.",
				lb.name, len(merged), maxTagsPerLB)
		}
	}
	for _, lb := range lbs {
		for _, t := range tags {
			lb.tags.set(t.Key, t.Value)
		}
	}
	return nil
}

// removeTags removes tag keys; removing an absent key is a no-op.
func (h *handler) removeTags(rc *wire.Request, x *wire.Writer) *wire.Error {
	keys, err := rc.Params.FieldList("Tags.member", "Key")
	if err != nil {
		return errValidation("%v", err)
	}
	if len(keys) == 0 {
		return errMissingParam("Tags")
	}
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	lbs, e := h.tagTargets(rc, 1)
	if e != nil {
		return e
	}
	for _, lb := range lbs {
		for _, k := range keys {
			lb.tags.remove(k)
		}
	}
	return nil
}

// describeTags answers the tags of each named load balancer.
func (h *handler) describeTags(rc *wire.Request, x *wire.Writer) *wire.Error {
	h.st.mu.RLock()
	defer h.st.mu.RUnlock()
	lbs, e := h.tagTargets(rc, maxDescribeTagsNames)
	if e != nil {
		return e
	}
	x.Structs("TagDescriptions", len(lbs), func(i int) {
		lb := lbs[i]
		x.Leaf("LoadBalancerName", lb.name)
		x.Structs("Tags", len(lb.tags), func(j int) {
			x.Leaf("Key", lb.tags[j].Key)
			x.Leaf("Value", lb.tags[j].Value)
		})
	})
	return nil
}
