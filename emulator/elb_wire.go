package emulator

import (
	"math/rand/v2"
	"net/http"
)

// elbNamespace is the XML namespace of every ELB Classic answer.
const elbNamespace = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"

// wrongELBNamespace is what the wrong-namespace fault answers with (an older API version).
const wrongELBNamespace = "http://elasticloadbalancing.amazonaws.com/doc/2011-11-15/"

// This file is the only place that knows the awsQuery envelope; the wire-level fault modes
// (namespace, RequestId, content type, error envelope/type/status) act here and nowhere else.

// newELBWriter returns a writer for an ELB answer with list-level faults and variants applied.
func (h *handler) newELBWriter() *xmlWriter {
	x := &xmlWriter{memberTag: "member"}
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
	x.openNS(action+"Response", h.elbNamespace())
	x.open(action + "Result")
	if h.modes.variant(variantExtraElements) {
		x.leaf("EmulatorExtraResultField", "ignore-me")
	}
}

// finishELBResult closes the result, adds ResponseMetadata and sends the answer.
func (h *handler) finishELBResult(w http.ResponseWriter, rc *request, x *xmlWriter) {
	x.close(rc.action + "Result")
	x.open("ResponseMetadata")
	if !h.modes.fault(faultMissingRequestID) {
		x.leaf("RequestId", rc.id)
	}
	x.close("ResponseMetadata")
	x.close(rc.action + "Response")
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
	x := &xmlWriter{}
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
	if h.modes.fault(faultContentTypePlain) {
		hdr.Set("Content-Type", "text/plain")
	} else {
		hdr.Set("Content-Type", "text/xml")
	}
	if !h.modes.fault(faultMissingRequestID) {
		hdr.Set("x-amzn-RequestId", rc.id)
	}
	if h.modes.variant(variantExtraElements) {
		hdr.Set("X-Emulator-Extra", "ignore-me")
	}
	w.WriteHeader(status)
	_, _ = w.Write(x.Bytes())
}
