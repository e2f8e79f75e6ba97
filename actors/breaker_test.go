package actors

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWindowBreaker(t *testing.T) {
	b := NewWindowBreaker(3, 10*time.Minute)
	t0 := time.Unix(1_700_000_000, 0)
	steps := []struct {
		at   time.Duration
		trip bool
	}{
		{0, false}, {time.Minute, false},
		{10*time.Minute + 30*time.Second, false}, // the first has left the window
		{10*time.Minute + 50*time.Second, true},  // 1m, 10m30s, 10m50s: three within 10m
		{11 * time.Minute, false},                // counting starts again after a trip
	}
	for i, s := range steps {
		if got := b.Record("a", t0.Add(s.at)); got != s.trip {
			t.Fatalf("step %d at %s: tripped=%v, want %v", i, s.at, got, s.trip)
		}
	}
	if b.Record("other", t0) {
		t.Fatal("agents share a count")
	}
}

// TestCircuitBreakerPausesAgent: EC-2.4. Three guard blocks of one agent's
// messages within the window pause it: it can no longer send, receive or call
// tools, the pause is in the decision log, and P→A is proposed.
func TestCircuitBreakerPausesAgent(t *testing.T) {
	var mu sync.Mutex
	var tripped []string
	e := newEnv(t, func(d *Deps) {
		d.Breaker = NewWindowBreaker(3, 10*time.Minute)
		d.OnTrip = func(agent, reason string) { mu.Lock(); tripped = append(tripped, agent+": "+reason); mu.Unlock() }
	})
	for i := 0; i < 3; i++ { // carol → alice is off the graph
		h := e.header("carol", "alice", KindData)
		e.inject("alice", Seal(e.cred("carol"), &h, []byte(`{}`)))
		e.rejected("alice", func(d *Decision) bool { return d.Header != nil && d.Header.ID == h.ID })
	}
	waitUntil(t, func() bool { return e.sys.StateOf("carol") == StatePaused })
	waitUntil(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(tripped) > 0 })
	mu.Lock()
	if len(tripped) != 1 || !strings.HasPrefix(tripped[0], "carol: circuit breaker tripped") {
		t.Fatalf("OnTrip calls %v", tripped)
	}
	mu.Unlock()
	if e.sys.StateOf("alice") != StateActive {
		t.Fatal("the recipient was paused instead of the sender")
	}
	// A paused agent's messages are refused on both sides, and its tools suspended.
	h := e.header("carol", "bob", KindData)
	e.inject("bob", Seal(e.cred("carol"), &h, []byte(`{}`)))
	d := e.rejected("bob", func(d *Decision) bool { return d.Header != nil && d.Header.ID == h.ID })
	if d.Verdict.Guard != "state" || !contains(d.Verdict.Controls, "EC-2.4") {
		t.Fatalf("verdict %+v", d.Verdict)
	}
	if _, err := e.sys.tools.call(context.Background(), "carol", Task{}, "read_x", nil); !errors.Is(err, ErrToolDenied) || !strings.Contains(err.Error(), "paused") {
		t.Fatalf("paused agent's tool call: %v", err)
	}
	// Resuming restores it.
	if err := e.sys.SetState(context.Background(), "carol", StateActive, "reviewed", "operator"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sys.tools.call(context.Background(), "carol", Task{}, "read_x", nil); err != nil {
		t.Fatalf("resumed agent's tool call: %v", err)
	}
}

// TestPanicsCountTowardTheBreaker: panics are failures the breaker counts;
// below the threshold the agent keeps working.
func TestPanicsCountTowardTheBreaker(t *testing.T) {
	e := newEnv(t, func(d *Deps) { d.Breaker = NewWindowBreaker(3, 10*time.Minute) })
	e.box.handle("alice", func(ctx Context, m Message) error { panic("behaviour bug") })
	for i := 0; i < 2; i++ {
		if _, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, func() bool { return e.sys.deps.Breaker.(*WindowBreaker).Count("alice", time.Now()) == 2 })
	if e.sys.StateOf("alice") != StateActive {
		t.Fatal("paused below the threshold")
	}
	if _, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return e.sys.StateOf("alice") == StatePaused })
}
