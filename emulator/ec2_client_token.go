package emulator

import (
	"crypto/sha256"
	"net/http"
	"slices"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// RunInstances idempotency (docs/sources.md 15a). A client token makes RunInstances
// idempotent: "If you repeat the request with the same client token, the same response is
// returned for each repeated request. The only information that might vary in the response
// is the state of the instance", and "If you repeat the request with the same client token,
// but change another request parameter, Amazon EC2 returns an IdempotentParameterMismatch
// error" (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html, and its
// older form https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Run_Instance_Idempotency.html).
// It matters to every SDK client: aws-sdk-go-v2 fills RunInstancesInput.ClientToken itself
// and sends the same token on each retry, so a retry of a launch whose answer was lost must
// answer the instances already launched, not launch them again (or hit the instance limit).

// maxClientTokenLen is the documented bound: "a unique, case-sensitive string of up to 64
// ASCII characters".
const maxClientTokenLen = 64

// tokenRun is what one successful RunInstances call with a client token launched.
type tokenRun struct {
	params      [sha256.Size]byte // requestFingerprint of the call
	reservation string
	vpc         *vpc // of the subnet launched into, for the groupSet
	instances   []*instance
}

// checkClientToken refuses a token longer than 64 characters or not ASCII. The docs state
// the bound but not AWS's answer to a token past it; InvalidParameterValue, EC2's code for
// a malformed parameter value, and the message are the emulator's (not observed on AWS).
func checkClientToken(token string) *wire.Error {
	ascii := !strings.ContainsFunc(token, func(r rune) bool { return r > 0x7f })
	if len(token) <= maxClientTokenLen && ascii {
		return nil
	}
	return errEC2InvalidParam("Invalid value '%s' for clientToken: a client token is a string of up to %d ASCII characters.",
		wire.Truncate(token, maxClientTokenLen+8), maxClientTokenLen)
}

// requestFingerprint identifies a request's parameters apart from its client token: what
// "the same parameters" compares. Presigned-URL signature parameters (X-Amz-*) are not
// request parameters and change with every signing. The docs except "the Region or
// Availability Zone" from the comparison without saying what a repeat in another zone
// answers; the emulator serves one region and compares Placement.AvailabilityZone like any
// other parameter (a changed zone is IdempotentParameterMismatch; not observed on AWS).
func requestFingerprint(p wire.Params) [sha256.Size]byte {
	keys := make([]string, 0, len(p))
	for k := range p {
		if k != "ClientToken" && !strings.HasPrefix(k, "X-Amz-") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	h := sha256.New()
	for _, k := range keys {
		// A length-prefixed encoding, so that no two parameter sets hash the same input.
		for _, s := range [2]string{k, p[k]} {
			h.Write([]byte{byte(len(s) >> 24), byte(len(s) >> 16), byte(len(s) >> 8), byte(len(s))})
			h.Write([]byte(s))
		}
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// repeatedRun answers a RunInstances call whose client token an earlier successful call used
// (the store lock is held): the original reservation with the instances' states as they are
// now, or IdempotentParameterMismatch when the parameters differ. ok is false for a token not
// seen before (or none), which launches as usual.
func (h *handler) repeatedRun(rc *wire.Request, x *wire.Writer, token string) (ok bool, e *wire.Error) {
	if token == "" {
		return false, nil
	}
	run := h.st.ec2.tokenRuns[token]
	if run == nil {
		return false, nil
	}
	if run.params != requestFingerprint(rc.Params) {
		// The message is AWS's, as the AWS CLI prints it ("An error occurred
		// (IdempotentParameterMismatch) when calling the RunInstances operation: ...",
		// https://serverfault.com/questions/818956).
		return true, wire.NewError(http.StatusBadRequest, "IdempotentParameterMismatch",
			"Arguments on this idempotent request are inconsistent with arguments used in previous request(s).")
	}
	h.writeReservation(x, run.reservation, run.vpc, run.instances, rc)
	return true, nil
}

// rememberRun records a successful launch under its client token (the store lock is held).
func (s *ec2State) rememberRun(token string, p wire.Params, reservation string, v *vpc, launched []*instance) {
	if token == "" {
		return
	}
	s.tokenRuns[token] = &tokenRun{params: requestFingerprint(p), reservation: reservation, vpc: v, instances: launched}
}
