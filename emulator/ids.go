package emulator

import (
	"crypto/rand"
	"encoding/hex"
)

// randomHex returns n random lowercase hex digits. AWS resource ids (i-, vpc-, subnet-, r-,
// sg-) use 17 of them.
func randomHex(n int) string {
	b := make([]byte, (n+1)/2)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)[:n]
}

// newUUID returns a random RFC 4122 version 4 UUID, the format of AWS request ids.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(&b)
}

// randomDigits returns n random decimal digits (first one non-zero), used in DNS names.
func randomDigits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}
