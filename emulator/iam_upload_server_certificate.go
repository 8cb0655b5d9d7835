package emulator

import (
	"bytes"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Parameter rules of the IAM model (docs/sources.md 21a).
var (
	certNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
	certPathPattern = regexp.MustCompile(`^(/|/[\x21-\x7e]+/)$`)
)

const (
	maxCertPEM      = 16384   // CertificateBody and PrivateKey
	maxCertChainPEM = 2097152 // CertificateChain
	maxIAMTags      = 50
)

// uploadServerCertificate stores a server certificate with its private key and optional
// chain (docs/sources.md 21a, 21b). What is checked, as IAM checks it: the body is one PEM
// certificate (MalformedCertificate), not expired (MalformedCertificate: "malformed or
// expired"), the private key is a PEM key (MalformedCertificate) that matches the
// certificate's public key (KeyPairMismatch, the model's error for it), the chain is PEM
// certificates, each signing the one before, starting with the body's issuer
// (MalformedCertificate); the name is not in use (EntityAlreadyExists, 409). The private key
// is kept, so that the data plane can terminate TLS with it.
func (h *handler) uploadServerCertificate(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	name, path := p["ServerCertificateName"], p["Path"]
	body, key, chain := p["CertificateBody"], p["PrivateKey"], p["CertificateChain"]
	switch {
	case name == "":
		return errIAMMissing("ServerCertificateName")
	case body == "":
		return errIAMMissing("CertificateBody")
	case key == "":
		return errIAMMissing("PrivateKey")
	case !certNamePattern.MatchString(name):
		return errIAMValidation("The specified value for serverCertificateName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-")
	case len(body) > maxCertPEM || len(key) > maxCertPEM:
		return errIAMValidation("CertificateBody and PrivateKey must be at most %d characters.", maxCertPEM)
	case len(chain) > maxCertChainPEM:
		return errIAMValidation("CertificateChain must be at most %d characters.", maxCertChainPEM)
	}
	if path == "" {
		path = "/"
	}
	if len(path) > 512 || !certPathPattern.MatchString(path) {
		return errIAMValidation("The specified value for path is invalid. It must begin and end with / and contain only printable ASCII characters.")
	}
	tags, e := iamTagsParam(p)
	if e != nil {
		return e
	}
	pair, e := parseKeyPair(body, key, chain, rc.Now)
	if e != nil {
		return e
	}

	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, taken := st.iam.certs[name]; taken {
		return wire.NewError(http.StatusConflict, "EntityAlreadyExists", "The Server Certificate with name %s already exists.", name)
	}
	c := &serverCertificate{
		name: strings.Clone(name), path: strings.Clone(path),
		id:   "ASCA" + strings.ToUpper(randomAlnum(17)),
		arn:  st.iam.certificateARN(path, name),
		body: strings.Clone(body), chain: strings.Clone(chain),
		uploaded: rc.Now, expiration: pair.Leaf.NotAfter, tags: tags, keyPair: pair,
	}
	st.iam.add(c)
	writeCertificateMetadata(x, c)
	if len(c.tags) > 0 {
		writeIAMTags(x, c.tags)
	}
	return nil
}

// parseKeyPair checks a certificate body, private key and chain and answers the key pair the
// data plane serves: the leaf, then the chain.
func parseKeyPair(body, key, chain string, now time.Time) (*tls.Certificate, *wire.Error) {
	leafBlock, rest := pem.Decode([]byte(body))
	if leafBlock == nil || leafBlock.Type != "CERTIFICATE" || len(bytes.TrimSpace(rest)) != 0 {
		return nil, errMalformedCertificate("Unable to parse certificate. Please ensure the certificate is in PEM format.")
	}
	leaf, err := x509.ParseCertificate(leafBlock.Bytes)
	if err != nil {
		return nil, errMalformedCertificate("Unable to parse certificate. Please ensure the certificate is in PEM format.")
	}
	if now.After(leaf.NotAfter) {
		return nil, errMalformedCertificate("The certificate has expired: it was valid until %s.", leaf.NotAfter.UTC().Format(time.RFC3339))
	}
	priv, ok := parsePrivateKey(key)
	if !ok {
		return nil, errMalformedCertificate("Unable to parse private key. Please ensure the private key is in PEM format.")
	}
	if !publicKeyMatches(leaf.PublicKey, priv) {
		return nil, wire.NewError(http.StatusBadRequest, "KeyPairMismatch", "The public key certificate and the private key do not match.")
	}
	pair := &tls.Certificate{Certificate: [][]byte{leafBlock.Bytes}, PrivateKey: priv, Leaf: leaf}
	if strings.TrimSpace(chain) == "" {
		return pair, nil
	}
	prev := leaf
	rest = []byte(chain)
	for i := 0; ; i++ {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			if len(bytes.TrimSpace(rest)) != 0 || i == 0 {
				return nil, errMalformedCertificate("Unable to parse certificate chain. Please ensure the chain is a sequence of PEM certificates.")
			}
			break
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if b.Type != "CERTIFICATE" || err != nil {
			return nil, errMalformedCertificate("Unable to parse certificate chain. Please ensure the chain is a sequence of PEM certificates.")
		}
		if prev.CheckSignatureFrom(c) != nil {
			return nil, errMalformedCertificate("Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: %d", i)
		}
		pair.Certificate = append(pair.Certificate, b.Bytes)
		prev = c
	}
	return pair, nil
}

// parsePrivateKey reads one PEM private key: PKCS #1 RSA, SEC 1 EC or PKCS #8.
func parsePrivateKey(s string) (crypto.Signer, bool) {
	b, rest := pem.Decode([]byte(s))
	if b == nil || len(bytes.TrimSpace(rest)) != 0 {
		return nil, false
	}
	switch b.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(b.Bytes)
		return k, err == nil
	case "EC PRIVATE KEY":
		k, err := x509.ParseECPrivateKey(b.Bytes)
		return k, err == nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		if err != nil {
			return nil, false
		}
		signer, ok := k.(crypto.Signer)
		return signer, ok
	}
	return nil, false
}

// publicKeyMatches reports whether priv is the private half of pub.
func publicKeyMatches(pub crypto.PublicKey, priv crypto.Signer) bool {
	eq, ok := priv.Public().(interface{ Equal(crypto.PublicKey) bool }) // every key type of crypto/* has Equal
	return ok && eq.Equal(pub)
}

// iamTagsParam reads Tags.member.N.Key/Value: at most 50, keys 1-128 characters, values at
// most 256, a key at most once (IAM model and tagging guide).
func iamTagsParam(p wire.Params) ([]tag, *wire.Error) {
	members, err := p.Structs("Tags.member")
	if err != nil {
		return nil, errIAMValidation("%v", err)
	}
	if len(members) > maxIAMTags {
		return nil, wire.NewError(http.StatusConflict, "LimitExceeded", "A resource can have at most %d tags.", maxIAMTags)
	}
	seen := map[string]bool{}
	var out []tag
	for _, m := range members {
		k, v := m["Key"], m["Value"]
		switch {
		case k == "" || len(k) > 128:
			return nil, errIAMValidation("Tag keys must be 1 to 128 characters long.")
		case len(v) > 256:
			return nil, errIAMValidation("Tag values must be at most 256 characters long.")
		case seen[k]:
			return nil, wire.NewError(http.StatusBadRequest, "InvalidInput", "Duplicate tag key: %s", wire.Truncate(k, 128))
		}
		seen[k] = true
		out = append(out, tag{Key: strings.Clone(k), Value: strings.Clone(v)})
	}
	return out, nil
}

// writeCertificateMetadata writes <ServerCertificateMetadata> (ServerCertificateMetadata
// shape: Path, ServerCertificateName, ServerCertificateId, Arn, UploadDate, Expiration).
func writeCertificateMetadata(x *wire.Writer, c *serverCertificate) {
	x.Open("ServerCertificateMetadata")
	writeCertificateMetadataFields(x, c)
	x.Close("ServerCertificateMetadata")
}

func writeCertificateMetadataFields(x *wire.Writer, c *serverCertificate) {
	x.Leaf("Path", c.path)
	x.Leaf("ServerCertificateName", c.name)
	x.Leaf("ServerCertificateId", c.id)
	x.Leaf("Arn", c.arn)
	x.LeafTime("UploadDate", c.uploaded)
	x.LeafTime("Expiration", c.expiration)
}

func writeIAMTags(x *wire.Writer, tags []tag) {
	x.Structs("Tags", len(tags), func(i int) {
		x.Leaf("Key", tags[i].Key)
		x.Leaf("Value", tags[i].Value)
	})
}

// randomAlnum returns n random characters of [0-9a-z] (IAM unique ids are upper case).
func randomAlnum(n int) string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	raw := randomHex(2 * n)
	out := make([]byte, n)
	for i := range out {
		v := (hexVal(raw[2*i])<<4 | hexVal(raw[2*i+1]))
		out[i] = alphabet[int(v)%len(alphabet)]
	}
	return string(out)
}

func hexVal(c byte) byte {
	if c >= 'a' {
		return c - 'a' + 10
	}
	return c - '0'
}
