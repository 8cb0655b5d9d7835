package emulator

import (
	"net/http"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

func (h *handler) createVpc(rc *wire.Request, x *wire.Writer) *wire.Error {
	raw := rc.Params["CidrBlock"]
	if raw == "" {
		return errEC2Missing("CidrBlock")
	}
	pfx, ok := parseCIDR(raw)
	if !ok {
		return wire.NewError(http.StatusBadRequest, "InvalidVpc.Range", "The CIDR '%s' is invalid.", wire.Truncate(raw, 40))
	}
	tags, e := tagSpecifications(rc.Params, "vpc")
	if e != nil {
		return e
	}
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	v := h.st.ec2.addVPC(pfx, false)
	v.tags = tags
	x.Open("vpc")
	h.writeVPC(x, v)
	x.Close("vpc")
	return nil
}
