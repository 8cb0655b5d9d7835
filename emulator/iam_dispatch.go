package emulator

import (
	"net/http"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// The slice of IAM (2010-05-08, awsQuery) that HTTPS and SSL listeners need: server
// certificates. It shares the endpoint with ELB and EC2 (handler.go tells them apart by
// Version, then by the SigV4 credential scope's service, "iam"). IAM is global: the SDK
// signs it for us-east-1 whatever the client's region, so the emulator does not refuse an
// IAM request signed for another region than the one it serves (docs/sources.md 21).
const (
	iamVersion   = "2010-05-08"
	iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
)

// iamOps are the IAM operations the emulator implements, the index of that code as elbOps
// is ELB's: each in the file named after it, its tests beside it (state: iam_state.go).
var iamOps = map[string]opFunc{
	"UploadServerCertificate": (*handler).uploadServerCertificate, // iam_upload_server_certificate.go
	"GetServerCertificate":    (*handler).getServerCertificate,    // iam_get_server_certificate.go
	"ListServerCertificates":  (*handler).listServerCertificates,  // iam_list_server_certificates.go
	"DeleteServerCertificate": (*handler).deleteServerCertificate, // iam_delete_server_certificate.go
}

// serveIAM answers an IAM request: the awsQuery front end's checks, then dispatch.
func (h *handler) serveIAM(w http.ResponseWriter, rc *wire.Request) {
	env := h.iamEnv
	switch {
	case rc.ParseErr != nil:
		env.Error(w, wire.ErrMalformedQuery(rc.ParseErr), rc.ID)
		return
	case rc.Action == "":
		env.Error(w, wire.ErrMissingAction(), rc.ID)
		return
	case rc.Params["Version"] != iamVersion:
		v := rc.Params["Version"]
		if v == "" {
			v = "NO_VERSION_SPECIFIED"
		}
		env.Error(w, wire.NewError(http.StatusBadRequest, "InvalidAction",
			"Could not find operation %s for version %s", wire.Truncate(rc.Action, 64), wire.Truncate(v, 32)), rc.ID)
		return
	}
	op, ok := iamOps[rc.Action]
	if !ok {
		env.Error(w, wire.NewError(http.StatusBadRequest, "InvalidAction",
			"The action %s is not implemented by the elbconform emulator's IAM, which serves server certificates only.",
			wire.Truncate(rc.Action, 64)), rc.ID)
		return
	}
	x := env.NewWriter()
	defer x.Release()
	env.Begin(x, rc.Action, rc.ID)
	if err := op(h, rc, x); err != nil {
		env.Error(w, err, rc.ID)
		return
	}
	env.Finish(w, x, rc.Action, rc.ID)
}

// --- IAM errors (wire codes and statuses from the IAM service model) ---

// errIAMValidation is the answer to a missing or malformed parameter: ValidationError, 400
// (the query front end's, as ELB's: docs/sources.md 2a).
func errIAMValidation(format string, args ...any) *wire.Error {
	return wire.NewError(http.StatusBadRequest, "ValidationError", format, args...)
}

func errIAMMissing(name string) *wire.Error {
	return errIAMValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(name))
}

// errNoSuchCertificate: NoSuchEntity, 404 (model), with IAM's wording.
func errNoSuchCertificate(name string) *wire.Error {
	return wire.NewError(http.StatusNotFound, "NoSuchEntity", "The Server Certificate with name %s cannot be found.", wire.Truncate(name, 128))
}

// errMalformedCertificate: MalformedCertificate, 400 (model: "the certificate was malformed
// or expired"), with the message AWS answers for a body that is not PEM (docs/sources.md 21b).
func errMalformedCertificate(format string, args ...any) *wire.Error {
	return wire.NewError(http.StatusBadRequest, "MalformedCertificate", format, args...)
}
