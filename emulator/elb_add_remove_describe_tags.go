package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Tag operations (docs/sources.md 22). AddTags and RemoveTags name exactly one load balancer
// ("You can specify one load balancer only"), DescribeTags 1-20; all names are checked
// before any change, and every call is all-or-nothing.

const maxDescribeTagsNames = 20

// tagTargets reads LoadBalancerNames.member.N (1..limit names) and resolves them. The caller
// holds the store lock.
func (h *handler) tagTargets(rc *wire.Request, limit int) ([]*loadBalancer, *wire.Error) {
	names, e := listParam(rc.Params, "LoadBalancerNames.member")
	if e != nil {
		return nil, e
	}
	switch {
	case len(names) == 0:
		return nil, errMissingParam("LoadBalancerNames")
	case len(names) > limit && limit == 1:
		// Observed for AddTags with two names (docs/sources.md 22d).
		return nil, errValidation("Exactly 1 LoadBalancerName can be specified")
	case len(names) > limit:
		// The model's constraint, in the words AWS answers it (docs/sources.md 22e).
		return nil, errValidation("1 validation error detected: Value at 'loadBalancerNames' failed to satisfy constraint: Member must have length less than or equal to %d", limit)
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

// addTags adds tags, or updates the value of a key the load balancer has ("If a tag with the
// same key is already associated with the load balancer, AddTags updates its value"). A
// load balancer that would carry more than maxTagsPerLB is TooManyTags; a key given twice
// is DuplicateTagKeys (tagsParam).
func (h *handler) addTags(rc *wire.Request, x *wire.Writer) *wire.Error {
	tags, e := h.tagsParam(rc.Params)
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
			old, had := merged.get(t.Key)
			merged.set(t.Key, h.dev.AddedTagValue(old, had, t.Value))
		}
		if e := h.tooManyTags(lb.name, len(merged)); e != nil {
			return e
		}
		lb.tags = merged // one load balancer: checked and changed in one step
	}
	return nil
}

// removeTags removes tag keys; a key the load balancer does not have is not an error
// (believed, docs/sources.md 22c).
func (h *handler) removeTags(rc *wire.Request, x *wire.Writer) *wire.Error {
	keys, err := rc.Params.FieldList("Tags.member", "Key")
	if err != nil {
		return errValidation("%v", err)
	}
	if len(keys) == 0 {
		return errMissingParam("Tags")
	}
	for _, k := range keys {
		if e := validateTagKey(k); e != nil {
			return e
		}
	}
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	lbs, e := h.tagTargets(rc, 1)
	if e != nil {
		return e
	}
	h.dev.RemoveTags(func() {
		for _, lb := range lbs {
			for _, k := range keys {
				lb.tags.remove(k)
			}
		}
	})
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
	lbs = h.dev.DescribedTags(lbs)
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
