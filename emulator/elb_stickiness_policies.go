package emulator

import "github.com/elbconform/elbconform/emulator/internal/wire"

func (h *handler) createLBCookieStickinessPolicy(rc *wire.Request, x *wire.Writer) *wire.Error {
	return errNotYetImplemented(rc.Action)
}

func (h *handler) createAppCookieStickinessPolicy(rc *wire.Request, x *wire.Writer) *wire.Error {
	return errNotYetImplemented(rc.Action)
}
