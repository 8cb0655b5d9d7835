package wire

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Request is one API call being served.
type Request struct {
	HTTP   *http.Request
	Body   string
	Params Params
	Action string
	ID     string    // request id
	Now    time.Time // one clock reading per request, so all derived state agrees
	// ParseErr is why the query string or body is not valid form encoding (nil if it is).
	ParseErr error
}

// Handler serves a decoded request.
type Handler func(w http.ResponseWriter, rc *Request)

// MaxBodyBytes bounds a request body. A Register call with 100,000 members is about 6 MB, so
// 64 MB leaves room while still refusing absurd uploads.
const MaxBodyBytes = 64 << 20

// bodyBufPool holds read buffers for request bodies. A body is read into a pooled buffer and
// copied once into the string the request keeps (io.ReadAll would grow a fresh slice from
// 512 bytes and then copy it again). Buffers over maxPooledBody are not kept.
var bodyBufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBody = 256 << 10

// ReadBody reads r's body, at most MaxBodyBytes (a larger body gives *http.MaxBytesError).
func ReadBody(w http.ResponseWriter, r *http.Request) (string, error) {
	buf := bodyBufPool.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBody {
			buf.Reset()
			bodyBufPool.Put(buf)
		}
	}()
	if n := r.ContentLength; n > 0 && n <= MaxBodyBytes {
		buf.Grow(int(n) + 1) // +1: ReadFrom wants room to see EOF without growing
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	return buf.String(), err
}

// NewUUID returns a random RFC 4122 version 4 UUID, the format of AWS request ids.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(&b)
}

// formatUUID formats 16 bytes as 8-4-4-4-12 lowercase hex in one allocation.
func formatUUID(b *[16]byte) string {
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], b[10:16])
	return string(out[:])
}

// CredentialScope extracts region and service from the SigV4 credential
// "Credential=AKID/date/region/service/aws4_request" of the Authorization header, or of
// X-Amz-Credential for a presigned URL. ok is false for an unsigned request (or one whose
// credential is not five slash-separated parts): the emulator accepts those unchecked.
func CredentialScope(r *http.Request) (region, svc string, ok bool) {
	cred := ""
	if auth := r.Header.Get("Authorization"); auth != "" {
		if _, after, found := strings.Cut(auth, "Credential="); found {
			cred, _, _ = strings.Cut(after, ",")
		}
	} else if strings.Contains(r.URL.RawQuery, "X-Amz-Credential") {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	// Five parts, cut without allocating: this runs on every request.
	var parts [5]string
	rest := strings.TrimSpace(cred)
	for i := range 4 {
		var found bool
		if parts[i], rest, found = strings.Cut(rest, "/"); !found {
			return "", "", false
		}
	}
	if strings.Contains(rest, "/") {
		return "", "", false
	}
	parts[4] = rest
	return parts[2], parts[3], true
}
