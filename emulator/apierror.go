package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"net/http"
	"strings"
)

// Errors shared by both services (MissingAction, MalformedQueryString, InternalFailure)
// are the protocol's: internal/wire.

// --- ELB Classic errors (wire codes and statuses from the service model) ---

// errValidation is ELB's answer to missing or malformed parameters: ValidationError, 400,
// Sender (docs/sources.md 2a: seen for bad names; believed for missing members).
func errValidation(format string, args ...any) *wire.Error {
	return wire.NewError(http.StatusBadRequest, "ValidationError", format, args...)
}

func errMissingParam(name string) *wire.Error {
	return errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null",
		lowerFirst(name))
}

func errLBNotFound(name string) *wire.Error {
	// The wording AWS uses ("There is no ACTIVE Load Balancer named '...'") is informative only.
	return wire.NewError(http.StatusBadRequest, "LoadBalancerNotFound", "There is no ACTIVE Load Balancer named '%s'", wire.Truncate(name, 64))
}

func errInvalidInstance(format string, args ...any) *wire.Error {
	return wire.NewError(http.StatusBadRequest, "InvalidInstance", format, args...)
}

func errInvalidConfiguration(format string, args ...any) *wire.Error {
	return wire.NewError(http.StatusConflict, "InvalidConfigurationRequest", format, args...)
}

// --- EC2 errors ---

func errEC2Missing(name string) *wire.Error {
	return wire.NewError(http.StatusBadRequest, "MissingParameter", "The request must contain the parameter %s", name)
}

func errEC2InvalidParam(format string, args ...any) *wire.Error {
	return wire.NewError(http.StatusBadRequest, "InvalidParameterValue", format, args...)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
