package modes

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// The wire-level modes: they change how answers look (envelope, headers, lists), when they
// come and what request ids look like, never what the services decide. Each is a decorator
// of a wire.Envelope, a wire.Writer Style or a wire.Handler, installed only when its mode is
// on; the reference path has none of them. They apply to ELB Classic answers only: EC2 is
// fixture plumbing for the suite, not the system under test.

// WrongELBNamespace is what the wrong-namespace fault answers with (an older API version).
const WrongELBNamespace = "http://elasticloadbalancing.amazonaws.com/doc/2011-11-15/"

// ELBEnvelope returns ref (the awsQuery envelope with ELB's namespace) with the wire-level
// faults and variants that are on.
func (m Set) ELBEnvelope(ref wire.Envelope) wire.Envelope {
	env := ref
	if q, ok := env.(wire.AWSQuery); ok && m.Fault(FaultWrongNamespace) {
		q.Namespace = WrongELBNamespace
		env = q
	}
	if m.Fault(FaultErrorEC2Envelope) {
		env = ec2ErrorEnvelope{env}
	}
	var style wire.Style
	style.Unwrapped = m.Fault(FaultNoMemberWrappers)
	if m.Variant(VariantExtraElements) {
		style.AfterItem = func(x *wire.Writer) { x.Leaf("EmulatorExtraMemberField", "ignore-me") }
		env = extraElements{env}
	}
	shuffle := m.Variant(VariantShuffleOrder)
	if style.Unwrapped || style.AfterItem != nil || shuffle {
		env = styled{env, style, shuffle}
	}
	var rw responseRewrite
	rw.plain = m.Fault(FaultContentTypePlain)
	rw.extraHeader = m.Variant(VariantExtraElements)
	if rw != (responseRewrite{}) {
		env = rewritten{env, rw}
	}
	if m.Fault(FaultErrorStatus200) {
		env = errorStatus200{env}
	}
	if m.Fault(FaultMissingRequestID) {
		env = noRequestID{env}
	}
	if m.Fault(FaultErrorTypeReceiver) {
		env = errorTypeReceiver{env}
	}
	if m.Variant(VariantRewordedErrors) {
		env = rewordedErrors{env}
	}
	return env
}

// styled sets a Style on every writer (no-member-wrappers, shuffle-order, extra-elements).
type styled struct {
	wire.Envelope
	style   wire.Style
	shuffle bool
}

func (s styled) NewWriter() *wire.Writer {
	x := s.Envelope.NewWriter()
	x.Style = s.style
	if s.shuffle {
		rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
		x.Style.Order = rng.Perm
	}
	return x
}

// extraElements: an unknown element at the top of every Result.
type extraElements struct{ wire.Envelope }

func (e extraElements) Begin(x *wire.Writer, action, id string) {
	e.Envelope.Begin(x, action, id)
	x.Leaf("EmulatorExtraResultField", "ignore-me")
}

// responseRewrite changes headers of every answer as it is sent.
type responseRewrite struct {
	plain       bool // content-type-plain
	extraHeader bool // extra-elements
}

type rewritten struct {
	wire.Envelope
	rw responseRewrite
}

func (r rewritten) Finish(w http.ResponseWriter, x *wire.Writer, action, id string) {
	r.Envelope.Finish(&headerWriter{ResponseWriter: w, rw: r.rw}, x, action, id)
}

func (r rewritten) Error(w http.ResponseWriter, e *wire.Error, id string) {
	r.Envelope.Error(&headerWriter{ResponseWriter: w, rw: r.rw}, e, id)
}

type headerWriter struct {
	http.ResponseWriter
	rw        responseRewrite
	status200 bool
}

var contentTypePlain = []string{"text/plain"}

func (h *headerWriter) WriteHeader(status int) {
	hdr := h.Header()
	if h.rw.plain {
		hdr["Content-Type"] = contentTypePlain
	}
	if h.rw.extraHeader {
		hdr.Set("X-Emulator-Extra", "ignore-me")
	}
	if h.status200 {
		status = http.StatusOK
	}
	h.ResponseWriter.WriteHeader(status)
}

// errorStatus200: errors sent with HTTP status 200.
type errorStatus200 struct{ wire.Envelope }

func (e errorStatus200) Error(w http.ResponseWriter, err *wire.Error, id string) {
	e.Envelope.Error(&headerWriter{ResponseWriter: w, status200: true}, err, id)
}

// noRequestID: no request id in any answer (body or header).
type noRequestID struct{ wire.Envelope }

func (n noRequestID) Begin(x *wire.Writer, action, _ string) { n.Envelope.Begin(x, action, "") }
func (n noRequestID) Finish(w http.ResponseWriter, x *wire.Writer, action, _ string) {
	n.Envelope.Finish(w, x, action, "")
}
func (n noRequestID) Error(w http.ResponseWriter, e *wire.Error, _ string) {
	n.Envelope.Error(w, e, "")
}

// errorTypeReceiver: client errors sent with <Type>Receiver</Type>.
type errorTypeReceiver struct{ wire.Envelope }

func (r errorTypeReceiver) Error(w http.ResponseWriter, e *wire.Error, id string) {
	c := *e
	c.Type = "Receiver"
	r.Envelope.Error(w, &c, id)
}

// ec2ErrorEnvelope: ELB errors in EC2's <Response><Errors> document, sent as ELB answers are.
type ec2ErrorEnvelope struct{ wire.Envelope }

func (ec2ErrorEnvelope) Error(w http.ResponseWriter, e *wire.Error, id string) {
	x := wire.NewWriter("")
	defer x.Release()
	wire.WriteEC2Error(x, e, id)
	wire.SendQuery(w, e.Status, id, x)
}

// rewordedErrors: error messages worded differently, codes unchanged.
type rewordedErrors struct{ wire.Envelope }

func (r rewordedErrors) Error(w http.ResponseWriter, e *wire.Error, id string) {
	c := *e
	c.Message = "Request rejected (" + e.Code + "). Details: " + strings.ToLower(e.Message)
	r.Envelope.Error(w, &c, id)
}

// RequestIDs returns the request id generator: UUIDs, or req-00042 style ids under the
// request-id-format variant.
func (m Set) RequestIDs() func() string {
	if !m.Variant(VariantRequestIDFormat) {
		return wire.NewUUID
	}
	var seq atomic.Uint64
	return func() string { return fmt.Sprintf("req-%05d", seq.Add(1)) }
}

// WrapAPI wraps the handler of every decoded API request (latency variant: 50-150 ms before
// it is served, or until the client goes away).
func (m Set) WrapAPI(next wire.Handler) wire.Handler {
	if !m.Variant(VariantLatency) {
		return next
	}
	return func(w http.ResponseWriter, rc *wire.Request) {
		sleepJitter(rc.HTTP, 50*time.Millisecond, 150*time.Millisecond)
		next(w, rc)
	}
}

// sleepJitter waits a random time in [lo, hi) or until the client goes away.
func sleepJitter(r *http.Request, lo, hi time.Duration) {
	d := lo + rand.N(hi-lo)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

// WrapELBDispatch wraps the dispatch of a well-formed ELB request to its operation
// (throttle-first variant: the first attempt is answered 400 Throttling in env).
func (m Set) WrapELBDispatch(next wire.Handler, env wire.Envelope) wire.Handler {
	if !m.Variant(VariantThrottleFirst) {
		return next
	}
	t := &throttler{seen: map[[32]byte]time.Time{}}
	return func(w http.ResponseWriter, rc *wire.Request) {
		if t.firstAttempt(rc) {
			env.Error(w, wire.NewError(http.StatusBadRequest, "Throttling", "Rate exceeded"), rc.ID)
			return
		}
		next(w, rc)
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

func (t *throttler) firstAttempt(rc *wire.Request) bool {
	if hdr := rc.HTTP.Header.Get("amz-sdk-request"); hdr != "" {
		for _, part := range strings.Split(hdr, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok && k == "attempt" {
				return v == "1"
			}
		}
	}
	key := sha256.Sum256([]byte(rc.HTTP.URL.RawQuery + "\x00" + rc.Body))
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, at := range t.seen { // bounded by the request rate over throttleWindow
		if rc.Now.Sub(at) > throttleWindow {
			delete(t.seen, k)
		}
	}
	if at, ok := t.seen[key]; ok && rc.Now.Sub(at) <= throttleWindow {
		delete(t.seen, key)
		return false
	}
	t.seen[key] = rc.Now
	return true
}
