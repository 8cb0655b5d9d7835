// Package match holds the Gomega matchers the specs share, so that a spec
// states the documented outcome ("refused with InvalidInstance, HTTP 400")
// and the matcher owns how the SDK exposes it.
package match

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/onsi/gomega"
	"github.com/onsi/gomega/types"
)

// APIError matches an SDK error whose wire code is one of codes and, when
// status is not 0, whose HTTP status is status. The message is never checked:
// its wording is not part of the contract.
func APIError(status int, codes ...string) types.GomegaMatcher {
	return &apiErrorMatcher{status: status, codes: codes}
}

type apiErrorMatcher struct {
	status int
	codes  []string
}

func (m *apiErrorMatcher) Match(actual any) (bool, error) {
	err, ok := actual.(error)
	if actual != nil && !ok {
		return false, fmt.Errorf("APIError expects an error, got %T", actual)
	}
	if err == nil || !slices.Contains(m.codes, Code(err)) {
		return false, nil
	}
	return m.status == 0 || Status(err) == m.status, nil
}

func (m *apiErrorMatcher) want() string {
	w := strings.Join(m.codes, " or ")
	if m.status != 0 {
		w += fmt.Sprintf(" (HTTP %d)", m.status)
	}
	return w
}

func (m *apiErrorMatcher) FailureMessage(actual any) string {
	err, _ := actual.(error)
	if err == nil {
		return "Expected the call to be refused with " + m.want() + ", but it succeeded"
	}
	return fmt.Sprintf("Expected the call to be refused with %s, but it answered code %q, HTTP %d:\n%v", m.want(), Code(err), Status(err), err)
}

func (m *apiErrorMatcher) NegatedFailureMessage(actual any) string {
	return fmt.Sprintf("Expected the call not to be refused with %s, but it was: %v", m.want(), actual)
}

// Status is the HTTP status of an SDK error's response, or 0.
func Status(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// Code is the wire code of an SDK error, or "".
func Code(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// RefusedBySDK matches the error the SDK returns when it refuses to send a
// request that lacks a member the service model marks required.
func RefusedBySDK() types.GomegaMatcher {
	return gomega.WithTransform(func(err error) bool {
		var invalid smithy.InvalidParamsError
		return errors.As(err, &invalid)
	}, gomega.BeTrue())
}

// ClientError matches an SDK error answered with HTTP status (400, 409, …),
// whatever its code: for requests the documentation says are refused without
// saying with which code.
func ClientError(status int) types.GomegaMatcher {
	return gomega.WithTransform(func(err error) string {
		if err == nil {
			return "the call succeeded"
		}
		return fmt.Sprintf("HTTP %d", Status(err))
	}, gomega.Equal(fmt.Sprintf("HTTP %d", status)))
}

// HaveNoDuplicates matches a list of instance IDs (or any strings) in which
// no value appears twice: membership is a set.
func HaveNoDuplicates() types.GomegaMatcher {
	return gomega.WithTransform(func(ids []string) []string {
		seen := map[string]bool{}
		var twice []string
		for _, id := range ids {
			if seen[id] && !slices.Contains(twice, id) {
				twice = append(twice, id)
			}
			seen[id] = true
		}
		return twice
	}, gomega.BeEmpty())
}
