package dataplane

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// Allowed reports whether a may be connected to under the allowed networks.
// IPv4-mapped IPv6 addresses count as the IPv4 address they map, and a zone is ignored.
func Allowed(allowed []netip.Prefix, a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	for _, p := range allowed {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ErrBackendRefused is the dial error for an address off the allowed networks.
var ErrBackendRefused = errors.New("backend address is not on a network the emulator may connect to (-allow-backends)")

// BackendControl is the Control hook of every dialer to a backend: it checks the address
// actually dialled (after any resolution) against the allowed networks, so nothing that
// slipped past the tag check, and no re-pointed name, is ever connected to.
func (dp *Plane) BackendControl(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !Allowed(dp.cfg.Allowed, ap.Addr()) {
		dp.cfg.Log.Warn("data plane: refused to connect to a backend off the allowed networks", "network", network, "address", address)
		return fmt.Errorf("%w: %s", ErrBackendRefused, address)
	}
	return nil
}

// backendDialer returns a dialer to backends with the given timeout (0: none but the
// caller's context), checked by BackendControl.
func (dp *Plane) backendDialer(timeout time.Duration) *net.Dialer {
	return &net.Dialer{Timeout: timeout, Control: dp.BackendControl}
}
