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

	"github.com/elbconform/elbconform/emulator/internal/dataplane"
	"github.com/elbconform/elbconform/emulator/internal/modes"
	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// API versions told apart on the shared endpoint.
const (
	elbVersion = "2012-06-01"
	ec2Version = "2016-11-15"
)

// elbNamespace and ec2Namespace are the XML namespaces of the two services' answers.
const (
	elbNamespace = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"
	ec2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"
)

// handler is the emulator's http.Handler.
type handler struct {
	opts  Options
	log   *slog.Logger
	modes modes.Set
	dev   deviations // what the self-test modes change in the reference logic (deviations.go)
	st    *store

	panics atomic.Int64     // recovered panics; tests assert it stays zero
	dp     *dataplane.Plane // listeners and health checks of backed instances (dataplane.go)

	usageLog *usageLog // instances, load balancers and API calls, as AWS bills them (usage.go)

	// The wire: request ids, the envelopes of both services' answers, and the handler of
	// decoded requests, each with the wire-level self-test modes applied (internal/modes).
	newRequestID func() string
	elbEnv       wire.Envelope
	ec2Env       wire.Envelope
	iamEnv       wire.Envelope
	route        wire.Handler // routeAPI, behind the latency variant
	elbDispatch  wire.Handler // dispatchELB, behind the throttle-first variant
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
	m, err := modes.Parse(o.Faults, o.Variants)
	if err != nil {
		return nil, err
	}
	h := &handler{
		opts:         o,
		log:          o.Logger,
		modes:        m,
		st:           newStore(o),
		usageLog:     newUsageLog(),
		newRequestID: m.RequestIDs(),
		elbEnv:       m.ELBEnvelope(wire.AWSQuery{Namespace: elbNamespace}),
		ec2Env:       wire.EC2Query{Namespace: ec2Namespace},
		iamEnv:       wire.AWSQuery{Namespace: iamNamespace},
	}
	h.st.ec2.elb = elbSide{h} // what EC2 tells ELB (services.go)
	h.st.iam.elb = elbSide{h} // what IAM asks ELB (iam_state.go)
	h.dev = newDeviations(m, h)
	h.route = m.WrapAPI(h.routeAPI)
	h.elbDispatch = m.WrapELBDispatch(h.dispatchELB, h.elbEnv)
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
	wire.WriteGenericError(w, wire.NewUUID(), wire.ErrInternal())
}

type service int

const (
	svcUnknown service = iota
	svcELB
	svcEC2
	svcIAM
)

// serveAPI reads and decodes one AWS request and hands it to route.
func (h *handler) serveAPI(w http.ResponseWriter, r *http.Request) {
	rc := &wire.Request{HTTP: r, ID: h.newRequestID(), Now: time.Now(), Params: wire.Params{}}
	if r.Body != nil {
		body, err := wire.ReadBody(w, r)
		if err != nil {
			writeBodyError(w, rc.ID, err)
			return
		}
		rc.Body = body
	}
	// Body first: the first occurrence of a key wins, so form fields override the query string.
	rc.ParseErr = wire.DecodeForm(rc.Params, rc.Body)
	if rc.ParseErr == nil {
		rc.ParseErr = wire.DecodeForm(rc.Params, r.URL.RawQuery)
	}
	rc.Action = rc.Params["Action"]
	h.usageLog.countCall(rc.Action)
	h.route(w, rc)
}

// routeAPI sends a decoded request to its service.
func (h *handler) routeAPI(w http.ResponseWriter, rc *wire.Request) {
	r := rc.HTTP
	svc := detectService(rc.Params, r)
	if h.log.Enabled(r.Context(), slog.LevelDebug) { // the arguments alone cost allocations
		h.log.Debug("request", "service", svc, "action", wire.Truncate(rc.Action, 64), "requestId", rc.ID)
	}
	// AWS checks the signature before anything else: a request signed for another region is
	// refused whatever it asks for, in the service's error envelope.
	wrongRegion := h.wrongRegion(r)
	switch svc {
	case svcELB:
		if wrongRegion != nil {
			h.elbEnv.Error(w, wrongRegion, rc.ID)
			return
		}
		h.serveELB(w, rc)
	case svcEC2:
		if wrongRegion != nil {
			h.ec2Env.Error(w, wrongRegion, rc.ID)
			return
		}
		h.serveEC2(w, rc)
	case svcIAM:
		// IAM is global: the SDK signs it for us-east-1 whatever the region (iam_dispatch.go).
		h.serveIAM(w, rc)
	default:
		msg := "Cannot tell which service this request is for: Version %q is neither %s (ELB Classic) nor %s (EC2), " +
			"and the Authorization credential scope names neither elasticloadbalancing nor ec2."
		wire.WriteGenericError(w, rc.ID, wire.NewError(http.StatusBadRequest, "InvalidAction", msg,
			wire.Truncate(rc.Params["Version"], 32), elbVersion, ec2Version))
	}
}

// detectService tells ELB Classic and EC2 apart by Version, falling back to the SigV4
// credential scope (Authorization header, or X-Amz-Credential of a presigned URL), since
// clients always sign with the service's signing name.
func detectService(p wire.Params, r *http.Request) service {
	switch p["Version"] {
	case elbVersion:
		return svcELB
	case ec2Version:
		return svcEC2
	case iamVersion:
		return svcIAM
	}
	_, svc, _ := wire.CredentialScope(r)
	switch svc {
	case "elasticloadbalancing":
		return svcELB
	case "ec2":
		return svcEC2
	case "iam":
		return svcIAM
	}
	return svcUnknown
}

// errWrongRegion is AWS's answer to a request signed for another region than the
// endpoint's: HTTP 403 SignatureDoesNotMatch, Sender, "Credential should be scoped to a
// valid region, not '<signed region>'. " (AWS IAM user guide, "Troubleshoot signed requests
// for AWS APIs": https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html;
// seen from query services, e.g. SES "Status Code: 403; Error Code: SignatureDoesNotMatch",
// https://github.com/aws/aws-sdk-java/issues/1097). The emulator adds the region it serves,
// which AWS does not, so a client can name the fix.
func errWrongRegion(signed, served string) *wire.Error {
	return wire.NewError(http.StatusForbidden, "SignatureDoesNotMatch",
		"Credential should be scoped to a valid region, not '%s'. The elbconform emulator serves region '%s'.",
		wire.Truncate(signed, 64), served)
}

// wrongRegion returns errWrongRegion when r is signed for another region than the
// emulator's, and nil for a request signed for its region or not signed at all.
func (h *handler) wrongRegion(r *http.Request) *wire.Error {
	region, _, ok := wire.CredentialScope(r)
	if !ok || region == h.opts.Region {
		return nil
	}
	return errWrongRegion(region, h.opts.Region)
}

// writeBodyError answers a request whose body could not be read: too large, stalled past
// RequestReadTimeout, or cut short. Nothing of it is acted on. (Apart from serveAPI so that
// the error target of errors.As does not escape on every request.)
func writeBodyError(w http.ResponseWriter, id string, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		wire.WriteGenericError(w, id, wire.NewError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			"Request body larger than %d bytes.", wire.MaxBodyBytes))
		return
	}
	wire.WriteGenericError(w, id, errBodyRead(err))
}
