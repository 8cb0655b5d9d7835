package match

import (
	"fmt"
	"mime"
	"slices"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/elbconform/elbconform/harness/wire"
)

// ELBError matches a raw answer that is an ELB Classic error as the model
// defines it: the given HTTP status, an XML body rooted at ErrorResponse in
// the 2012-06-01 namespace, Error/Type Sender (a client error), Error/Code one
// of codes, an Error/Message element, and a non-empty RequestId. The message
// text and the request-id format are not checked, and extra elements are
// allowed: the documentation leaves them open.
func ELBError(status int, codes ...string) types.GomegaMatcher {
	return &wireMatcher{describe: fmt.Sprintf("an ELB error answer %s (HTTP %d, Type Sender)", strings.Join(codes, " or "), status),
		check: func(r *wire.Response) []string {
			var p []string
			if r.Status != status {
				p = append(p, fmt.Sprintf("HTTP status is %d, want %d", r.Status, status))
			}
			p = append(p, xmlProblems(r)...)
			if r.Doc == nil {
				return p
			}
			if r.Doc.Name.Local != "ErrorResponse" {
				p = append(p, fmt.Sprintf("root element is <%s>, want <ErrorResponse>", r.Doc.Name.Local))
			}
			if r.Doc.Name.Space != wire.ELBNamespace {
				p = append(p, fmt.Sprintf("root namespace is %q, want %q", r.Doc.Name.Space, wire.ELBNamespace))
			}
			e := r.Doc.Child("Error")
			switch {
			case e == nil:
				p = append(p, "no <Error> element")
			default:
				if t := e.Child("Type"); t == nil || t.Text != "Sender" {
					p = append(p, fmt.Sprintf("Error/Type is %s, want Sender", text(t)))
				}
				if c := e.Child("Code"); c == nil || !slices.Contains(codes, c.Text) {
					p = append(p, fmt.Sprintf("Error/Code is %s, want %s", text(c), strings.Join(codes, " or ")))
				}
				if e.Child("Message") == nil {
					p = append(p, "no Error/Message element")
				}
			}
			if id := r.Doc.Child("RequestId"); id == nil || id.Text == "" {
				p = append(p, "no RequestId (ErrorResponse/RequestId)")
			}
			return p
		}}
}

// ELBResult matches a raw success answer to action as the model defines it:
// HTTP 200, an XML body rooted at <action>Response in the 2012-06-01
// namespace, holding <action>Result and ResponseMetadata/RequestId.
func ELBResult(action string) types.GomegaMatcher {
	return &wireMatcher{describe: "a " + action + " success answer",
		check: func(r *wire.Response) []string {
			var p []string
			if r.Status != 200 {
				p = append(p, fmt.Sprintf("HTTP status is %d, want 200", r.Status))
			}
			p = append(p, xmlProblems(r)...)
			if r.Doc == nil {
				return p
			}
			if r.Doc.Name.Local != action+"Response" {
				p = append(p, fmt.Sprintf("root element is <%s>, want <%sResponse>", r.Doc.Name.Local, action))
			}
			if r.Doc.Name.Space != wire.ELBNamespace {
				p = append(p, fmt.Sprintf("root namespace is %q, want %q", r.Doc.Name.Space, wire.ELBNamespace))
			}
			if r.Doc.Child(action+"Result") == nil {
				p = append(p, fmt.Sprintf("no <%sResult> element", action))
			}
			if id := r.Doc.Find("ResponseMetadata", "RequestId"); id == nil || id.Text == "" {
				p = append(p, "no ResponseMetadata/RequestId")
			}
			return p
		}}
}

// xmlProblems checks that the answer declares and is XML.
func xmlProblems(r *wire.Response) []string {
	var p []string
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !(mt == "text/xml" || mt == "application/xml") {
		p = append(p, fmt.Sprintf("Content-Type is %q, want an XML media type (text/xml)", r.Header.Get("Content-Type")))
	}
	if r.Doc == nil {
		p = append(p, fmt.Sprintf("body is not XML (%v)", r.ParseError))
	}
	return p
}

func text(n *wire.Node) string {
	if n == nil {
		return "missing"
	}
	return fmt.Sprintf("%q", n.Text)
}

// wireMatcher reports every problem of an answer at once, with the body, so
// a failure shows what the target actually sent.
type wireMatcher struct {
	describe string
	check    func(*wire.Response) []string
	problems []string
}

func (m *wireMatcher) Match(actual any) (bool, error) {
	r, ok := actual.(*wire.Response)
	if !ok || r == nil {
		return false, fmt.Errorf("expected a *wire.Response, got %T", actual)
	}
	m.problems = m.check(r)
	return len(m.problems) == 0, nil
}

func (m *wireMatcher) FailureMessage(actual any) string {
	r := actual.(*wire.Response)
	return fmt.Sprintf("Expected %s:\n- %s\nbody:\n%s", m.describe, strings.Join(m.problems, "\n- "), truncate(r.Body))
}

func (m *wireMatcher) NegatedFailureMessage(actual any) string {
	return "Expected an answer other than " + m.describe
}

func truncate(b []byte) string {
	const max = 4000
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
