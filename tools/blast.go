package tools

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// Caps are blast-radius limits (EC-2.3). A zero (or negative) field is
// no cap.
type Caps struct {
	// Records caps the records read or changed.
	Records int
	// Money caps the amount moved, in the workload's currency.
	Money float64
	// ExternalCalls caps calls that reach another party.
	ExternalCalls int
}

// CapUsage is what one call uses, or what has been used so far.
type CapUsage struct {
	Records       int
	Money         float64
	ExternalCalls int
}

func (u CapUsage) sub(v CapUsage) CapUsage {
	return CapUsage{Records: u.Records - v.Records, Money: u.Money - v.Money, ExternalCalls: u.ExternalCalls - v.ExternalCalls}
}

func (u CapUsage) add(v CapUsage) CapUsage {
	return CapUsage{u.Records + v.Records, u.Money + v.Money, u.ExternalCalls + v.ExternalCalls}
}

// CapError reports which cap a call would breach. It wraps
// [ErrCapExceeded]; breaching a cap escalates PACE (EC-2.3).
type CapError struct {
	Agent, Task string
	// Scope is "per-task" or "per-agent".
	Scope string
	// Cap is "records", "money" or "external_calls".
	Cap string
	// Limit is the cap; Would is what the call would have brought the
	// usage to.
	Limit, Would float64
	// Window is the per-agent window; zero for per-task caps.
	Window time.Duration
}

func (e *CapError) Error() string {
	scope := e.Scope
	if e.Window > 0 {
		scope += " (per " + Duration{e.Window}.String() + ")"
	}
	return fmt.Sprintf("%v: agent %q task %q: %s %s cap %g, this call would bring it to %g",
		ErrCapExceeded, e.Agent, e.Task, scope, e.Cap, e.Limit, e.Would)
}

// Unwrap returns [ErrCapExceeded].
func (e *CapError) Unwrap() error { return ErrCapExceeded }

// Blast enforces blast-radius caps per agent per task and per agent over
// a sliding window (EC-2.3). It is safe for concurrent use.
type Blast struct {
	perTask, perAgent Caps
	window            time.Duration
	clock             func() time.Time

	mu     sync.Mutex
	tasks  map[string]map[string]CapUsage // task -> agent -> usage
	agents map[string][]usageEvent        // agent -> uses in the window, oldest first
	sums   map[string]CapUsage            // agent -> sum of its uses in the window
}

type usageEvent struct {
	at time.Time
	u  CapUsage
}

// NewBlast returns caps of perTask per agent per task and perAgent per
// agent within any window. A nil clock means time.Now; window <= 0 means
// one hour.
func NewBlast(perTask, perAgent Caps, window time.Duration, clock func() time.Time) *Blast {
	if window <= 0 {
		window = time.Hour
	}
	if clock == nil {
		clock = time.Now
	}
	return &Blast{perTask: perTask, perAgent: perAgent, window: window, clock: clock,
		tasks: map[string]map[string]CapUsage{}, agents: map[string][]usageEvent{}, sums: map[string]CapUsage{}}
}

// Reserve records the usage of one call by agent in task if it fits every
// cap. Otherwise nothing is recorded and the error, a [*CapError], names
// the cap, its limit and what the call would bring the usage to. fraction
// is the highest used/limit ratio over all caps after the call (or what it
// would have been); the classifier escalates above 0.5.
func (b *Blast) Reserve(agent, task string, u CapUsage) (fraction float64, err error) {
	if err := checkUsage(u); err != nil {
		return 0, err
	}
	if task == "" {
		return 0, errors.New("tools: blast: a task id is required")
	}
	now := b.clock()
	b.mu.Lock()
	defer b.mu.Unlock()
	events := b.prune(agent, now)
	inTask := b.tasks[task][agent].add(u)
	inWindow := b.sums[agent].add(u)
	fraction, ce := measure(b.perTask, inTask)
	f, ce2 := measure(b.perAgent, inWindow)
	fraction = math.Max(fraction, f)
	if ce == nil && ce2 != nil {
		ce2.Scope, ce2.Window = "per-agent", b.window
		ce = ce2
	}
	if ce != nil {
		ce.Agent, ce.Task = agent, task
		return fraction, ce
	}
	if b.tasks[task] == nil {
		b.tasks[task] = map[string]CapUsage{}
	}
	b.tasks[task][agent] = inTask
	if b.perAgent != (Caps{}) {
		b.agents[agent] = append(events, usageEvent{at: now, u: u})
		b.sums[agent] = inWindow
	}
	return fraction, nil
}

// Usage reports agent's usage in task and within the current window.
func (b *Blast) Usage(agent, task string) (inTask, inWindow CapUsage) {
	now := b.clock()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.prune(agent, now)
	return b.tasks[task][agent], b.sums[agent]
}

// EndTask forgets the per-task usage of a finished task. The per-agent
// window is unaffected.
func (b *Blast) EndTask(task string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.tasks, task)
}

// prune drops agent's uses older than the window; b.mu is held.
func (b *Blast) prune(agent string, now time.Time) []usageEvent {
	ev := b.agents[agent]
	cutoff := now.Add(-b.window)
	i := 0
	sum := b.sums[agent]
	for i < len(ev) && !ev[i].at.After(cutoff) {
		sum = sum.sub(ev[i].u)
		i++
	}
	ev = ev[:copy(ev, ev[i:])]
	if len(ev) == 0 {
		delete(b.agents, agent)
		delete(b.sums, agent)
	} else {
		b.agents[agent], b.sums[agent] = ev, sum
	}
	return ev
}

// measure returns the highest used/limit ratio and the first cap the
// usage breaches (scope "per-task"; the caller relabels).
func measure(c Caps, u CapUsage) (float64, *CapError) {
	dims := []struct {
		name         string
		limit, would float64
	}{
		{"records", float64(c.Records), float64(u.Records)},
		{"money", c.Money, u.Money},
		{"external_calls", float64(c.ExternalCalls), float64(u.ExternalCalls)},
	}
	var frac float64
	var ce *CapError
	for _, d := range dims {
		if d.limit <= 0 {
			continue
		}
		frac = math.Max(frac, d.would/d.limit)
		if d.would > d.limit && ce == nil {
			ce = &CapError{Scope: "per-task", Cap: d.name, Limit: d.limit, Would: d.would}
		}
	}
	return frac, ce
}

func checkUsage(u CapUsage) error {
	if u.Records < 0 || u.ExternalCalls < 0 || u.Money < 0 || math.IsNaN(u.Money) || math.IsInf(u.Money, 0) {
		return fmt.Errorf("tools: blast: usage must be finite and non-negative, got %+v", u)
	}
	return nil
}
