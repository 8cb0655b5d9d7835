package emulator

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/dataplane"
	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Which addresses the data plane may connect to.
//
// An instance's BackendTag makes the emulator's listeners and health checks connect to the
// address it names. Whoever can call the API can set that tag, so an emulator listening
// beyond loopback would otherwise connect, on their behalf, to anything it can reach: a
// cloud metadata address (169.254.169.254), an internal service (a server-side request
// forgery). So a backend must be an IP address literal (a host name could resolve elsewhere
// later) on an allowed network: loopback always, others only when the operator names them
// (Options.AllowedBackendNetworks, -allow-backends). The tag is checked when it is set
// (RunInstances, CreateTags: a refused one is a 400 InvalidParameterValue naming the flag),
// and every connection to a backend is checked again by the dialer's Control hook, on the
// address actually dialled.

// loopbackNetworks are always allowed: the suite's backends listen there.
var loopbackNetworks = []netip.Prefix{
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("::1/128"),
}

// Networks is a list of IP networks. As a flag.Value (-allow-backends) it takes a
// comma-separated list of CIDR prefixes or single addresses ("10.0.0.0/8,172.17.0.0/16,
// 192.168.1.7") and may be repeated; it converts to Options.AllowedBackendNetworks.
type Networks []netip.Prefix

// String lists the networks comma-separated.
func (n *Networks) String() string {
	if n == nil {
		return ""
	}
	return joinPrefixes(*n, ",")
}

// Set adds the comma-separated networks of s.
func (n *Networks) Set(s string) error {
	nets, err := ParseNetworks(s)
	if err != nil {
		return err
	}
	*n = append(*n, nets...)
	return nil
}

// ParseNetworks parses a comma-separated list of CIDR prefixes ("10.0.0.0/8") or single
// addresses ("10.0.0.7", meaning /32; "fd00::7", /128). Blank entries are skipped.
func ParseNetworks(s string) (Networks, error) {
	var out Networks
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if strings.Contains(part, "/") {
			p, err := netip.ParsePrefix(part)
			if err != nil {
				return nil, fmt.Errorf("%q is not a network: want a CIDR prefix such as 10.0.0.0/8", part)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q is not a network: want a CIDR prefix such as 10.0.0.0/8 or an IP address", part)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// backendNetworks returns loopback followed by the valid, masked extra networks (duplicates
// dropped), or an error naming an invalid one.
func backendNetworks(extra []netip.Prefix) ([]netip.Prefix, error) {
	out := append([]netip.Prefix(nil), loopbackNetworks...)
	for _, p := range extra {
		if !p.IsValid() {
			return nil, fmt.Errorf("emulator: invalid network %v in AllowedBackendNetworks", p)
		}
		p = p.Masked()
		if p.Addr().Is4In6() { // ::ffff:10.0.0.0/104 is 10.0.0.0/8: addresses are unmapped before the check
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		dup := false
		for _, q := range out {
			dup = dup || q == p
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out, nil
}

func joinPrefixes(ps []netip.Prefix, sep string) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, sep)
}

// parseBackend parses a BackendTag value: an IP address literal and a port 1-65535.
func parseBackend(v string) (netip.AddrPort, error) {
	host, port, err := net.SplitHostPort(v)
	if err != nil || host == "" {
		return netip.AddrPort{}, errors.New("not IP:port")
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return netip.AddrPort{}, errors.New("bad port")
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.AddrPort{}, errHostName
	}
	return netip.AddrPortFrom(a, uint16(n)), nil
}

var errHostName = errors.New("a host name")

// checkBackendTags refuses a BackendTag (RunInstances, CreateTags) that is not IP:port, so a
// typo is reported at once rather than as an instance that never passes a health check, or
// whose address is not on an allowed network.
func (h *handler) checkBackendTags(tags tagSet) *wire.Error {
	v, ok := tags.get(BackendTag)
	if !ok {
		return nil
	}
	ap, err := parseBackend(v)
	switch {
	case errors.Is(err, errHostName):
		return errEC2InvalidParam("Tag %s must be an IP address and port (e.g. 127.0.0.1:8080), not '%s': "+
			"host names are not accepted, so that a name cannot later resolve to another address.",
			BackendTag, wire.Truncate(v, 64))
	case err != nil:
		return errEC2InvalidParam("Tag %s must be IP:port (the address backing the instance, e.g. 127.0.0.1:8080), not '%s'.",
			BackendTag, wire.Truncate(v, 64))
	}
	allowed := h.opts.AllowedBackendNetworks
	if !dataplane.Allowed(allowed, ap.Addr()) {
		return errEC2InvalidParam("%s=%s is not on a network the emulator may connect to; allowed: %s "+
			"(start the emulator with -allow-backends, or set Options.AllowedBackendNetworks, to add one)",
			BackendTag, wire.Truncate(v, 64), joinPrefixes(allowed, ", "))
	}
	return nil
}
