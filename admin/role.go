package admin

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"

	"github.com/maso-runtime/maso/supervisor"
)

// ErrUnknownRole reports a role name that is not one of viewer, operator,
// security or ciso.
var ErrUnknownRole = errors.New("admin: unknown role")

// Role is what a caller may do: the supervisor's role, so that the admin
// API, the PACE controller and the token store share one vocabulary. Roles
// are ordered: each may do everything the ones below it may. The zero Role
// may do nothing.
type Role = supervisor.Role

// Roles, least to most privileged.
const (
	Viewer   = supervisor.Viewer   // reads status, agents, tasks, phase, approvals and the audit report
	Operator = supervisor.Operator // also submits tasks, decides approvals, isolates agents, asks for phase changes
	Security = supervisor.Security // also resumes and revokes agents and takes P→A and A→C
	CISO     = supervisor.CISO     // everything: the kill switch, recovery, tokens
)

// ParseRole returns the role with the given name (case-insensitive),
// delegating to supervisor.ParseRole. Its error wraps ErrUnknownRole.
func ParseRole(s string) (Role, error) {
	r, err := supervisor.ParseRole(s)
	if err != nil {
		return 0, fmt.Errorf("%w %q (want viewer, operator, security or ciso)", ErrUnknownRole, s)
	}
	return r, nil
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

// TokenStore looks bearer tokens up; *node.Node is one (its tokens are
// stored hashed in etcd and watched into memory).
type TokenStore interface {
	Authenticate(token string) (supervisor.Role, bool)
}

type runtimeAuth struct{ store TokenStore }

// RuntimeAuth is the Authenticator of a running node: it asks the node's
// token store, so tokens made with POST /v1/tokens (on any node of the
// cluster) authenticate, and the bootstrap token in <data-dir>/admin.token
// has the ciso role. An empty token, or a role outside viewer..ciso,
// authenticates no one.
func RuntimeAuth(store TokenStore) Authenticator { return runtimeAuth{store} }

func (a runtimeAuth) Authenticate(token string) (Role, bool) {
	if a.store == nil || token == "" {
		return 0, false
	}
	role, ok := a.store.Authenticate(token)
	if !ok || role < Viewer || role > CISO {
		return 0, false
	}
	return role, true
}
