package actors

import (
	"hash/maphash"
	"sync"
	"time"
)

const replayShards = 32

// ReplayCache remembers accepted message IDs per recipient until they expire,
// so a captured envelope cannot be delivered twice (IA-2.3). Entries expire with
// the envelope (plus skew): after that the freshness guard refuses it anyway.
type ReplayCache struct {
	seed   maphash.Seed
	shards [replayShards]replayShard
}

type replayKey struct {
	recipient string
	id        [16]byte
}

type replayShard struct {
	mu      sync.Mutex
	seen    map[replayKey]int64 // unix nanos until which the id is remembered
	inserts int
}

// NewReplayCache returns an empty cache.
func NewReplayCache() *ReplayCache {
	c := &ReplayCache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].seen = map[replayKey]int64{}
	}
	return c
}

// FirstSeen records id for recipient and reports whether it was new.
func (c *ReplayCache) FirstSeen(recipient string, id [16]byte, until, now time.Time) bool {
	s := &c.shards[maphash.Bytes(c.seed, id[:])%replayShards]
	k := replayKey{recipient, id}
	s.mu.Lock()
	defer s.mu.Unlock()
	if exp, ok := s.seen[k]; ok && exp >= now.UnixNano() {
		return false
	}
	s.seen[k] = until.UnixNano()
	s.inserts++
	if s.inserts >= 1024 {
		s.inserts = 0
		s.sweep(now.UnixNano())
	}
	return true
}

func (s *replayShard) sweep(now int64) {
	for k, exp := range s.seen {
		if exp < now {
			delete(s.seen, k)
		}
	}
}

// Len is the number of remembered ids (for tests and metrics).
func (c *ReplayCache) Len() int {
	n := 0
	for i := range c.shards {
		c.shards[i].mu.Lock()
		n += len(c.shards[i].seen)
		c.shards[i].mu.Unlock()
	}
	return n
}
