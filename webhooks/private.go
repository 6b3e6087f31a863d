package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"estafette/content"
)

// Webhooks must not become a way into the networks the server runs in: an
// admin (or a stolen admin key) could otherwise register
// http://169.254.169.254/ or http://10.0.0.5:6379/ and have the server
// call it, and read the answers' status codes from the delivery log.
// Endpoints are therefore checked twice: at registration (the URL's host,
// in every spelling, and the addresses a name resolves to) and at connect
// time, in the dialer's Control function, on the very address the socket
// connects to, so that a name that resolves to a public address at
// registration and to an internal one later (DNS rebinding) is still
// refused. Options.AllowPrivate switches both checks off for development
// and tests.

// Resolver looks up the addresses of a host name; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// errPrivate is the refusal of the dialer's Control function.
var errPrivate = errors.New("the address is in a private network")

// reserved are special-purpose ranges that netip's predicates do not cover
// and that no webhook receiver has any business in.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (CGNAT), also cloud metadata (100.100.100.200)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the broadcast address
	netip.MustParsePrefix("::/96"),           // IPv4-compatible (deprecated), besides :: and ::1
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
}

// embedding ranges carry an IPv4 address in an IPv6 one, which a gateway
// may route to: the embedded address is checked too.
var (
	nat64 = netip.MustParsePrefix("64:ff9b::/96") // the IPv4 address in the last 4 bytes
	sixTo = netip.MustParsePrefix("2002::/16")    // 6to4: the IPv4 address in bytes 2 to 5
)

// privateReason says why a webhook may not connect to a, or "" when a is a
// public address.
func privateReason(a netip.Addr) string {
	a = a.WithZone("").Unmap()
	switch {
	case !a.IsValid():
		return "not an address"
	case a.IsUnspecified():
		return "the unspecified address"
	case a.IsLoopback():
		return "a loopback address"
	case a.IsPrivate():
		return "in a private network"
	case a.IsLinkLocalUnicast():
		return "a link-local address (such as the cloud metadata service)"
	case a.IsMulticast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast():
		return "a multicast address"
	}
	for _, p := range reserved {
		if p.Contains(a) {
			return "in a reserved range"
		}
	}
	b := a.As16()
	switch {
	case nat64.Contains(a):
		return privateReason(netip.AddrFrom4([4]byte(b[12:16])))
	case sixTo.Contains(a):
		return privateReason(netip.AddrFrom4([4]byte(b[2:6])))
	}
	return ""
}

// parseHost reads the host of a URL as an address when it is one, in any
// spelling a resolver or browser accepts: 127.0.0.1, [::1],
// [::ffff:127.0.0.1], and the inet_aton forms 2130706433, 0177.0.0.1,
// 0x7f.1 and 127.1. numeric is true when the host is meant as an address
// (its last label is a number); err says it is not a valid one.
func parseHost(host string) (a netip.Addr, numeric bool, err error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return a, true, nil
	}
	h := strings.TrimSuffix(host, ".")
	labels := strings.Split(h, ".")
	if !isNumber(labels[len(labels)-1]) {
		return netip.Addr{}, false, nil
	}
	if len(labels) > 4 {
		return netip.Addr{}, true, errors.New("too many parts")
	}
	var parts []uint64
	for _, l := range labels {
		n, ok := parseNumber(l)
		if !ok {
			return netip.Addr{}, true, fmt.Errorf("%q is not a number", l)
		}
		parts = append(parts, n)
	}
	last := parts[len(parts)-1]
	if last >= 1<<(8*(5-len(parts))) {
		return netip.Addr{}, true, errors.New("a part is too large")
	}
	v := last
	for i, p := range parts[:len(parts)-1] {
		if p > 255 {
			return netip.Addr{}, true, errors.New("a part is too large")
		}
		v |= p << (8 * (3 - i))
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true, nil
}

// isNumber reports whether a label is a number as inet_aton reads it:
// decimal digits, or 0x and hex digits.
func isNumber(l string) bool {
	if l == "" {
		return false
	}
	if rest, ok := strings.CutPrefix(strings.ToLower(l), "0x"); ok {
		return strings.Trim(rest, "0123456789abcdef") == ""
	}
	return strings.Trim(l, "0123456789") == ""
}

func parseNumber(l string) (uint64, bool) {
	base := 10
	switch lower := strings.ToLower(l); {
	case strings.HasPrefix(lower, "0x"):
		base, l = 16, l[2:]
		if l == "" {
			return 0, true
		}
	case len(l) > 1 && l[0] == '0':
		base, l = 8, l[1:]
	}
	if len(l) > 16 {
		return 0, false
	}
	n, err := strconv.ParseUint(l, base, 64)
	return n, err == nil
}

// checkURL refuses an endpoint URL whose host is, or resolves to, an
// address a webhook may not reach. It resolves names only (a literal
// address needs no network), and refuses a name that does not resolve:
// an endpoint nobody can reach now is more likely a typo than a plan.
func (s *Service) checkURL(ctx context.Context, u *url.URL) error {
	host := u.Hostname()
	a, numeric, err := parseHost(host)
	switch {
	case err != nil:
		return content.Invalidf("url", "the host %q is not a valid address (%v)", host, err)
	case s.opts.AllowPrivate:
		return nil
	case numeric:
		if why := privateReason(a); why != "" {
			return content.Invalidf("url", "refused: %s is %s, and webhooks cannot reach internal networks; use a public address", host, why)
		}
		if a.Is4() && a.String() != host {
			// Resolvers differ on these spellings; the stored URL says
			// what it means.
			return content.Invalidf("url", "write the address %q as %s", host, a)
		}
		return nil
	}
	name := strings.ToLower(strings.TrimSuffix(host, "."))
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return content.Invalidf("url", "refused: %s is a loopback name, and webhooks cannot reach internal networks; use a public address", host)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := s.opts.Resolver.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return content.Invalidf("url", "the host %s does not resolve; register a name that has a public address", host)
	}
	for _, a := range addrs {
		if privateReason(a) != "" {
			return content.Invalidf("url", "refused: %s resolves to a private address, and webhooks cannot reach internal networks; use a public address", host)
		}
	}
	return nil
}

// dialControl refuses a connection to an address a webhook may not reach;
// it runs on the address the socket is about to connect to, after every
// resolution and for every redirect or retry.
func dialControl(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return errPrivate // not an IP address and port: nothing to check, so nothing to allow
	}
	if privateReason(ap.Addr()) != "" {
		return errPrivate
	}
	return nil
}

// dialer connects to the endpoints: it resolves names with the Resolver
// and tries each address in turn, every one through the Control check.
type dialer struct {
	net      net.Dialer
	resolver Resolver
}

func (d *dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return d.net.DialContext(ctx, network, address)
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return nil, err
	}
	ipnet := "ip"
	switch network {
	case "tcp4":
		ipnet = "ip4"
	case "tcp6":
		ipnet = "ip6"
	}
	addrs, err := d.resolver.LookupNetIP(ctx, ipnet, host)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	var first error
	for _, a := range addrs {
		c, err := d.net.DialContext(ctx, network, netip.AddrPortFrom(a.Unmap(), uint16(p)).String())
		if err == nil {
			return c, nil
		}
		if first == nil || (errors.Is(err, errPrivate) && !errors.Is(first, errPrivate)) {
			first = err // a refusal says more than a failure
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}
