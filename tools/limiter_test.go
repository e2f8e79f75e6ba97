package tools

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLimiterDefaultHundredPerHour(t *testing.T) {
	t.Parallel()
	clk := newClock()
	l := NewLimiter(0, clk.Now)
	for i := range 100 {
		if ok, _ := l.Allow("intake"); !ok {
			t.Fatalf("call %d refused", i+1)
		}
		clk.Advance(30 * time.Second) // 100 calls over 50 minutes
	}
	ok, retry := l.Allow("intake")
	if ok {
		t.Fatal("call 101 within the hour allowed")
	}
	// The first call was 50 minutes ago: it leaves the window in 10.
	if retry != 10*time.Minute {
		t.Fatalf("retryAfter = %v, want 10m", retry)
	}
	wantErr(t, l.Take("intake"), ErrRateLimited, `agent "intake" made 100 calls in the last hour; retry in 10m0s`)
	if ok, _ := l.Allow("assessor"); !ok {
		t.Fatal("another agent is throttled")
	}
	clk.Advance(retry - time.Nanosecond)
	if ok, _ := l.Allow("intake"); ok {
		t.Fatal("allowed before retryAfter")
	}
	clk.Advance(time.Nanosecond)
	if ok, _ := l.Allow("intake"); !ok {
		t.Fatal("refused at retryAfter")
	}
	if ok, _ := l.Allow("intake"); ok {
		t.Fatal("the window slid by more than one call")
	}
}

func TestLimiterSlidingNotFixedWindow(t *testing.T) {
	t.Parallel()
	clk := newClock()
	l := NewLimiter(10, clk.Now)
	clk.Advance(59 * time.Minute)
	for range 10 {
		l.Allow("a")
	}
	// A fixed hourly window would reset here; a sliding one does not.
	clk.Advance(2 * time.Minute)
	if ok, retry := l.Allow("a"); ok || retry != 58*time.Minute {
		t.Fatalf("Allow = %v, %v; want refused for 58m", ok, retry)
	}
}

func TestLimiterConcurrent(t *testing.T) {
	t.Parallel()
	l := NewLimiter(100, newClock().Now)
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			for range 10 {
				if ok, _ := l.Allow("a"); ok {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if allowed.Load() != 100 {
		t.Fatalf("allowed %d of 500 concurrent calls, want 100", allowed.Load())
	}
}
