package identity

import (
	"fmt"
	"net/url"
	"strings"
)

// Kinds of principal. A SPIFFE ID's first path segment is one of these.
const (
	KindAgent  = "agent"  // a task agent
	KindSystem = "system" // orchestrator, ingress, judge
	KindNode   = "node"   // a runtime node's TLS identity
)

const (
	scheme         = "spiffe"
	schemePrefix   = scheme + "://"
	maxNameLen     = 63
	maxTrustDomain = 253
)

// ID is a SPIFFE ID of the form spiffe://<trust-domain>/<kind>/<name>,
// where kind is one of KindAgent, KindSystem or KindNode. The zero ID
// names nobody.
type ID struct {
	TrustDomain string
	Kind        string
	Name        string
}

// AgentID returns the ID of the agent name in trustDomain. It does not
// validate; use ID.Validate or ParseID for that.
func AgentID(trustDomain, name string) ID {
	return ID{TrustDomain: trustDomain, Kind: KindAgent, Name: name}
}

// SystemID returns the ID of a system principal (orchestrator, ingress,
// judge) in trustDomain.
func SystemID(trustDomain, name string) ID {
	return ID{TrustDomain: trustDomain, Kind: KindSystem, Name: name}
}

// NodeID returns the ID of a runtime node in trustDomain, used for node
// TLS certificates.
func NodeID(trustDomain, name string) ID {
	return ID{TrustDomain: trustDomain, Kind: KindNode, Name: name}
}

// String returns the ID as a URI, for example "spiffe://td/agent/intake".
// The zero ID formats as "".
func (id ID) String() string {
	if id.IsZero() {
		return ""
	}
	return schemePrefix + id.TrustDomain + "/" + id.Kind + "/" + id.Name
}

// URL returns the ID as a URL, suitable for a certificate's URI SAN.
// id.URL().String() equals id.String().
func (id ID) URL() *url.URL {
	if id.IsZero() {
		return &url.URL{}
	}
	return &url.URL{Scheme: scheme, Host: id.TrustDomain, Path: "/" + id.Kind + "/" + id.Name}
}

// IsZero reports whether id is the zero ID.
func (id ID) IsZero() bool {
	return id == ID{}
}

// Validate reports whether id satisfies the rules ParseID enforces. The
// error wraps ErrInvalidID.
func (id ID) Validate() error {
	if id.IsZero() {
		return fmt.Errorf("%w: empty ID", ErrInvalidID)
	}
	if err := validTrustDomain(id.TrustDomain); err != nil {
		return err
	}
	if !knownKind(id.Kind) {
		return fmt.Errorf("%w: unknown kind %q (want %s, %s or %s)",
			ErrInvalidID, id.Kind, KindAgent, KindSystem, KindNode)
	}
	if err := ValidName(id.Name); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidID, err)
	}
	return nil
}

// ParseID parses s strictly: the scheme must be "spiffe", the trust domain
// lowercase and DNS-like, the path exactly two segments /<kind>/<name>
// with a known kind and a valid name, and there may be no port, user
// info, query or fragment. Errors wrap ErrInvalidID and say what is wrong.
func ParseID(s string) (ID, error) {
	rest, ok := strings.CutPrefix(s, schemePrefix)
	if !ok {
		return ID{}, fmt.Errorf("%w: %q: scheme must be %q", ErrInvalidID, s, schemePrefix)
	}
	if i := strings.IndexAny(rest, "?#%@:"); i >= 0 {
		return ID{}, fmt.Errorf("%w: %q: character %q not allowed (no port, user info, query, fragment or escapes)",
			ErrInvalidID, s, rest[i])
	}
	td, path, ok := strings.Cut(rest, "/")
	if !ok {
		return ID{}, fmt.Errorf("%w: %q: missing path /<kind>/<name>", ErrInvalidID, s)
	}
	segs := strings.Split(path, "/")
	if len(segs) != 2 {
		return ID{}, fmt.Errorf("%w: %q: path must have exactly two segments /<kind>/<name>, got %d",
			ErrInvalidID, s, len(segs))
	}
	id := ID{TrustDomain: td, Kind: segs[0], Name: segs[1]}
	if err := id.Validate(); err != nil {
		return ID{}, fmt.Errorf("%w (in %q)", err, s)
	}
	return id, nil
}

// ValidName reports whether name is a valid workload name: 1 to 63
// lowercase letters, digits or '-', starting and ending with a letter or
// digit. The error wraps ErrInvalidName and quotes the name.
func ValidName(name string) error {
	if name == "" || len(name) > maxNameLen {
		return fmt.Errorf("%w %q: length must be 1 to %d", ErrInvalidName, name, maxNameLen)
	}
	if err := checkLabel(name); err != "" {
		return fmt.Errorf("%w %q: %s", ErrInvalidName, name, err)
	}
	return nil
}

// validTrustDomain checks a trust domain: lowercase DNS-like labels of
// letters, digits and '-', separated by dots.
func validTrustDomain(td string) error {
	if td == "" {
		return fmt.Errorf("%w: empty trust domain", ErrInvalidID)
	}
	if len(td) > maxTrustDomain {
		return fmt.Errorf("%w: trust domain %q longer than %d", ErrInvalidID, td, maxTrustDomain)
	}
	for label := range strings.SplitSeq(td, ".") {
		if label == "" || len(label) > maxNameLen {
			return fmt.Errorf("%w: trust domain %q: each dot-separated label must be 1 to %d characters",
				ErrInvalidID, td, maxNameLen)
		}
		if err := checkLabel(label); err != "" {
			return fmt.Errorf("%w: trust domain %q: %s", ErrInvalidID, td, err)
		}
	}
	return nil
}

// checkLabel checks s (already length-checked) against
// [a-z0-9]([a-z0-9-]*[a-z0-9])? and describes the first problem, or
// returns "".
func checkLabel(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-':
			if i == 0 || i == len(s)-1 {
				return "must start and end with a letter or digit"
			}
		case c >= 'A' && c <= 'Z':
			return "uppercase letters not allowed"
		default:
			return fmt.Sprintf("character %q not allowed (want a-z, 0-9, '-')", c)
		}
	}
	return ""
}

func knownKind(kind string) bool {
	switch kind {
	case KindAgent, KindSystem, KindNode:
		return true
	}
	return false
}
