package emulator

import (
	"fmt"
	"net/http"
	"strings"
)

// apiError is an error answered to the client: the wire code, its message and the HTTP
// status the service model gives the code. Sender faults are the client's (4xx); Receiver
// faults are the service's (5xx, only InternalFailure here).
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// faultType is the <Type> of the awsQuery error envelope.
func (e *apiError) faultType() string {
	if e.Status >= 500 {
		return "Receiver"
	}
	return "Sender"
}

func newError(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// --- errors shared by both services (AWS common errors) ---

// errMissingAction: AWS common errors list MissingAction (400) for a request without Action.
func errMissingAction() *apiError {
	return newError(http.StatusBadRequest, "MissingAction", "The request must contain the parameter Action.")
}

// errMalformedQuery: a body that is not valid form encoding. The AWS common-errors page gives
// MalformedQueryString status 404; the emulator answers 400 because every other malformed
// input is a 400 and clients treat both as non-retryable sender errors.
func errMalformedQuery(err error) *apiError {
	return newError(http.StatusBadRequest, "MalformedQueryString", "The query string contains a syntax error: %v", err)
}

func errInternal() *apiError {
	return newError(http.StatusInternalServerError, "InternalFailure",
		"The request processing has failed because of an unknown error, exception or failure.")
}

// --- ELB Classic errors (wire codes and statuses from the service model) ---

// errValidation is ELB's answer to missing or malformed parameters: ValidationError, 400,
// Sender (docs/sources.md 2a: seen for bad names; believed for missing members).
func errValidation(format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, "ValidationError", format, args...)
}

func errMissingParam(name string) *apiError {
	return errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null",
		lowerFirst(name))
}

func errLBNotFound(name string) *apiError {
	// The wording AWS uses ("There is no ACTIVE Load Balancer named '...'") is informative only.
	return newError(http.StatusBadRequest, "LoadBalancerNotFound", "There is no ACTIVE Load Balancer named '%s'", truncate(name, 64))
}

func errInvalidInstance(format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, "InvalidInstance", format, args...)
}

func errInvalidConfiguration(format string, args ...any) *apiError {
	return newError(http.StatusConflict, "InvalidConfigurationRequest", format, args...)
}

// --- EC2 errors ---

func errEC2Missing(name string) *apiError {
	return newError(http.StatusBadRequest, "MissingParameter", "The request must contain the parameter %s", name)
}

func errEC2InvalidParam(format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, "InvalidParameterValue", format, args...)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
