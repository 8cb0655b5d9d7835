package emulator

import "github.com/elbconform/elbconform/emulator/internal/wire"

func (h *handler) createLoadBalancerListeners(rc *wire.Request, x *wire.Writer) *wire.Error {
	return errNotYetImplemented(rc.Action)
}

func (h *handler) deleteLoadBalancerListeners(rc *wire.Request, x *wire.Writer) *wire.Error {
	return errNotYetImplemented(rc.Action)
}
