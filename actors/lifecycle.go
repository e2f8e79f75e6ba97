package actors

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	"github.com/maso-runtime/maso/identity"
)

// AgentInfo is what the node knows of one of its agents.
type AgentInfo struct {
	Name         string
	Role         string
	Behaviour    string
	Tools        []string
	Clearance    Classification
	BackupOf     string
	State        AgentState
	Reason       string
	Since        time.Time
	CertSerial   string
	CertNotAfter time.Time
}

// Agents lists the node's agents (backups after the agents).
func (s *System) Agents() []AgentInfo {
	out := make([]AgentInfo, 0, len(s.defs))
	for _, d := range s.defs {
		p := s.principals[d.Name]
		info := AgentInfo{Name: d.Name, Role: d.Role, Behaviour: d.Behaviour, Tools: slices.Clone(d.Tools),
			Clearance: d.Clearance, BackupOf: d.BackupOf, State: StateStopped}
		if p != nil {
			st := p.state.load()
			info.State, info.Reason, info.Since = st.state, st.reason, st.since
			if c := p.cred.Load(); c != nil {
				info.CertSerial, info.CertNotAfter = c.Serial, c.NotAfter().UTC()
			}
		}
		out = append(out, info)
	}
	return out
}

// StopAgents stops the orchestrator and with it every agent (the kill switch):
// it returns once every agent actor has stopped, with the number that were
// running. Messages still in flight become dead letters and are recorded.
func (s *System) StopAgents(ctx context.Context, reason string) (int, error) {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	s.cancelAgents() // agents blocked in I/O, approvals or requests give up at once
	running := 0
	for _, d := range s.defs {
		if st := s.StateOf(d.Name); st.Working() {
			running++
		}
		s.principals[d.Name].state.p.Store(&stateInfo{state: StateStopped, reason: reason, since: s.clock().UTC()})
	}
	if s.orch == nil {
		return running, nil
	}
	done := make(chan error, 1)
	go func() { done <- s.as.Root.StopFuture(s.orch).Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return running, fmt.Errorf("actors: stop agents: %w", err)
		}
	case <-ctx.Done():
		return running, ctx.Err()
	}
	s.orch = nil
	s.dir.Delete(Orchestrator)
	for _, d := range s.defs {
		s.dir.Delete(d.Name)
	}
	return running, nil
}

// StartAgents brings the orchestrator and the agents back after StopAgents
// (recovery to Primary), each agent with a fresh key and certificate.
func (s *System) StartAgents(ctx context.Context) error {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	if s.orch != nil {
		return nil
	}
	for _, d := range s.defs {
		if err := s.reissue(ctx, d.Name); err != nil {
			return err
		}
		st := StateActive
		if d.BackupOf != "" {
			st = StateStopped
		}
		s.principals[d.Name].state.p.Store(&stateInfo{state: st, reason: "started", since: s.clock().UTC()})
	}
	if err := s.reissue(ctx, Orchestrator); err != nil {
		return err
	}
	return s.spawnOrchestrator(ctx)
}

// Reissue gives a principal a fresh key and certificate (after a revocation).
func (s *System) Reissue(ctx context.Context, name string) error {
	if _, ok := s.principals[name]; !ok {
		return fmt.Errorf("%w %q", ErrUnknownRecipient, name)
	}
	return s.reissue(ctx, name)
}

func (s *System) reissue(ctx context.Context, name string) error {
	td := s.cfg.TrustDomain
	id, ttl := identity.AgentID(td, name), s.cfg.Identity.DefaultTTL.Duration
	if s.graph.IsSystem(name) {
		id = identity.SystemID(td, name)
	}
	for _, d := range s.defs {
		if d.Name == name {
			ttl = d.CertTTL
		}
	}
	c, err := identity.NewCredential(ctx, s.deps.Issuer, id, ttl)
	if err != nil {
		return fmt.Errorf("actors: reissue credential for %s: %w", name, err)
	}
	s.principals[name].setCredential(c, s.clock())
	return nil
}

// Running reports whether the agents are up (false after StopAgents).
func (s *System) Running() bool {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	return s.orch != nil
}

// AgentSnapshot is one agent's state and private memory at a moment, for
// forensics (PACE Contingency and Emergency).
type AgentSnapshot struct {
	Agent        string            `json:"agent"`
	Node         string            `json:"node"`
	State        AgentState        `json:"state"`
	Reason       string            `json:"reason,omitempty"`
	CertSerial   string            `json:"cert_serial,omitempty"`
	CertNotAfter time.Time         `json:"cert_not_after"`
	Memory       map[string]string `json:"memory"` // values base64
	TakenAt      time.Time         `json:"taken_at"`
}

// Snapshot captures every agent's state and memory.
func (s *System) Snapshot() []AgentSnapshot {
	now := s.clock().UTC()
	var out []AgentSnapshot
	for _, a := range s.Agents() {
		snap := AgentSnapshot{Agent: a.Name, Node: s.node, State: a.State, Reason: a.Reason,
			CertSerial: a.CertSerial, CertNotAfter: a.CertNotAfter, Memory: map[string]string{}, TakenAt: now}
		m := s.principals[a.Name].mem
		for _, k := range m.Keys() {
			v, _ := m.Get(k)
			snap.Memory[k] = base64.StdEncoding.EncodeToString(v)
		}
		out = append(out, snap)
	}
	return out
}

// agentsContext is the context agents' work derives from; StopAgents cancels
// it so no agent stays blocked in a model call, an approval or a request.
func (s *System) agentsContext() context.Context {
	s.agentsMu.Lock()
	defer s.agentsMu.Unlock()
	if s.agentsCtx == nil || s.agentsCtx.Err() != nil {
		s.agentsCtx, s.agentsStop = context.WithCancel(s.ctx)
	}
	return s.agentsCtx
}

func (s *System) cancelAgents() {
	s.agentsMu.Lock()
	defer s.agentsMu.Unlock()
	if s.agentsStop != nil {
		s.agentsStop()
	}
}
