package emulator

import (
	"net/http"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// deleteServerCertificate deletes a server certificate by name. An unknown name is
// NoSuchEntity (404). A certificate that a load balancer's listener uses is refused with
// DeleteConflict (409) and AWS's message naming the load balancer (docs/sources.md 21c): the
// listener must go first (DeleteLoadBalancerListeners, or DeleteLoadBalancer).
func (h *handler) deleteServerCertificate(rc *wire.Request, x *wire.Writer) *wire.Error {
	name := rc.Params["ServerCertificateName"]
	if name == "" {
		return errIAMMissing("ServerCertificateName")
	}
	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	c, ok := st.iam.certs[name]
	if !ok {
		return errNoSuchCertificate(name)
	}
	if lb, used := st.iam.elb.CertificateUser(c.arn); used {
		ref := wire.NewError(http.StatusConflict, "DeleteConflict",
			"Certificate: %s is currently in use by arn:%s:elasticloadbalancing:%s:%s:loadbalancer/%s. Please remove it first before deleting it from IAM.",
			c.id, st.iam.partition, h.opts.Region, st.iam.account, lb)
		if e := h.dev.CertificateInUse(ref); e != nil {
			return e
		}
	}
	st.iam.remove(c)
	return nil
}
