package sandbox

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Files the sandbox writes under /etc so that names resolve only to the
// forwarders (glibc and Go both read them).
const (
	etcHosts    = "/etc/hosts"
	etcNsswitch = "/etc/nsswitch.conf"
)

// maxHosts bounds the allow-list; every entry is a listener and a
// goroutine for the duration of the call.
const maxHosts = 64

// forward is one allow-list entry: a listener at Listen inside the
// sandbox's network namespace whose connections are relayed to Target,
// dialled from the host.
type forward struct {
	Listen netip.AddrPort
	Target string
}

// namedBase is where DNS-named entries get their sandbox addresses:
// 127.77.0.2, 127.77.0.3, ...
var namedBase = netip.AddrFrom4([4]byte{127, 77, 0, 2})

// hostPlan is the parsed allow-list: the forwarders and the /etc/hosts
// that makes the named entries resolve to them.
type hostPlan struct {
	forwards []forward
	hosts    []byte
}

// planHosts validates the allow-list. An entry's host is an IPv4
// loopback literal (127.0.0.0/8), "localhost", or a DNS name; the port
// is 1-65535. Names get their own loopback address inside the sandbox
// and are resolved on the host when a connection is made.
func planHosts(entries []string) (hostPlan, error) {
	if len(entries) > maxHosts {
		return hostPlan{}, fmt.Errorf("%w: %d hosts (at most %d)", ErrSpec, len(entries), maxHosts)
	}
	var p hostPlan
	names := map[string]netip.Addr{"localhost": netip.AddrFrom4([4]byte{127, 0, 0, 1})}
	next := namedBase
	seen := map[netip.AddrPort]bool{}
	for _, e := range slices.Compact(slices.Sorted(slices.Values(entries))) {
		host, port, err := splitHostPort(e)
		if err != nil {
			return hostPlan{}, err
		}
		addr, err := netip.ParseAddr(host)
		switch {
		case err == nil && !(addr.Is4() && addr.IsLoopback()):
			return hostPlan{}, fmt.Errorf("%w: host %q: IP literals must be IPv4 loopback (127.0.0.0/8); name external hosts by DNS name", ErrSpec, e)
		case err != nil:
			if !validHostname(host) {
				return hostPlan{}, fmt.Errorf("%w: host %q: not an IP literal or DNS name", ErrSpec, e)
			}
			name := strings.ToLower(host)
			if _, ok := names[name]; !ok {
				names[name] = next
				p.hosts = fmt.Appendf(p.hosts, "%s %s\n", next, name)
				next = next.Next()
			}
			addr = names[name]
		}
		ap := netip.AddrPortFrom(addr, port)
		if seen[ap] {
			return hostPlan{}, fmt.Errorf("%w: host %q collides with another entry at %s", ErrSpec, e, ap)
		}
		seen[ap] = true
		p.forwards = append(p.forwards, forward{Listen: ap, Target: e})
	}
	p.hosts = append([]byte("127.0.0.1 localhost\n"), p.hosts...)
	return p, nil
}

func splitHostPort(e string) (string, uint16, error) {
	host, ps, err := net.SplitHostPort(e)
	if err != nil {
		return "", 0, fmt.Errorf("%w: host %q: %w", ErrSpec, e, err)
	}
	port, err := strconv.ParseUint(ps, 10, 16)
	if err != nil || port == 0 {
		return "", 0, fmt.Errorf("%w: host %q: bad port", ErrSpec, e)
	}
	return host, uint16(port), nil
}

// validHostname accepts letters, digits, '-' and '.', in labels of 1-63
// characters, 253 at most.
func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return false
			}
		}
	}
	return true
}
