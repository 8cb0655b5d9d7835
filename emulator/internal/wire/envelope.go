package wire

import (
	"net/http"
	"strconv"
)

// Envelope is one protocol's way of wrapping answers: the document around an operation's
// result, the error document, and the headers. An operation writes only its result's body
// into the Writer it is given.
type Envelope interface {
	// NewWriter returns the writer for one answer.
	NewWriter() *Writer
	// Begin opens the answer to action.
	Begin(x *Writer, action, requestID string)
	// Finish closes it and sends it with status 200.
	Finish(w http.ResponseWriter, x *Writer, action, requestID string)
	// Error sends e as the protocol's error answer.
	Error(w http.ResponseWriter, e *Error, requestID string)
}

var (
	contentTypeXML    = []string{"text/xml"}
	contentTypeEC2XML = []string{"text/xml;charset=UTF-8"}
)

// AWSQuery is the awsQuery protocol (ELB Classic, IAM, ...):
//
//	<ActionResponse xmlns><ActionResult>...</ActionResult>
//	  <ResponseMetadata><RequestId/></ResponseMetadata></ActionResponse>
//	<ErrorResponse xmlns><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
//
// answered as text/xml with x-amzn-RequestId. An empty request id is left out everywhere.
type AWSQuery struct {
	Namespace string
}

// NewWriter returns a pooled writer with <member> list wrappers.
func (q AWSQuery) NewWriter() *Writer { return NewWriter("member") }

// Begin opens <ActionResponse xmlns><ActionResult>.
func (q AWSQuery) Begin(x *Writer, action, _ string) {
	x.OpenNS2(action, "Response", q.Namespace)
	x.Open2(action, "Result")
}

// Finish closes the result, adds ResponseMetadata and sends the answer.
func (q AWSQuery) Finish(w http.ResponseWriter, x *Writer, action, requestID string) {
	x.Close2(action, "Result")
	x.Open("ResponseMetadata")
	if requestID != "" {
		x.Leaf("RequestId", requestID)
	}
	x.Close("ResponseMetadata")
	x.Close2(action, "Response")
	SendQuery(w, http.StatusOK, requestID, x)
}

// Error sends e in the awsQuery error envelope.
func (q AWSQuery) Error(w http.ResponseWriter, e *Error, requestID string) {
	x := NewWriter("")
	defer x.Release()
	x.OpenNS("ErrorResponse", q.Namespace)
	x.Open("Error")
	x.Leaf("Type", e.FaultType())
	x.Leaf("Code", e.Code)
	x.Leaf("Message", e.Message)
	x.Close("Error")
	if requestID != "" {
		x.Leaf("RequestId", requestID)
	}
	x.Close("ErrorResponse")
	SendQuery(w, e.Status, requestID, x)
}

// SendQuery writes an awsQuery answer's headers and body: text/xml, x-amzn-RequestId (unless
// requestID is empty) and an explicit length.
func SendQuery(w http.ResponseWriter, status int, requestID string, x *Writer) {
	hdr := w.Header()
	// Direct map writes of shared, never-modified value slices: Header.Set would
	// canonicalise the key and allocate a slice per header per answer.
	hdr["Content-Type"] = contentTypeXML
	if requestID != "" {
		hdr["X-Amzn-Requestid"] = []string{requestID}
	}
	// An explicit length: answers over net/http's 2 KB buffer are otherwise sent chunked.
	hdr["Content-Length"] = []string{strconv.Itoa(x.Len())}
	w.WriteHeader(status)
	_, _ = w.Write(x.Bytes())
}

// EC2Query is the ec2Query protocol:
//
//	<ActionResponse xmlns><requestId/>...</ActionResponse>
//	<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
//
// answered as text/xml;charset=UTF-8 after an XML declaration, with x-amzn-RequestId.
type EC2Query struct {
	Namespace string
}

// NewWriter returns a writer with <item> list wrappers.
func (q EC2Query) NewWriter() *Writer { return NewUnpooledWriter("item") }

// Begin opens <ActionResponse xmlns> and writes <requestId> first, as EC2 does.
func (q EC2Query) Begin(x *Writer, action, requestID string) {
	x.OpenNS(action+"Response", q.Namespace)
	x.Leaf("requestId", requestID)
}

// Finish closes the answer and sends it.
func (q EC2Query) Finish(w http.ResponseWriter, x *Writer, action, requestID string) {
	x.Close(action + "Response")
	sendEC2(w, http.StatusOK, requestID, x)
}

// Error sends e in the ec2Query error envelope.
func (q EC2Query) Error(w http.ResponseWriter, e *Error, requestID string) {
	x := NewUnpooledWriter("item")
	WriteEC2Error(x, e, requestID)
	sendEC2(w, e.Status, requestID, x)
}

// WriteEC2Error writes the ec2Query error document
// <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
// (without RequestID when requestID is empty).
func WriteEC2Error(x *Writer, e *Error, requestID string) {
	x.Open("Response")
	x.Open("Errors")
	x.Open("Error")
	x.Leaf("Code", e.Code)
	x.Leaf("Message", e.Message)
	x.Close("Error")
	x.Close("Errors")
	if requestID != "" {
		x.Leaf("RequestID", requestID)
	}
	x.Close("Response")
}

func sendEC2(w http.ResponseWriter, status int, requestID string, x *Writer) {
	w.Header()["Content-Type"] = contentTypeEC2XML
	w.Header().Set("x-amzn-RequestId", requestID)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n"))
	_, _ = w.Write(x.Bytes())
}

// WriteGenericError answers a request whose service is unknown (or a panic) in the plain
// AWS query error envelope, without a service namespace.
func WriteGenericError(w http.ResponseWriter, requestID string, e *Error) {
	x := NewUnpooledWriter("")
	x.Open("ErrorResponse")
	x.Open("Error")
	x.Leaf("Type", e.FaultType())
	x.Leaf("Code", e.Code)
	x.Leaf("Message", e.Message)
	x.Close("Error")
	x.Leaf("RequestId", requestID)
	x.Close("ErrorResponse")
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", requestID)
	w.WriteHeader(e.Status)
	_, _ = w.Write(x.Bytes())
}
