package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/maso-runtime/maso/workload/claims"
)

// Limits of "demo load".
const (
	MaxRate        = 10000
	maxConcurrency = 1024
	drainTimeout   = 30 * time.Second
	pollInterval   = 100 * time.Millisecond
)

// loadFlags are the flags of "demo load".
type loadFlags struct {
	rate        int
	duration    time.Duration
	to          string
	seed        int64
	concurrency int
}

func (a *app) demoLoad(fs *flag.FlagSet) action {
	var f loadFlags
	fs.IntVar(&f.rate, "rate", 10, fmt.Sprintf("claims submitted per second (1..%d)", MaxRate))
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "how long to submit; at most rate × duration claims are sent")
	fs.StringVar(&f.to, "to", "intake", "the workflow or entry `agent` the claims go to")
	fs.Int64Var(&f.seed, "seed", 1, "series of synthetic claims (the same seed gives the same claims)")
	fs.IntVar(&f.concurrency, "concurrency", 16, "most submissions (and task polls) in flight at once")
	return func(ctx context.Context, args []string) error {
		if err := f.check(args); err != nil {
			return err
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		if _, err := c.do(ctx, http.MethodGet, "/v1/health", nil); err != nil {
			return err
		}
		l := &load{c: c, f: f, pending: map[string]struct{}{}, st: loadStats{RejectedByStatus: map[string]int{}}}
		st := l.run(ctx)
		if err := a.printLoad(f, st); err != nil {
			return err
		}
		if st.Rejected > 0 || st.Completed < st.Accepted {
			return fmt.Errorf("%w: not every claim was accepted and completed", ErrFailed)
		}
		return nil
	}
}

func (f loadFlags) check(args []string) error {
	switch {
	case len(args) > 0:
		return usageError("unexpected argument %q", args[0])
	case f.rate < 1 || f.rate > MaxRate:
		return usageError("--rate must be between 1 and %d claims per second, got %d", MaxRate, f.rate)
	case f.duration <= 0:
		return usageError("--duration must be greater than 0 (e.g. 10s), got %v", f.duration)
	case f.total() < 1:
		return usageError("--rate %d for --duration %v sends no claim: rate × duration must be at least 1", f.rate, f.duration)
	case f.concurrency < 1 || f.concurrency > maxConcurrency:
		return usageError("--concurrency must be between 1 and %d, got %d", maxConcurrency, f.concurrency)
	case f.to == "":
		return usageError("--to must name a workflow or entry agent")
	}
	return nil
}

// total is the most claims the run may submit: rate × duration.
func (f loadFlags) total() int { return int(float64(f.rate) * f.duration.Seconds()) }

// load is one "demo load" run.
type load struct {
	c       *client
	f       loadFlags
	mu      sync.Mutex
	pending map[string]struct{} // accepted tasks not yet final
	st      loadStats
}

// run submits at the rate until the duration ends (or rate × duration
// claims went out), then waits up to drainTimeout for the accepted tasks.
func (l *load) run(ctx context.Context) loadStats {
	start := time.Now()
	submitted := make(chan struct{})
	tracked := make(chan struct{})
	go func() {
		defer close(tracked)
		l.track(ctx, submitted)
	}()
	l.submitAll(ctx)
	close(submitted)
	<-tracked
	l.mu.Lock()
	defer l.mu.Unlock()
	l.st.Unfinished = len(l.pending)
	l.st.Elapsed = time.Since(start)
	return l.st
}

// submitAll sends claim i at start + i/rate, with at most concurrency
// requests in flight, and stops at the duration's end.
func (l *load) submitAll(ctx context.Context) {
	window, cancel := context.WithTimeout(ctx, l.f.duration)
	defer cancel()
	tick := time.NewTicker(time.Second / time.Duration(l.f.rate))
	defer tick.Stop()
	sem := make(chan struct{}, l.f.concurrency)
	var wg sync.WaitGroup
	defer wg.Wait()
	for i := range l.f.total() {
		if i > 0 {
			select {
			case <-tick.C:
			case <-window.Done():
				return
			}
		}
		select {
		case sem <- struct{}{}:
		case <-window.Done():
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			l.submit(ctx, i)
		}()
	}
}

// submit posts synthetic claim i and records the outcome.
func (l *load) submit(ctx context.Context, i int) {
	payload, err := json.Marshal(claims.Synthetic(l.f.seed, i))
	id := ""
	if err == nil {
		id, _, err = l.c.submit(ctx, l.f.to, payload)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.st.Submitted++
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		l.st.Rejected++
		l.st.RejectedByStatus[fmt.Sprint(ae.status)]++
	case err != nil:
		l.st.Rejected++
		l.st.RejectedByStatus["error"]++
	default:
		l.st.Accepted++
		l.pending[id] = struct{}{}
	}
}
