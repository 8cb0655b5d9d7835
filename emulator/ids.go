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
