package emulator

import (
	"bytes"
	"encoding/hex"
	"net/http"
	"sync"
)

// Request-path helpers that keep per-request allocations down (see bench_test.go).

// bodyBufPool holds read buffers for request bodies. A body is read into a pooled buffer and
// copied once into the string the request keeps (io.ReadAll would grow a fresh slice from
// 512 bytes and then copy it again). Buffers over maxPooledBody are not kept.
var bodyBufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBody = 256 << 10

// readBody reads r's body, at most maxBodyBytes (a larger body gives *http.MaxBytesError).
func readBody(w http.ResponseWriter, r *http.Request) (string, error) {
	buf := bodyBufPool.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBody {
			buf.Reset()
			bodyBufPool.Put(buf)
		}
	}()
	if n := r.ContentLength; n > 0 && n <= maxBodyBytes {
		buf.Grow(int(n) + 1) // +1: ReadFrom wants room to see EOF without growing
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	return buf.String(), err
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
