package judge

import (
	"context"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// thresholdCalls records OnThreshold calls.
type thresholdCalls struct {
	mu    sync.Mutex
	calls []string
	n     []int
}

func (c *thresholdCalls) on(agent string, blocks int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, agent)
	c.n = append(c.n, blocks)
}

func (c *thresholdCalls) get() ([]string, []int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.calls...), append([]int(nil), c.n...)
}

// blockedBy is a request that the rules block with certainty.
func blockedBy(agent string) Request {
	r := msg("claim", cleanClaim)
	r.Agent, r.TaskSpecHash, r.ClaimedSpecHash = agent, "h1", "tampered"
	return r
}

func TestBlockThreshold(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := &fakeClock{now: t0}
	calls := &thresholdCalls{}
	j := newTestJudge(t, Config{Clock: clock.Now, OnThreshold: calls.on})
	at := func(d time.Duration, r Request) {
		clock.set(t0.Add(d))
		if v := j.Evaluate(context.Background(), r); r.TaskSpecHash != "" && v.Decision != Block {
			t.Fatalf("setup: %s was not blocked", r.Agent)
		}
	}
	// Three blocks of "rogue" and three of "other", interleaved: no call.
	for i := range 3 {
		at(time.Duration(i)*time.Minute, blockedBy("rogue"))
		at(time.Duration(i)*time.Minute, blockedBy("other"))
	}
	// Flags and approvals of "rogue" do not count.
	flagged := msg("claim", cleanClaim)
	flagged.Agent, flagged.Provenance = "rogue", Provenance{Source: "agent-generated", Verified: true}
	at(3*time.Minute, flagged)
	if got, _ := calls.get(); len(got) != 0 {
		t.Fatalf("OnThreshold called for %v after 3 blocks each", got)
	}
	// The fourth block of "rogue" within 10 minutes: one call.
	at(9*time.Minute, blockedBy("rogue"))
	agents, blocks := calls.get()
	if len(agents) != 1 || agents[0] != "rogue" || blocks[0] != 4 {
		t.Fatalf("OnThreshold calls = %v %v, want [rogue] [4]", agents, blocks)
	}
	// The count starts again: a fifth block does not call again.
	at(9*time.Minute+time.Second, blockedBy("rogue"))
	if agents, _ := calls.get(); len(agents) != 1 {
		t.Fatalf("OnThreshold called again right after firing: %v", agents)
	}
}

func TestBlockThresholdWindowSlides(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := &fakeClock{now: t0}
	calls := &thresholdCalls{}
	j := newTestJudge(t, Config{Clock: clock.Now, OnThreshold: calls.on})
	// A block every 4 minutes: never more than 3 within 10 minutes.
	for i := range 8 {
		clock.set(t0.Add(time.Duration(i) * 4 * time.Minute))
		j.Evaluate(context.Background(), blockedBy("slow"))
	}
	if agents, _ := calls.get(); len(agents) != 0 {
		t.Fatalf("OnThreshold called for blocks spread outside the window: %v", agents)
	}
	// Blocks without an agent are never counted.
	for range 5 {
		j.Evaluate(context.Background(), blockedBy(""))
	}
	if agents, _ := calls.get(); len(agents) != 0 {
		t.Fatalf("OnThreshold called for anonymous blocks: %v", agents)
	}
}

func TestBlockThresholdConfigured(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	calls := &thresholdCalls{}
	j := newTestJudge(t, Config{Clock: clock.Now, OnThreshold: calls.on, BlockThreshold: 1, BlockWindow: time.Minute})
	j.Evaluate(context.Background(), blockedBy("a"))
	clock.set(clock.Now().Add(time.Minute))
	j.Evaluate(context.Background(), blockedBy("a"))
	if agents, _ := calls.get(); len(agents) != 0 {
		t.Fatalf("blocks exactly one window apart counted together: %v", agents)
	}
	clock.set(clock.Now().Add(59 * time.Second))
	j.Evaluate(context.Background(), blockedBy("a"))
	if agents, blocks := calls.get(); len(agents) != 1 || blocks[0] != 2 {
		t.Fatalf("OnThreshold calls = %v %v, want one call with 2 blocks", agents, blocks)
	}
}
