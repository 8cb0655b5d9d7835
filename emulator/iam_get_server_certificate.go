package emulator

import "github.com/elbconform/elbconform/emulator/internal/wire"

// getServerCertificate answers a server certificate by name: its metadata, body, chain and
// tags, never its private key (IAM model: ServerCertificate has no private key member). An
// unknown name is NoSuchEntity (404).
func (h *handler) getServerCertificate(rc *wire.Request, x *wire.Writer) *wire.Error {
	name := rc.Params["ServerCertificateName"]
	if name == "" {
		return errIAMMissing("ServerCertificateName")
	}
	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	c, ok := st.iam.certs[name]
	if !ok {
		return errNoSuchCertificate(name)
	}
	x.Open("ServerCertificate")
	writeCertificateMetadata(x, c)
	x.Leaf("CertificateBody", c.body)
	if c.chain != "" {
		x.Leaf("CertificateChain", c.chain)
	}
	if len(c.tags) > 0 {
		writeIAMTags(x, c.tags)
	}
	x.Close("ServerCertificate")
	return nil
}
