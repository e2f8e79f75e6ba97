package tools

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestBlastPerTaskCap(t *testing.T) {
	t.Parallel()
	b := NewBlast(Caps{Records: 100, Money: 10000}, Caps{}, time.Hour, newClock().Now)
	f, err := b.Reserve("payments", "t1", CapUsage{Records: 40, Money: 2000})
	if err != nil || f != 0.4 {
		t.Fatalf("Reserve = %v, %v; want 0.4", f, err)
	}
	f, err = b.Reserve("payments", "t1", CapUsage{Records: 10, Money: 4000})
	if err != nil || f != 0.6 {
		t.Fatalf("Reserve = %v, %v; want 0.6 (money 6000 of 10000)", f, err)
	}
	f, err = b.Reserve("payments", "t1", CapUsage{Money: 4500})
	wantErr(t, err, ErrCapExceeded, `agent "payments" task "t1": per-task money cap 10000, this call would bring it to 10500`)
	if f <= 1 {
		t.Fatalf("fraction of a refused call = %v, want > 1", f)
	}
	var ce *CapError
	if !errors.As(err, &ce) || ce.Scope != "per-task" || ce.Cap != "money" || ce.Limit != 10000 || ce.Would != 10500 {
		t.Fatalf("CapError = %+v", ce)
	}
	// Nothing of the refused call was recorded.
	if inTask, _ := b.Usage("payments", "t1"); inTask != (CapUsage{Records: 50, Money: 6000}) {
		t.Fatalf("usage after refusal = %+v", inTask)
	}
	// Another task and another agent have caps of their own.
	if _, err := b.Reserve("payments", "t2", CapUsage{Money: 9000}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Reserve("refunds", "t1", CapUsage{Money: 9000}); err != nil {
		t.Fatal(err)
	}
	b.EndTask("t1")
	if inTask, _ := b.Usage("payments", "t1"); inTask != (CapUsage{}) {
		t.Fatalf("usage after EndTask = %+v", inTask)
	}
}

func TestBlastPerAgentWindow(t *testing.T) {
	t.Parallel()
	clk := newClock()
	b := NewBlast(Caps{}, Caps{ExternalCalls: 3}, time.Hour, clk.Now)
	for i, task := range []string{"a", "b", "c"} {
		if _, err := b.Reserve("notifier", task, CapUsage{ExternalCalls: 1}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		clk.Advance(10 * time.Minute)
	}
	_, err := b.Reserve("notifier", "d", CapUsage{ExternalCalls: 1})
	wantErr(t, err, ErrCapExceeded, "per-agent (per 1h) external_calls cap 3, this call would bring it to 4")
	var ce *CapError
	if !errors.As(err, &ce) || ce.Window != time.Hour {
		t.Fatalf("CapError = %+v", ce)
	}
	if _, inWindow := b.Usage("notifier", "d"); inWindow.ExternalCalls != 3 {
		t.Fatalf("window usage = %+v, want 3 external calls", inWindow)
	}
	clk.Advance(30 * time.Minute) // the first call (60m ago) leaves the window
	f, err := b.Reserve("notifier", "d", CapUsage{ExternalCalls: 1})
	if err != nil || f != 1 {
		t.Fatalf("Reserve after the window slid = %v, %v; want 1", f, err)
	}
}

func TestBlastFractionIsHighestOfAllCaps(t *testing.T) {
	t.Parallel()
	b := NewBlast(Caps{Records: 1000}, Caps{Money: 100}, time.Hour, nil)
	f, err := b.Reserve("a", "t", CapUsage{Records: 100, Money: 55})
	if err != nil || f != 0.55 {
		t.Fatalf("fraction = %v, %v; want 0.55 from the per-agent money cap", f, err)
	}
}

func TestBlastRejectsBadUsage(t *testing.T) {
	t.Parallel()
	b := NewBlast(Caps{Records: 10}, Caps{}, 0, nil)
	for _, u := range []CapUsage{{Records: -1}, {Money: -0.01}, {ExternalCalls: -2}} {
		if _, err := b.Reserve("a", "t", u); err == nil {
			t.Errorf("usage %+v accepted", u)
		}
	}
	if _, err := b.Reserve("a", "", CapUsage{Records: 1}); err == nil {
		t.Error("empty task accepted")
	}
}

func TestBlastConcurrent(t *testing.T) {
	t.Parallel()
	b := NewBlast(Caps{}, Caps{Records: 100}, time.Hour, newClock().Now)
	var ok atomic.Int64
	var wg sync.WaitGroup
	for g := range 20 {
		wg.Go(func() {
			for range 10 {
				if _, err := b.Reserve("a", string(rune('a'+g)), CapUsage{Records: 1}); err == nil {
					ok.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if ok.Load() != 100 {
		t.Fatalf("%d reservations succeeded, want 100", ok.Load())
	}
}
