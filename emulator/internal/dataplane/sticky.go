package dataplane

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"time"
)

// Sticky sessions (docs/sources.md 18, 19), on HTTP listeners with a stickiness policy:
//   - duration-based (LBCookie): the load balancer answers a request that holds no valid
//     cookie with its own cookie AWSELB naming the member that served it, expiring after
//     the policy's CookieExpirationPeriod (a browser-session cookie without one); a request
//     holding it goes to that member while the member is a candidate, and otherwise is routed
//     anew and gets a new cookie;
//   - application-controlled (AppCookie): when the member's answer sets the application's
//     cookie (CookieName), the load balancer adds AWSELB naming the member, with the same
//     lifetime; a request holding both cookies goes to that member while it is a candidate.
//     Without the application's cookie the session is not sticky ("If the application cookie
//     is explicitly removed or expires, the session stops being sticky until a new
//     application cookie is issued"). A session whose member cannot take it moves to a new
//     one and gets a cookie naming it, so it stays there "even if the failed instance comes
//     back" (docs/sources.md 18j).
// The cookie's value is opaque: a random token per member, stable for the load balancer's
// life, so a client cannot name an instance itself.

// StickyCookie is the name of the load balancer's stickiness cookie.
const StickyCookie = "AWSELB"

// stickyTokens maps instance ids to cookie values and back. Guarded by Plane.mu.
type stickyTokens struct {
	byID    map[string]string
	byToken map[string]string
}

// tokenFor answers id's cookie value, making one the first time.
func (dp *Plane) tokenFor(rt *lbRuntime, id string) string {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if rt.sticky.byID == nil {
		rt.sticky.byID, rt.sticky.byToken = map[string]string{}, map[string]string{}
	}
	if t, ok := rt.sticky.byID[id]; ok {
		return t
	}
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	t := hex.EncodeToString(b)
	rt.sticky.byID[id], rt.sticky.byToken[t] = t, id
	return t
}

// stuckTo answers the instance r's stickiness cookie names, when the policy in force makes r
// sticky.
func (dp *Plane) stuckTo(rt *lbRuntime, sticky Stickiness, r *http.Request) (string, bool) {
	if r == nil || sticky.Kind == NotSticky {
		return "", false
	}
	c, err := r.Cookie(StickyCookie)
	if err != nil {
		return "", false
	}
	if sticky.Kind == AppCookie {
		if _, err := r.Cookie(sticky.CookieName); err != nil {
			return "", false
		}
	}
	dp.mu.Lock()
	defer dp.mu.Unlock()
	id, ok := rt.sticky.byToken[c.Value]
	return id, ok
}

// stickyCookie answers the Set-Cookie value naming rte's member to add to res, or "".
func (dp *Plane) stickyCookie(rt *lbRuntime, rte route, sticky Stickiness, res *http.Response) string {
	switch sticky.Kind {
	case LBCookie:
		if !rte.stick {
			return ""
		}
		c := &http.Cookie{Name: StickyCookie, Value: dp.tokenFor(rt, rte.id), Path: "/"}
		if sticky.Expiration > 0 {
			c.MaxAge = int(sticky.Expiration / time.Second)
		}
		return c.String()
	case AppCookie:
		for _, app := range res.Cookies() {
			if app.Name == sticky.CookieName {
				c := &http.Cookie{Name: StickyCookie, Value: dp.tokenFor(rt, rte.id), Path: "/", MaxAge: app.MaxAge, Expires: app.Expires}
				return c.String()
			}
		}
		if rte.stick { // the session moved to a new member: it stays there
			return (&http.Cookie{Name: StickyCookie, Value: dp.tokenFor(rt, rte.id), Path: "/"}).String()
		}
	}
	return ""
}
