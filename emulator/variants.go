package emulator

import (
	"crypto/sha256"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Benign variants that need state or more than a one-line check. See modes.go.

// membershipLag is how stale DescribeLoadBalancers' view of membership is under the
// eventual-membership variant.
const membershipLag = time.Second

// recordChange remembers a membership change for eventual-membership, pruning entries too old
// to matter. The caller holds the write lock.
func (h *handler) recordChange(lb *loadBalancer, id string, added bool, now time.Time) {
	if !h.modes.variant(variantEventualMembership) {
		return
	}
	cutoff := now.Add(-membershipLag)
	keep := lb.history[:0]
	for _, c := range lb.history {
		if c.at.After(cutoff) {
			keep = append(keep, c)
		}
	}
	lb.history = append(keep, membershipChange{at: now, id: id, added: added})
}

// visibleMembers is the membership DescribeLoadBalancers shows: the current one, or under
// eventual-membership the one of membershipLag ago (changes newer than that are undone).
// The describe-lb-no-members fault shows none.
func (h *handler) visibleMembers(lb *loadBalancer, now time.Time) []string {
	if h.modes.fault(faultDescribeLBNoMembers) {
		return nil
	}
	ids := lb.members.ids()
	if !h.modes.variant(variantEventualMembership) {
		return ids
	}
	// For each id changed within the lag, its visible state is the one before its oldest
	// change in the window: absent if that change added it, present if it removed it.
	cutoff := now.Add(-membershipLag)
	wasPresent := map[string]bool{}
	var readd []string
	for _, c := range lb.history {
		if !c.at.After(cutoff) {
			continue
		}
		if _, seen := wasPresent[c.id]; seen {
			continue
		}
		wasPresent[c.id] = !c.added
		if !c.added {
			readd = append(readd, c.id)
		}
	}
	out := ids[:0]
	for _, id := range ids {
		if present, changed := wasPresent[id]; !changed || present {
			out = append(out, id)
		}
	}
	for _, id := range readd {
		if _, current := lb.members.get(id); !current {
			out = append(out, id)
		}
	}
	return out
}

// rewordError gives errors different (still informative) messages under reworded-errors.
func (h *handler) rewordError(e *apiError) *apiError {
	if !h.modes.variant(variantRewordedErrors) {
		return e
	}
	c := *e
	c.Message = "Request rejected (" + e.Code + "). Details: " + strings.ToLower(e.Message)
	return &c
}

// sleepJitter waits a random time in [lo, hi) or until the client goes away (latency variant).
func sleepJitter(r *http.Request, lo, hi time.Duration) {
	d := lo + rand.N(hi-lo)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

// throttler decides which requests the throttle-first variant refuses.
//
// SDK requests carry "amz-sdk-request: attempt=N; max=M": attempt 1 is throttled, retries
// are served. Requests without that header are throttled the first time their body is seen
// within throttleWindow, and served when repeated, so a plain client that retries also
// gets through.
type throttler struct {
	mu   sync.Mutex
	seen map[[32]byte]time.Time
}

const throttleWindow = 5 * time.Second

func newThrottler() *throttler { return &throttler{seen: map[[32]byte]time.Time{}} }

func (t *throttler) firstAttempt(rc *request) bool {
	if hdr := rc.http.Header.Get("amz-sdk-request"); hdr != "" {
		for _, part := range strings.Split(hdr, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok && k == "attempt" {
				return v == "1"
			}
		}
	}
	key := sha256.Sum256([]byte(rc.http.URL.RawQuery + "\x00" + rc.body))
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, at := range t.seen { // bounded by the request rate over throttleWindow
		if rc.now.Sub(at) > throttleWindow {
			delete(t.seen, k)
		}
	}
	if at, ok := t.seen[key]; ok && rc.now.Sub(at) <= throttleWindow {
		delete(t.seen, key)
		return false
	}
	t.seen[key] = rc.now
	return true
}

// ec2LagWindow is how long after launch ELB's view of EC2 lags under the ec2-lag variant.
const ec2LagWindow = 3 * time.Second

// lagsBehindEC2 reports whether ELB does not see in yet (ec2-lag variant): Register then
// refuses it with InvalidInstance, as AWS may right after launch (docs/sources.md 14).
func (h *handler) lagsBehindEC2(in *instance, now time.Time) bool {
	return h.modes.variant(variantEC2Lag) && now.Sub(in.launchedAt) < ec2LagWindow
}

// refusesDuplicateIDs reports whether a Register request naming an instance twice is refused
// (dup-in-request-refused variant) rather than counted once.
func (h *handler) refusesDuplicateIDs(ids []string) *apiError {
	if !h.modes.variant(variantDupInRequestRefused) || len(dedupe(ids)) == len(ids) {
		return nil
	}
	return newError(http.StatusBadRequest, "ValidationError", "Instances must not name an instance more than once.")
}

// lastZoneRefusal is the answer to disabling a load balancer's last zone: e, or under the
// last-zone-validation-error variant a 400 ValidationError (the code is not documented for
// this case; docs/sources.md 5a).
func (h *handler) lastZoneRefusal(e *apiError) *apiError {
	if !h.modes.variant(variantLastZoneValidationError) {
		return e
	}
	return newError(http.StatusBadRequest, "ValidationError", "At least one Availability Zone must remain enabled.")
}
