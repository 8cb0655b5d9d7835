package match

import (
	"net/http"
	"strings"
	"testing"

	"github.com/elbconform/elbconform/harness/wire"
)

func response(t *testing.T, status int, contentType, body string) *wire.Response {
	t.Helper()
	doc, err := wire.Parse([]byte(body))
	return &wire.Response{Status: status, Header: http.Header{"Content-Type": {contentType}}, Body: []byte(body), Doc: doc, ParseError: err}
}

const ns = `xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"`

func TestELBErrorAcceptsWhatTheDocsLeaveOpen(t *testing.T) {
	// Another message, another request-id format, extra elements, a charset.
	r := response(t, 400, "text/xml;charset=UTF-8", `<ErrorResponse `+ns+`><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code><Message>nope</Message><Extra/></Error><RequestId>req-1</RequestId><More>x</More></ErrorResponse>`)
	if ok, _ := ELBError(400, "LoadBalancerNotFound").Match(r); !ok {
		t.Error("rejected a conformant error answer")
	}
}

func TestELBErrorNamesEachProblem(t *testing.T) {
	cases := map[string]*wire.Response{
		"HTTP status is 500":         response(t, 500, "text/xml", `<ErrorResponse `+ns+`><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code><Message/></Error><RequestId>r</RequestId></ErrorResponse>`),
		"Error/Type is \"Receiver\"": response(t, 400, "text/xml", `<ErrorResponse `+ns+`><Error><Type>Receiver</Type><Code>LoadBalancerNotFound</Code><Message/></Error><RequestId>r</RequestId></ErrorResponse>`),
		"Error/Code is \"Other\"":    response(t, 400, "text/xml", `<ErrorResponse `+ns+`><Error><Type>Sender</Type><Code>Other</Code><Message/></Error><RequestId>r</RequestId></ErrorResponse>`),
		"no RequestId":               response(t, 400, "text/xml", `<ErrorResponse `+ns+`><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code><Message/></Error></ErrorResponse>`),
		"root namespace":             response(t, 400, "text/xml", `<ErrorResponse><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code><Message/></Error><RequestId>r</RequestId></ErrorResponse>`),
		"Content-Type":               response(t, 400, "text/plain", `<ErrorResponse `+ns+`><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code><Message/></Error><RequestId>r</RequestId></ErrorResponse>`),
		"no Error/Message":           response(t, 400, "text/xml", `<ErrorResponse `+ns+`><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code></Error><RequestId>r</RequestId></ErrorResponse>`),
	}
	for want, r := range cases {
		m := ELBError(400, "LoadBalancerNotFound")
		if ok, _ := m.Match(r); ok {
			t.Errorf("accepted an answer with %s", want)
			continue
		}
		if msg := m.FailureMessage(r); !strings.Contains(msg, want) {
			t.Errorf("failure message does not say %q:\n%s", want, msg)
		}
	}
}

func TestELBResult(t *testing.T) {
	good := response(t, 200, "text/xml", `<RegisterInstancesWithLoadBalancerResponse `+ns+`><RegisterInstancesWithLoadBalancerResult/><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></RegisterInstancesWithLoadBalancerResponse>`)
	if ok, _ := ELBResult("RegisterInstancesWithLoadBalancer").Match(good); !ok {
		t.Error("rejected a conformant answer")
	}
	noID := response(t, 200, "text/xml", `<RegisterInstancesWithLoadBalancerResponse `+ns+`><RegisterInstancesWithLoadBalancerResult/></RegisterInstancesWithLoadBalancerResponse>`)
	if ok, _ := ELBResult("RegisterInstancesWithLoadBalancer").Match(noID); ok {
		t.Error("accepted an answer without ResponseMetadata/RequestId")
	}
}
