package tools

import (
	"fmt"
	"sync"
	"time"
)

// DefaultCallsPerHour is the per-agent rate MASO recommends (EC-1.3).
const DefaultCallsPerHour = 100

// rateWindow is the length of the limiter's sliding window.
const rateWindow = time.Hour

// Limiter is a sliding-window rate limiter per agent (EC-1.3): at most
// perHour calls in any 60-minute window. It keeps the time of each call
// in the window, so a burst cannot straddle a fixed boundary. A Limiter is
// safe for concurrent use.
type Limiter struct {
	limit int
	clock func() time.Time

	mu    sync.Mutex
	calls map[string][]time.Time // oldest first, all within the window
}

// NewLimiter returns a limiter allowing perHour calls per agent per hour;
// perHour <= 0 means [DefaultCallsPerHour]. A nil clock means time.Now.
func NewLimiter(perHour int, clock func() time.Time) *Limiter {
	if perHour <= 0 {
		perHour = DefaultCallsPerHour
	}
	if clock == nil {
		clock = time.Now
	}
	return &Limiter{limit: perHour, clock: clock, calls: map[string][]time.Time{}}
}

// Allow records a call by agent if it is within the rate. Otherwise it
// records nothing and reports how long until a call would be allowed.
func (l *Limiter) Allow(agent string) (ok bool, retryAfter time.Duration) {
	now := l.clock()
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := expire(l.calls[agent], now.Add(-rateWindow))
	if len(ts) >= l.limit {
		l.calls[agent] = ts
		return false, ts[len(ts)-l.limit].Add(rateWindow).Sub(now)
	}
	l.calls[agent] = append(ts, now)
	return true, 0
}

// Take is [Limiter.Allow] as an error wrapping [ErrRateLimited].
func (l *Limiter) Take(agent string) error {
	if ok, wait := l.Allow(agent); !ok {
		return fmt.Errorf("%w: agent %q made %d calls in the last hour; retry in %s",
			ErrRateLimited, agent, l.limit, wait.Round(time.Second))
	}
	return nil
}

// expire drops the times at or before cutoff, reusing the slice.
func expire(ts []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(cutoff) {
		i++
	}
	if i == 0 {
		return ts
	}
	return ts[:copy(ts, ts[i:])]
}
