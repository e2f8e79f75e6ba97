package admin

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownRole reports a role name that is not one of viewer, operator,
// security or ciso.
var ErrUnknownRole = errors.New("admin: unknown role")

// Role is what a caller may do. Roles are ordered: each may do everything
// the ones below it may. The zero Role may do nothing.
type Role int

// Roles, least to most privileged.
const (
	Viewer   Role = iota + 1 // reads status, agents, tasks and the audit report
	Operator                 // also submits tasks
	Security                 // also takes security actions (PACE Alternate to Contingency)
	CISO                     // everything, including Emergency and recovery
)

var roleNames = map[Role]string{Viewer: "viewer", Operator: "operator", Security: "security", CISO: "ciso"}

// String returns the role's name, such as "operator".
func (r Role) String() string {
	if s, ok := roleNames[r]; ok {
		return s
	}
	return fmt.Sprintf("role(%d)", int(r))
}

// ParseRole returns the role with the given name (case-insensitive).
func ParseRole(s string) (Role, error) {
	for r, name := range roleNames {
		if strings.EqualFold(s, name) {
			return r, nil
		}
	}
	return 0, fmt.Errorf("%w %q (want viewer, operator, security or ciso)", ErrUnknownRole, s)
}

// Authenticator maps a bearer token to a role.
type Authenticator interface {
	// Authenticate returns the token's role, or false if the token is
	// not known.
	Authenticate(token string) (Role, bool)
}

type staticToken struct {
	sum  [sha256.Size]byte
	role Role
	ok   bool
}

// StaticToken is an Authenticator that knows one token, with one role. It
// compares in constant time (over SHA-256 digests, so the token's length
// does not show either). An empty token authenticates no one.
func StaticToken(token string, role Role) Authenticator {
	return staticToken{sum: sha256.Sum256([]byte(token)), role: role, ok: token != ""}
}

func (s staticToken) Authenticate(token string) (Role, bool) {
	sum := sha256.Sum256([]byte(token))
	if subtle.ConstantTimeCompare(sum[:], s.sum[:]) != 1 || !s.ok || token == "" {
		return 0, false
	}
	return s.role, true
}
