package identity

import (
	"bytes"
	"crypto/x509"
	"sync"
	"sync/atomic"
)

// TrustBundle is the set of CA certificates the bus trusts (IA-2.3).
// MemoryBundle is the in-memory implementation; others (for example one
// kept current by a registry watch) implement the same two methods.
//
// Implementations must make Version monotonic and must never report a
// Version older than the Pool they hand out: a Verifier reads Version
// before Pool, and keys its cache on it.
type TrustBundle interface {
	// Pool returns the current roots.
	Pool() *x509.CertPool
	// Version increases whenever the set changes.
	Version() uint64
}

// MemoryBundle is an in-memory TrustBundle. It is safe for concurrent use;
// the zero value is an empty bundle at version 0.
type MemoryBundle struct {
	mu   sync.Mutex // serialises writers
	snap atomic.Pointer[bundleSnapshot]
}

type bundleSnapshot struct {
	certs   []*x509.Certificate
	pool    *x509.CertPool
	version uint64
}

var _ TrustBundle = (*MemoryBundle)(nil)

// NewMemoryBundle returns a bundle holding certs, at version 1.
func NewMemoryBundle(certs ...*x509.Certificate) *MemoryBundle {
	b := &MemoryBundle{}
	b.Set(certs...)
	return b
}

// Set replaces the bundle's certificates with certs (nil entries and
// duplicates are dropped) and increments the version.
func (b *MemoryBundle) Set(certs ...*x509.Certificate) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.publish(appendNew(nil, certs))
}

// Add adds those of certs not already in the bundle. The version
// increments only if something was added.
func (b *MemoryBundle) Add(certs ...*x509.Certificate) {
	b.mu.Lock()
	defer b.mu.Unlock()
	old := b.current()
	merged := appendNew(append([]*x509.Certificate(nil), old.certs...), certs)
	if len(merged) == len(old.certs) {
		return
	}
	b.publish(merged)
}

// Pool returns a copy of the current roots; changing it does not change
// the bundle.
func (b *MemoryBundle) Pool() *x509.CertPool {
	return b.current().pool.Clone()
}

// Version returns the bundle's version, which increases on every change.
func (b *MemoryBundle) Version() uint64 {
	return b.current().version
}

// Certificates returns the bundle's current certificates.
func (b *MemoryBundle) Certificates() []*x509.Certificate {
	return append([]*x509.Certificate(nil), b.current().certs...)
}

func (b *MemoryBundle) current() *bundleSnapshot {
	if s := b.snap.Load(); s != nil {
		return s
	}
	return &bundleSnapshot{pool: x509.NewCertPool()}
}

// publish installs certs as the next version. b.mu must be held.
func (b *MemoryBundle) publish(certs []*x509.Certificate) {
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	next := &bundleSnapshot{certs: certs, pool: pool, version: b.current().version + 1}
	b.snap.Store(next)
}

// appendNew appends to dst the non-nil certificates of add whose DER is
// not already present.
func appendNew(dst, add []*x509.Certificate) []*x509.Certificate {
	for _, c := range add {
		if c == nil || containsCert(dst, c) {
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

func containsCert(certs []*x509.Certificate, c *x509.Certificate) bool {
	for _, have := range certs {
		if bytes.Equal(have.Raw, c.Raw) {
			return true
		}
	}
	return false
}
