package registry

import (
	"context"
	"strings"
	"sync"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// TokenCache is an in-memory copy of the token records, kept current by
// a watch, for hot-path lookups (the admin API). While etcd is
// unreachable it keeps serving what it last saw.
type TokenCache struct {
	r      *Registry
	mu     sync.RWMutex
	byHash map[string]TokenRecord
}

// WatchTokens loads every token record and follows changes until ctx
// ends. It returns once the initial load is done.
func (r *Registry) WatchTokens(ctx context.Context) (*TokenCache, error) {
	c := &TokenCache{r: r, byHash: map[string]TokenRecord{}}
	err := r.follow(ctx, follower{
		name:  "tokens",
		key:   r.key(dirTokens),
		opts:  []clientv3.OpOption{clientv3.WithPrefix()},
		load:  c.load,
		apply: c.apply,
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Lookup returns the record of token, if the cache holds it.
func (c *TokenCache) Lookup(token string) (TokenRecord, bool) {
	if token == "" {
		return TokenRecord{}, false
	}
	h := tokenHash(token)
	c.mu.RLock()
	defer c.mu.RUnlock()
	rec, ok := c.byHash[h]
	return rec, ok
}

// Len returns the number of cached tokens.
func (c *TokenCache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.byHash)
}

func (c *TokenCache) load(ctx context.Context) (int64, error) {
	kvs, rev, err := c.r.getPrefix(ctx, "load tokens", dirTokens)
	if err != nil {
		return 0, err
	}
	m := make(map[string]TokenRecord, len(kvs))
	for _, kv := range kvs {
		if h, rec, ok := c.decode(kv.key, kv.value); ok {
			m[h] = rec
		}
	}
	c.mu.Lock()
	c.byHash = m
	c.mu.Unlock()
	return rev, nil
}

func (c *TokenCache) apply(_ context.Context, evs []*clientv3.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ev := range evs {
		key := string(ev.Kv.Key)
		if ev.Type == mvccpb.DELETE {
			delete(c.byHash, strings.TrimPrefix(key, c.r.key(dirTokens)))
			continue
		}
		h, rec, ok := c.decode(key, ev.Kv.Value)
		if !ok {
			delete(c.byHash, h) // fail closed: a broken record authenticates nobody
			continue
		}
		c.byHash[h] = rec
	}
	return nil
}

// decode returns the hash and record stored at key. A record that does
// not decode is left out (the token then does not authenticate).
func (c *TokenCache) decode(key string, value []byte) (string, TokenRecord, bool) {
	h := strings.TrimPrefix(key, c.r.key(dirTokens))
	var rec TokenRecord
	if err := decodeJSON(key, value, &rec); err != nil {
		c.r.log.Error("undecodable token record skipped", "err", err)
		return h, TokenRecord{}, false
	}
	return h, rec, true
}
