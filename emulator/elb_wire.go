package emulator

import (
	"math/rand/v2"
	"net/http"
	"strconv"
)

var (
	contentTypeXML   = []string{"text/xml"}
	contentTypePlain = []string{"text/plain"}
)

// elbNamespace is the XML namespace of every ELB Classic answer.
const elbNamespace = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"

// wrongELBNamespace is what the wrong-namespace fault answers with (an older API version).
const wrongELBNamespace = "http://elasticloadbalancing.amazonaws.com/doc/2011-11-15/"

// This file is the only place that knows the awsQuery envelope; the wire-level fault modes
// (namespace, RequestId, content type, error envelope/type/status) act here and nowhere else.

// newELBWriter returns a writer for an ELB answer with list-level faults and variants applied.
func (h *handler) newELBWriter() *xmlWriter {
	x := newXMLWriter("member")
	x.noWrappers = h.modes.fault(faultNoMemberWrappers)
	x.extra = h.modes.variant(variantExtraElements)
	if h.modes.variant(variantShuffleOrder) {
		x.shuffle = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return x
}

func (h *handler) elbNamespace() string {
	if h.modes.fault(faultWrongNamespace) {
		return wrongELBNamespace
	}
	return elbNamespace
}

// beginELBResult opens <OpResponse xmlns><OpResult>; the operation then writes the result body.
func (h *handler) beginELBResult(x *xmlWriter, action string) {
	x.openNS2(action, "Response", h.elbNamespace())
	x.open2(action, "Result")
	if h.modes.variant(variantExtraElements) {
		x.leaf("EmulatorExtraResultField", "ignore-me")
	}
}

// finishELBResult closes the result, adds ResponseMetadata and sends the answer.
func (h *handler) finishELBResult(w http.ResponseWriter, rc *request, x *xmlWriter) {
	x.close2(rc.action, "Result")
	x.open("ResponseMetadata")
	if !h.modes.fault(faultMissingRequestID) {
		x.leaf("RequestId", rc.id)
	}
	x.close("ResponseMetadata")
	x.close2(rc.action, "Response")
	h.sendELB(w, rc, http.StatusOK, x)
}

// writeELBError answers e in the awsQuery error envelope:
// <ErrorResponse xmlns><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>.
func (h *handler) writeELBError(w http.ResponseWriter, rc *request, e *apiError) {
	e = h.rewordError(e)
	status := e.Status
	if h.modes.fault(faultErrorStatus200) {
		status = http.StatusOK
	}
	x := newXMLWriter("")
	defer x.release()
	if h.modes.fault(faultErrorEC2Envelope) {
		x.open("Response")
		x.open("Errors")
		x.open("Error")
		x.leaf("Code", e.Code)
		x.leaf("Message", e.Message)
		x.close("Error")
		x.close("Errors")
		if !h.modes.fault(faultMissingRequestID) {
			x.leaf("RequestID", rc.id)
		}
		x.close("Response")
		h.sendELB(w, rc, status, x)
		return
	}
	typ := e.faultType()
	if h.modes.fault(faultErrorTypeReceiver) {
		typ = "Receiver"
	}
	x.openNS("ErrorResponse", h.elbNamespace())
	x.open("Error")
	x.leaf("Type", typ)
	x.leaf("Code", e.Code)
	x.leaf("Message", e.Message)
	x.close("Error")
	if !h.modes.fault(faultMissingRequestID) {
		x.leaf("RequestId", rc.id)
	}
	x.close("ErrorResponse")
	h.sendELB(w, rc, status, x)
}

// sendELB writes headers and body. AWS sends ELB answers as text/xml with x-amzn-RequestId.
func (h *handler) sendELB(w http.ResponseWriter, rc *request, status int, x *xmlWriter) {
	hdr := w.Header()
	// Direct map writes of shared, never-modified value slices: Header.Set would
	// canonicalise the key and allocate a slice per header per answer.
	if h.modes.fault(faultContentTypePlain) {
		hdr["Content-Type"] = contentTypePlain
	} else {
		hdr["Content-Type"] = contentTypeXML
	}
	if !h.modes.fault(faultMissingRequestID) {
		hdr["X-Amzn-Requestid"] = []string{rc.id}
	}
	// An explicit length: answers over net/http's 2 KB buffer are otherwise sent chunked.
	hdr["Content-Length"] = []string{strconv.Itoa(x.buf.Len())}
	if h.modes.variant(variantExtraElements) {
		hdr.Set("X-Emulator-Extra", "ignore-me")
	}
	w.WriteHeader(status)
	_, _ = w.Write(x.Bytes())
}
