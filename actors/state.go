package actors

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/maso-runtime/maso/audit"
)

// AgentState is where an agent is in its life, as the registry shows it.
type AgentState string

// Agent states. Only active and backup agents send, receive and call tools.
const (
	StateActive   AgentState = "active"
	StatePaused   AgentState = "paused"   // circuit breaker tripped or an operator paused it (EC-2.4)
	StateIsolated AgentState = "isolated" // PACE isolation: off the bus, tools suspended
	StateBackup   AgentState = "backup"   // a backup standing in for an isolated agent
	StateStopped  AgentState = "stopped"
)

// Valid reports whether s is a known state.
func (s AgentState) Valid() bool {
	switch s {
	case StateActive, StatePaused, StateIsolated, StateBackup, StateStopped:
		return true
	}
	return false
}

// Working reports whether an agent in this state may use the bus and tools.
func (s AgentState) Working() bool { return s == StateActive || s == StateBackup }

type stateInfo struct {
	state  AgentState
	reason string
	since  time.Time
}

// agentState holds a principal's state; read on every message, so lock-free.
type agentState struct{ p atomic.Pointer[stateInfo] }

func (a *agentState) load() *stateInfo {
	if s := a.p.Load(); s != nil {
		return s
	}
	return &stateInfo{state: StateActive}
}

// Breaker counts failures per agent (guard blocks of what the agent sent or
// called, and panics) and says when one trips (EC-2.4).
type Breaker interface {
	Record(agent string, at time.Time) (tripped bool)
}

// StateOf returns a principal's state ("" for names this node does not host).
func (s *System) StateOf(name string) AgentState {
	p, ok := s.principals[name]
	if !ok {
		return ""
	}
	return p.state.load().state
}

// StateReason returns why a principal is in its state, and since when.
func (s *System) StateReason(name string) (string, time.Time) {
	p, ok := s.principals[name]
	if !ok {
		return "", time.Time{}
	}
	st := p.state.load()
	return st.reason, st.since
}

// SetState moves an agent to a state and records it in the decision log.
func (s *System) SetState(ctx context.Context, name string, st AgentState, reason, by string, controls ...string) error {
	p, ok := s.principals[name]
	if !ok || s.graph.IsSystem(name) {
		return fmt.Errorf("%w %q: not an agent of this node", ErrUnknownRecipient, name)
	}
	if !st.Valid() {
		return fmt.Errorf("actors: unknown agent state %q", st)
	}
	prev := p.state.load()
	p.state.p.Store(&stateInfo{state: st, reason: reason, since: s.clock().UTC()})
	ev := audit.Event{Type: "agent.state", Verdict: "pass", Controls: controls, Reason: reason, Agent: name,
		Node: s.node, Attrs: map[string]string{"from": string(prev.state), "to": string(st), "by": by}}
	if err := s.rec.Event(ctx, ev); err != nil {
		s.log.Error("decision log append failed", "err", err)
	}
	if s.deps.OnState != nil {
		s.deps.OnState(name, st, reason)
	}
	return nil
}

// stateGuard refuses messages to or from an agent that is not working:
// paused by its circuit breaker (EC-2.4) or isolated by PACE.
type stateGuard struct{ sys *System }

func (stateGuard) Name() string       { return "state" }
func (stateGuard) Controls() []string { return []string{"EC-2.4"} }

func (g stateGuard) Check(in *Inbound) Verdict {
	for _, name := range [2]string{in.Header.From, in.Recipient} {
		if st := g.sys.StateOf(name); st != "" && !st.Working() && !g.sys.graph.IsSystem(name) {
			reason, _ := g.sys.StateReason(name)
			return block(g, fmt.Sprintf("%s is %s: %s", name, st, reason))
		}
	}
	return Verdict{}
}

// countFailure feeds the circuit breaker and pauses an agent that trips it.
func (s *System) countFailure(agent, why string) {
	if s.deps.Breaker == nil || s.graph.IsSystem(agent) || s.StateOf(agent) == "" {
		return
	}
	if !s.deps.Breaker.Record(agent, s.clock()) {
		return
	}
	if !s.StateOf(agent).Working() {
		return
	}
	reason := "circuit breaker tripped: " + why
	_ = s.SetState(s.ctx, agent, StatePaused, reason, "breaker", "EC-2.4")
	if s.deps.OnTrip != nil {
		s.deps.OnTrip(agent, reason)
	}
}
