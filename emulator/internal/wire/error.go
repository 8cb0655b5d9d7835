package wire

import (
	"fmt"
	"net/http"
)

// Error is an error answered to the client: the wire code, its message and the HTTP status
// the service model gives the code. Sender faults are the client's (4xx); Receiver faults
// are the service's (5xx).
type Error struct {
	Status  int
	Code    string
	Message string
	// Type overrides the <Type> of the awsQuery envelope; "" derives it from Status.
	Type string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// FaultType is the <Type> of the awsQuery error envelope.
func (e *Error) FaultType() string {
	switch {
	case e.Type != "":
		return e.Type
	case e.Status >= 500:
		return "Receiver"
	}
	return "Sender"
}

// NewError builds an Error with a formatted message.
func NewError(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// --- errors shared by every AWS query service (AWS common errors) ---

// ErrMissingAction: AWS common errors list MissingAction (400) for a request without Action.
func ErrMissingAction() *Error {
	return NewError(http.StatusBadRequest, "MissingAction", "The request must contain the parameter Action.")
}

// ErrMalformedQuery: a body that is not valid form encoding. The AWS common-errors page gives
// MalformedQueryString status 404; the emulator answers 400 because every other malformed
// input is a 400 and clients treat both as non-retryable sender errors.
func ErrMalformedQuery(err error) *Error {
	return NewError(http.StatusBadRequest, "MalformedQueryString", "The query string contains a syntax error: %v", err)
}

// ErrInternal is 500 InternalFailure.
func ErrInternal() *Error {
	return NewError(http.StatusInternalServerError, "InternalFailure",
		"The request processing has failed because of an unknown error, exception or failure.")
}
