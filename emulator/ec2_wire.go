package emulator

import "net/http"

// ec2Namespace is the XML namespace of EC2 answers for API version 2016-11-15.
const ec2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"

// The ec2Query envelope. EC2 is fixture plumbing for the suite, not the system under test, so
// the ELB fault modes and list variants deliberately do not apply here.

func newEC2Writer() *xmlWriter { return &xmlWriter{memberTag: "item"} }

// beginEC2Result opens <OpResponse xmlns> and writes <requestId> first, as EC2 does.
func beginEC2Result(x *xmlWriter, rc *request) {
	x.openNS(rc.action+"Response", ec2Namespace)
	x.leaf("requestId", rc.id)
}

func finishEC2Result(w http.ResponseWriter, rc *request, x *xmlWriter) {
	x.close(rc.action + "Response")
	sendEC2(w, rc, http.StatusOK, x)
}

// writeEC2Error answers e as <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>.
func writeEC2Error(w http.ResponseWriter, rc *request, e *apiError) {
	x := newEC2Writer()
	x.open("Response")
	x.open("Errors")
	x.open("Error")
	x.leaf("Code", e.Code)
	x.leaf("Message", e.Message)
	x.close("Error")
	x.close("Errors")
	x.leaf("RequestID", rc.id)
	x.close("Response")
	sendEC2(w, rc, e.Status, x)
}

func sendEC2(w http.ResponseWriter, rc *request, status int, x *xmlWriter) {
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.Header().Set("x-amzn-RequestId", rc.id)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n"))
	_, _ = w.Write(x.Bytes())
}
