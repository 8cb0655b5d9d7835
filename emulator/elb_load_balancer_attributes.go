package emulator

import "github.com/elbconform/elbconform/emulator/internal/wire"

func (h *handler) describeLoadBalancerAttributes(rc *wire.Request, x *wire.Writer) *wire.Error {
	return errNotYetImplemented(rc.Action)
}

func (h *handler) modifyLoadBalancerAttributes(rc *wire.Request, x *wire.Writer) *wire.Error {
	return errNotYetImplemented(rc.Action)
}
