package emulator

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"
)

// API versions told apart on the shared endpoint.
const (
	elbVersion = "2012-06-01"
	ec2Version = "2016-11-15"
)

// maxBodyBytes bounds a request body. A Register call with 100,000 members is about 6 MB, so
// 64 MB leaves room while still refusing absurd uploads.
const maxBodyBytes = 64 << 20

// handler is the emulator's http.Handler.
type handler struct {
	opts  Options
	log   *slog.Logger
	modes modeSet
	st    *store

	reqSeq   atomic.Uint64 // numbers requests for the request-id-format variant
	panics   atomic.Int64  // recovered panics; tests assert it stays zero
	throttle *throttler    // throttle-first variant state
	dp       *dataplane    // listeners and health checks of backed instances (dataplane.go)
}

// request is one API call being served.
type request struct {
	http   *http.Request
	body   string
	p      params
	action string
	id     string    // request id
	now    time.Time // one clock reading per request, so all derived state agrees
}

// NewHandler returns the emulator as an http.Handler. It validates opts: an unknown fault or
// variant name, a malformed region or account id, or a negative delay is an error.
func NewHandler(opts Options) (http.Handler, error) {
	return newHandler(opts)
}

func newHandler(opts Options) (*handler, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	modes, err := newModeSet(o.Faults, o.Variants)
	if err != nil {
		return nil, err
	}
	h := &handler{
		opts:     o,
		log:      o.Logger,
		modes:    modes,
		st:       newStore(o),
		throttle: newThrottler(),
	}
	h.dp = newDataplane(h)
	return h, nil
}

// ServeHTTP routes the health check, the reserved extension prefix and the AWS APIs.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer h.recoverPanic(w, r)
	switch {
	case r.URL.Path == "/healthz":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok")
	case strings.HasPrefix(r.URL.Path, "/_emulator/"):
		// Emulator extensions answer plain JSON, never as AWS (extensions.go).
		h.serveExtension(w, r)
	default:
		h.serveAPI(w, r)
	}
}

// recoverPanic is the last line of defence: a bug must not kill the connection without an
// answer. It answers 500 InternalFailure and counts the panic; tests assert the count stays 0.
func (h *handler) recoverPanic(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	h.panics.Add(1)
	h.log.Error("emulator panic", "panic", fmt.Sprint(v), "path", r.URL.Path, "stack", string(debug.Stack()))
	writeGenericError(w, newUUID(), errInternal())
}

type service int

const (
	svcUnknown service = iota
	svcELB
	svcEC2
)

func (h *handler) serveAPI(w http.ResponseWriter, r *http.Request) {
	rc := &request{http: r, id: h.newRequestID(), now: time.Now(), p: params{}}

	var parseErr error
	if r.Body != nil {
		body, err := readBody(w, r)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeGenericError(w, rc.id, newError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
				"Request body larger than %d bytes.", maxBodyBytes))
			return
		}
		if err != nil { // stalled past RequestReadTimeout, or cut short: never act on part of a request
			writeGenericError(w, rc.id, errBodyRead(err))
			return
		}
		rc.body = body
	}
	// Body first: the first occurrence of a key wins, so form fields override the query string.
	parseErr = decodeForm(rc.p, rc.body)
	if parseErr == nil {
		parseErr = decodeForm(rc.p, r.URL.RawQuery)
	}
	rc.action = rc.p["Action"]

	if h.modes.variant(variantLatency) {
		sleepJitter(r, 50*time.Millisecond, 150*time.Millisecond)
	}

	svc := detectService(rc.p, r)
	if h.log.Enabled(r.Context(), slog.LevelDebug) { // the arguments alone cost allocations
		h.log.Debug("request", "service", svc, "action", truncate(rc.action, 64), "requestId", rc.id)
	}
	// AWS checks the signature before anything else: a request signed for another region is
	// refused whatever it asks for, in the service's error envelope.
	wrongRegion := h.wrongRegion(r)
	switch svc {
	case svcELB:
		if wrongRegion != nil {
			h.writeELBError(w, rc, wrongRegion)
			return
		}
		h.serveELB(w, rc, parseErr)
	case svcEC2:
		if wrongRegion != nil {
			writeEC2Error(w, rc, wrongRegion)
			return
		}
		h.serveEC2(w, rc, parseErr)
	default:
		msg := "Cannot tell which service this request is for: Version %q is neither %s (ELB Classic) nor %s (EC2), " +
			"and the Authorization credential scope names neither elasticloadbalancing nor ec2."
		writeGenericError(w, rc.id, newError(http.StatusBadRequest, "InvalidAction", msg,
			truncate(rc.p["Version"], 32), elbVersion, ec2Version))
	}
}

// detectService tells ELB Classic and EC2 apart by Version, falling back to the SigV4
// credential scope (Authorization header, or X-Amz-Credential of a presigned URL), since
// clients always sign with the service's signing name.
func detectService(p params, r *http.Request) service {
	switch p["Version"] {
	case elbVersion:
		return svcELB
	case ec2Version:
		return svcEC2
	}
	_, svc, _ := credentialScope(r)
	switch svc {
	case "elasticloadbalancing":
		return svcELB
	case "ec2":
		return svcEC2
	}
	return svcUnknown
}

// credentialScope extracts region and service from the SigV4 credential
// "Credential=AKID/date/region/service/aws4_request" of the Authorization header, or of
// X-Amz-Credential for a presigned URL. ok is false for an unsigned request (or one whose
// credential is not five slash-separated parts): the emulator accepts those unchecked.
func credentialScope(r *http.Request) (region, svc string, ok bool) {
	cred := ""
	if auth := r.Header.Get("Authorization"); auth != "" {
		if _, after, found := strings.Cut(auth, "Credential="); found {
			cred, _, _ = strings.Cut(after, ",")
		}
	} else if strings.Contains(r.URL.RawQuery, "X-Amz-Credential") {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	// Five parts, cut without allocating: this runs on every request.
	var parts [5]string
	rest := strings.TrimSpace(cred)
	for i := range 4 {
		var found bool
		if parts[i], rest, found = strings.Cut(rest, "/"); !found {
			return "", "", false
		}
	}
	if strings.Contains(rest, "/") {
		return "", "", false
	}
	parts[4] = rest
	return parts[2], parts[3], true
}

// errWrongRegion is AWS's answer to a request signed for another region than the
// endpoint's: HTTP 403 SignatureDoesNotMatch, Sender, "Credential should be scoped to a
// valid region, not '<signed region>'. " (AWS IAM user guide, "Troubleshoot signed requests
// for AWS APIs": https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html;
// seen from query services, e.g. SES "Status Code: 403; Error Code: SignatureDoesNotMatch",
// https://github.com/aws/aws-sdk-java/issues/1097). The emulator adds the region it serves,
// which AWS does not, so a client can name the fix.
func errWrongRegion(signed, served string) *apiError {
	return newError(http.StatusForbidden, "SignatureDoesNotMatch",
		"Credential should be scoped to a valid region, not '%s'. The elbconform emulator serves region '%s'.",
		truncate(signed, 64), served)
}

// wrongRegion returns errWrongRegion when r is signed for another region than the
// emulator's, and nil for a request signed for its region or not signed at all.
func (h *handler) wrongRegion(r *http.Request) *apiError {
	region, _, ok := credentialScope(r)
	if !ok || region == h.opts.Region {
		return nil
	}
	return errWrongRegion(region, h.opts.Region)
}

// newRequestID returns a UUID, or req-00042 style ids under the request-id-format variant.
func (h *handler) newRequestID() string {
	n := h.reqSeq.Add(1)
	if h.modes.variant(variantRequestIDFormat) {
		return fmt.Sprintf("req-%05d", n)
	}
	return newUUID()
}

// writeGenericError answers a request whose service is unknown (or a panic) in the plain
// AWS query error envelope, without a service namespace.
func writeGenericError(w http.ResponseWriter, requestID string, e *apiError) {
	x := &xmlWriter{}
	x.open("ErrorResponse")
	x.open("Error")
	x.leaf("Type", e.faultType())
	x.leaf("Code", e.Code)
	x.leaf("Message", e.Message)
	x.close("Error")
	x.leaf("RequestId", requestID)
	x.close("ErrorResponse")
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", requestID)
	w.WriteHeader(e.Status)
	_, _ = w.Write(x.Bytes())
}
