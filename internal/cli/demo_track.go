package cli

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/maso-runtime/maso/actors"
)

// loadStats is the outcome of a "demo load" run.
type loadStats struct {
	Submitted        int            `json:"submitted"`
	Accepted         int            `json:"accepted"`
	Rejected         int            `json:"rejected"`
	RejectedByStatus map[string]int `json:"rejected_by_status"`
	Completed        int            `json:"completed"`
	Failed           int            `json:"failed"`
	Blocked          int            `json:"blocked"`
	Unfinished       int            `json:"unfinished"`
	Elapsed          time.Duration  `json:"-"`
	latencies        []time.Duration
}

// track polls the pending tasks every pollInterval until submission has
// ended and none is pending, or drainTimeout after submission ended.
func (l *load) track(ctx context.Context, submitted <-chan struct{}) {
	var drainBy <-chan time.Time
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		l.pollPending(ctx)
		if drainBy != nil && l.pendingCount() == 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-drainBy:
			return
		case <-submitted:
			submitted, drainBy = nil, time.After(drainTimeout)
		case <-tick.C:
		}
	}
}

func (l *load) pendingCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.pending)
}

// pollPending fetches every pending task once, concurrency at a time, and
// records those that reached a final state.
func (l *load) pollPending(ctx context.Context) {
	l.mu.Lock()
	ids := make([]string, 0, len(l.pending))
	for id := range l.pending {
		ids = append(ids, id)
	}
	l.mu.Unlock()
	sem := make(chan struct{}, l.f.concurrency)
	var wg sync.WaitGroup
	for _, id := range ids {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var v actors.TaskView
			if _, err := l.c.getJSON(ctx, taskPath(id), &v); err == nil && v.State.Terminal() {
				l.finished(id, v)
			}
		}()
	}
	wg.Wait()
}

// finished records a final task: its state and its latency from
// acceptance to final state, as the node timed them.
func (l *load) finished(id string, v actors.TaskView) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.pending[id]; !ok {
		return
	}
	delete(l.pending, id)
	switch v.State {
	case actors.TaskCompleted:
		l.st.Completed++
	case actors.TaskBlocked:
		l.st.Blocked++
	default:
		l.st.Failed++
	}
	l.st.latencies = append(l.st.latencies, v.UpdatedAt.Sub(v.CreatedAt))
}

// percentile returns the nearest-rank p-th percentile (0 < p <= 1).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

// printLoad prints the outcome, as text or (--json) as one object.
func (a *app) printLoad(f loadFlags, st loadStats) error {
	lat := slices.Clone(st.latencies)
	slices.Sort(lat)
	p50, p99 := percentile(lat, 0.50), percentile(lat, 0.99)
	if a.g.json {
		return writeJSONTo(a.stdout, struct {
			Rate           int     `json:"rate"`
			Duration       string  `json:"duration"`
			To             string  `json:"to"`
			Seed           int64   `json:"seed"`
			ElapsedSeconds float64 `json:"elapsed_seconds"`
			loadStats
			LatencyP50Ms float64 `json:"latency_p50_ms"`
			LatencyP99Ms float64 `json:"latency_p99_ms"`
		}{f.rate, f.duration.String(), f.to, f.seed, st.Elapsed.Seconds(), st, ms(p50), ms(p99)})
	}
	fmt.Fprintf(a.stdout, "demo load: %d claims/s for %v to %s (seed %d, concurrency %d)\n",
		f.rate, f.duration, f.to, f.seed, f.concurrency)
	tw := tabwriter.NewWriter(a.stdout, 0, 8, 1, ' ', 0)
	fmt.Fprintf(tw, "submitted:\t%d\n", st.Submitted)
	fmt.Fprintf(tw, "accepted:\t%d\n", st.Accepted)
	fmt.Fprintf(tw, "rejected:\t%d%s\n", st.Rejected, byStatus(st.RejectedByStatus))
	fmt.Fprintf(tw, "completed:\t%d\n", st.Completed)
	fmt.Fprintf(tw, "failed:\t%d\n", st.Failed)
	fmt.Fprintf(tw, "blocked:\t%d\n", st.Blocked)
	fmt.Fprintf(tw, "unfinished:\t%d\n", st.Unfinished)
	fmt.Fprintf(tw, "latency:\tp50 %v, p99 %v (acceptance to final state, %d tasks)\n",
		p50.Round(time.Microsecond), p99.Round(time.Microsecond), len(lat))
	return tw.Flush()
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// byStatus formats rejections by status, e.g. " (413: 2, error: 1)".
func byStatus(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	s := " ("
	for i, k := range keys {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s: %d", k, m[k])
	}
	return s + ")"
}
