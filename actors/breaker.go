package actors

import (
	"sync"
	"time"
)

// WindowBreaker is the default circuit breaker: it trips for an agent when
// Threshold failures fall within Window (EC-2.4: 3 guardrail blocks in 10
// minutes by default). After a trip the agent's count starts again, so a
// resumed agent gets the full allowance before it trips once more.
type WindowBreaker struct {
	Threshold int           // default 3
	Window    time.Duration // default 10m

	mu    sync.Mutex
	fails map[string][]time.Time
}

// NewWindowBreaker returns a breaker with the given threshold and window
// (zero values take the defaults).
func NewWindowBreaker(threshold int, window time.Duration) *WindowBreaker {
	return &WindowBreaker{Threshold: threshold, Window: window}
}

// Record counts one failure of agent at the given time and reports whether
// the breaker tripped.
func (b *WindowBreaker) Record(agent string, at time.Time) bool {
	threshold, window := b.limits()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fails == nil {
		b.fails = map[string][]time.Time{}
	}
	kept := b.fails[agent][:0]
	for _, t := range b.fails[agent] {
		if at.Sub(t) < window {
			kept = append(kept, t)
		}
	}
	kept = append(kept, at)
	if len(kept) >= threshold {
		delete(b.fails, agent)
		return true
	}
	b.fails[agent] = kept
	return false
}

// Count is the number of failures of agent inside the window ending at now.
func (b *WindowBreaker) Count(agent string, now time.Time) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, window := b.limits()
	n := 0
	for _, t := range b.fails[agent] {
		if now.Sub(t) < window {
			n++
		}
	}
	return n
}

func (b *WindowBreaker) limits() (int, time.Duration) {
	threshold, window := b.Threshold, b.Window
	if threshold <= 0 {
		threshold = 3
	}
	if window <= 0 {
		window = 10 * time.Minute
	}
	return threshold, window
}
