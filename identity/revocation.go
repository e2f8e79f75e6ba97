package identity

import (
	"slices"
	"strings"
	"sync"
)

// RevocationSet holds revoked certificate serials in SerialString form
// (IA-T2.4, IA-3.4). Verifier consults it on every call.
type RevocationSet interface {
	// IsRevoked reports whether serial is revoked. It is called once per
	// message and must be cheap.
	IsRevoked(serial string) bool
	// Revoke adds serial to the set.
	Revoke(serial string)
}

// MemoryRevocations is an in-memory RevocationSet, safe for concurrent
// use. The zero value is an empty set.
type MemoryRevocations struct {
	mu      sync.RWMutex
	serials map[string]struct{}
}

var _ RevocationSet = (*MemoryRevocations)(nil)

// NewMemoryRevocations returns an empty set.
func NewMemoryRevocations() *MemoryRevocations {
	return &MemoryRevocations{}
}

// IsRevoked reports whether serial, in the lowercase form SerialString
// produces, is revoked.
func (r *MemoryRevocations) IsRevoked(serial string) bool {
	r.mu.RLock()
	_, ok := r.serials[serial]
	r.mu.RUnlock()
	return ok
}

// Revoke adds serial. Surrounding space is trimmed and hex digits are
// lowercased, so a serial written in upper case still matches.
func (r *MemoryRevocations) Revoke(serial string) {
	serial = strings.ToLower(strings.TrimSpace(serial))
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.serials == nil {
		r.serials = make(map[string]struct{})
	}
	r.serials[serial] = struct{}{}
}

// Serials returns the revoked serials, sorted.
func (r *MemoryRevocations) Serials() []string {
	r.mu.RLock()
	out := make([]string, 0, len(r.serials))
	for s := range r.serials {
		out = append(out, s)
	}
	r.mu.RUnlock()
	slices.Sort(out)
	return out
}
