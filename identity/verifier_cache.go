package identity

import (
	"crypto/x509"
	"sync"
)

// verifyCache holds the successful chain verifications made against one
// version of the trust bundle. It is bounded and evicts in insertion
// order.
type verifyCache struct {
	version uint64
	pool    *x509.CertPool
	size    int

	mu      sync.RWMutex
	entries map[[32]byte]*cacheEntry
	ring    [][32]byte // insertion order; ring[next] is evicted next when full
	next    int
}

func newVerifyCache(version uint64, pool *x509.CertPool, size int) *verifyCache {
	if pool == nil {
		// A nil pool would make x509 fall back to the system roots.
		pool = x509.NewCertPool()
	}
	return &verifyCache{
		version: version,
		pool:    pool,
		size:    size,
		entries: make(map[[32]byte]*cacheEntry),
	}
}

// cacheFor returns the cache for bundle version ver, replacing the
// shared cache when ver is newer. A caller that read an older version
// than the shared cache gets a private, throwaway cache.
func (v *Verifier) cacheFor(ver uint64) *verifyCache {
	cur := v.cache.Load()
	if cur != nil && cur.version == ver {
		return cur
	}
	size := v.CacheSize
	if size <= 0 {
		size = DefaultVerifyCacheSize
	}
	fresh := newVerifyCache(ver, v.Bundle.Pool(), size)
	if cur != nil && cur.version > ver {
		return fresh
	}
	if v.cache.CompareAndSwap(cur, fresh) {
		return fresh
	}
	if now := v.cache.Load(); now != nil && now.version == ver {
		return now
	}
	return fresh
}

func (c *verifyCache) get(fp [32]byte) *cacheEntry {
	c.mu.RLock()
	e := c.entries[fp]
	c.mu.RUnlock()
	return e
}

func (c *verifyCache) put(fp [32]byte, e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[fp]; ok {
		c.entries[fp] = e
		return
	}
	if len(c.ring) < c.size {
		c.ring = append(c.ring, fp)
	} else {
		delete(c.entries, c.ring[c.next])
		c.ring[c.next] = fp
		c.next = (c.next + 1) % c.size
	}
	c.entries[fp] = e
}

// len reports the number of cached entries.
func (c *verifyCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
