package emulator

import "github.com/elbconform/elbconform/emulator/internal/wire"

func (h *handler) setLoadBalancerPoliciesOfListener(rc *wire.Request, x *wire.Writer) *wire.Error {
	return errNotYetImplemented(rc.Action)
}

func (h *handler) setLoadBalancerPoliciesForBackendServer(rc *wire.Request, x *wire.Writer) *wire.Error {
	return errNotYetImplemented(rc.Action)
}
