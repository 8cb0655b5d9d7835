package emulator

import "github.com/elbconform/elbconform/emulator/internal/wire"

func (h *handler) describeLoadBalancerPolicyTypes(rc *wire.Request, x *wire.Writer) *wire.Error {
	return errNotYetImplemented(rc.Action)
}

func (h *handler) createLoadBalancerPolicy(rc *wire.Request, x *wire.Writer) *wire.Error {
	return errNotYetImplemented(rc.Action)
}

func (h *handler) describeLoadBalancerPolicies(rc *wire.Request, x *wire.Writer) *wire.Error {
	return errNotYetImplemented(rc.Action)
}

func (h *handler) deleteLoadBalancerPolicy(rc *wire.Request, x *wire.Writer) *wire.Error {
	return errNotYetImplemented(rc.Action)
}
