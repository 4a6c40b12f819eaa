// Package netguard keeps Earshot's outbound connections (collectors,
// incident pollers, notifiers) off the networks a URL from a config file, a
// feed or a redirect should never reach: loopback, link-local (and with it
// the cloud metadata address 169.254.169.254), private (RFC 1918, IPv6
// ULA), carrier-grade NAT (100.64.0.0/10, Alibaba's metadata address among
// them) and the other special-purpose ranges (unspecified, multicast,
// broadcast, reserved, benchmarking, documentation).
//
// The check runs in a net.Dialer's Control hook, on the address the
// connection is really being made to, after name resolution: a host name
// that resolves to a private address, a DNS answer that changes between
// check and use (rebinding), and a redirect to such an address are all
// refused alike, because each of them ends in a dial.
//
// A config entry that must reach a private network (an intranet feed, an
// SMTP relay on the LAN, a test server on 127.0.0.1) sets
// allow_private_networks: true, and gets an unguarded dialer.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrBlocked is the error of a dial refused because of where it goes.
var ErrBlocked = errors.New("address not allowed (a loopback, private, link-local or other special-purpose network; set allow_private_networks: true on this entry to allow it)")

// blocked are the special-purpose ranges refused besides those netip.Addr
// classifies (loopback, private, link-local, multicast, unspecified).
var blocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),           // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),       // carrier-grade NAT (RFC 6598); 100.100.100.200 is Alibaba's metadata
	netip.MustParsePrefix("192.0.0.0/24"),        // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),        // documentation
	netip.MustParsePrefix("198.18.0.0/15"),       // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"),     // documentation
	netip.MustParsePrefix("203.0.113.0/24"),      // documentation
	netip.MustParsePrefix("240.0.0.0/4"),         // reserved, and 255.255.255.255
	netip.MustParsePrefix("100::/64"),            // discard
	netip.MustParsePrefix("2001:db8::/32"),       // documentation
	netip.MustParsePrefix("fec0::/10"),           // deprecated site-local
	netip.MustParsePrefix("64:ff9b:1::/48"),      // local-use NAT64
	netip.MustParsePrefix("2001::/32"),           // Teredo: hides an IPv4 address
	netip.MustParsePrefix("2001:10::/28"),        // ORCHID
	netip.MustParsePrefix("fd00:ec2::254/128"),   // AWS metadata over IPv6 (inside ULA too)
	netip.MustParsePrefix("fe80::a9fe:a9fe/128"), // GCP-style metadata (link-local too)
}

// Allowed reports whether a connection to ip may be made from a guarded
// dialer: a public unicast address. IPv4-mapped IPv6 addresses, and IPv4
// addresses carried in NAT64 (64:ff9b::/96) and 6to4 (2002::/16), are
// judged by the IPv4 address inside.
func Allowed(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		b := ip.As16()
		switch {
		case netip.MustParsePrefix("64:ff9b::/96").Contains(ip):
			return Allowed(netip.AddrFrom4([4]byte(b[12:16])))
		case netip.MustParsePrefix("2002::/16").Contains(ip):
			return Allowed(netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() ||
		ip.IsMulticast() {
		return false
	}
	for _, p := range blocked {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// Policy says where a dialer may connect.
type Policy struct {
	// AllowPrivate turns the guard off: every address is allowed.
	AllowPrivate bool
	// Except are ranges allowed although Allowed refuses them (tests allow
	// one loopback address this way to show that another is refused).
	Except []netip.Prefix
}

// Control is a net.Dialer Control hook enforcing p on the resolved address
// of every connection.
func (p Policy) Control(network, address string, _ syscall.RawConn) error {
	if p.AllowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dialing %s: %w", address, ErrBlocked)
	}
	ip := ap.Addr()
	if Allowed(ip) {
		return nil
	}
	for _, e := range p.Except {
		if e.Contains(ip.Unmap()) {
			return nil
		}
	}
	return fmt.Errorf("dialing %s: %w", address, ErrBlocked)
}

// Dialer returns a dialer enforcing p, with timeout (0: 30s) and the
// keep-alive of Go's default transport.
func (p Policy) Dialer(timeout time.Duration) *net.Dialer {
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: p.Control}
}

// Transport returns a copy of http.DefaultTransport whose connections go
// through p's dialer. A guarded transport ignores HTTP_PROXY and friends:
// the guard would judge the proxy's address, not the target's, so a proxy
// is used only with AllowPrivate.
func (p Policy) Transport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	d := p.Dialer(0)
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
	if !p.AllowPrivate {
		tr.Proxy = nil
	}
	return tr
}

// Client returns an HTTP client with p's transport and timeout (0: none;
// callers bound requests with contexts). Redirects are followed as
// http.Client does, each new connection checked again.
func (p Policy) Client(timeout time.Duration) *http.Client {
	return &http.Client{Transport: p.Transport(), Timeout: timeout}
}

// Client returns a client guarded unless allowPrivate: the one to build
// for a config entry from its allow_private_networks key.
func Client(allowPrivate bool, timeout time.Duration) *http.Client {
	return Policy{AllowPrivate: allowPrivate}.Client(timeout)
}
