package judge

import (
	"sync"
	"time"
)

// blockCounter counts blocks per agent within a sliding window and reports
// an agent that goes over the threshold (EC-2.4; PACE P→A).
type blockCounter struct {
	window    time.Duration
	threshold int
	notify    func(agent string, blocks int)

	mu    sync.Mutex
	times map[string][]time.Time
}

func newBlockCounter(window time.Duration, threshold int, notify func(string, int)) *blockCounter {
	return &blockCounter{window: window, threshold: threshold, notify: notify, times: make(map[string][]time.Time)}
}

// record counts one block of agent at time at. When the agent has more
// than threshold blocks within the window, it returns that number, calls
// notify and starts the agent's count again; otherwise it returns 0.
func (b *blockCounter) record(agent string, at time.Time) int {
	if agent == "" {
		return 0
	}
	b.mu.Lock()
	kept := b.times[agent][:0]
	for _, t := range b.times[agent] {
		if at.Sub(t) < b.window {
			kept = append(kept, t)
		}
	}
	kept = append(kept, at)
	n := len(kept)
	if n > b.threshold {
		delete(b.times, agent)
	} else {
		b.times[agent] = kept
	}
	b.mu.Unlock()
	if n <= b.threshold {
		return 0
	}
	if b.notify != nil {
		b.notify(agent, n)
	}
	return n
}
