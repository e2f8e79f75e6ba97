package actors

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync/atomic"
)

// Restrictions are what the current PACE phase imposes on this node. The
// supervisor sets them from the phase it watches; the pipeline, the sending
// side, the tool gate and task intake read them on every use.
type Restrictions struct {
	Phase string // for messages and the log
	// WritesNeedApproval: every tool call whose effect is not "read" waits for
	// a human (Alternate: temporary reversion to Tier 1 for writes).
	WritesNeedApproval bool
	// OnlyAgent: Contingency. Orchestration is suspended and the only
	// inter-agent traffic allowed is to and from this agent ("" = none), and
	// every tool call of it waits for a human.
	Contingency bool
	OnlyAgent   string
	// Halted: Emergency. Nothing is delivered, no tool runs, no task is accepted.
	Halted bool
	// Degraded: the control plane cannot confirm writes (etcd quorum lost);
	// nothing is auto-approved.
	Degraded bool
}

// ErrSuspended reports work refused because of the PACE phase.
var ErrSuspended = errors.New("actors: suspended by PACE phase")

// Restrict sets the node's restrictions.
func (s *System) Restrict(r Restrictions) { s.restrict.Store(&r) }

// Restrictions returns the node's current restrictions.
func (s *System) Restrictions() Restrictions {
	if r := s.restrict.Load(); r != nil {
		return *r
	}
	return Restrictions{Phase: "primary"}
}

// phaseGuard enforces the phase on the receiving side: in Emergency nothing is
// delivered; in Contingency only traffic to or from the one working agent
// (and the runtime's own principals, which route its tasks) passes.
type phaseGuard struct{ sys *System }

func (phaseGuard) Name() string       { return "phase" }
func (phaseGuard) Controls() []string { return []string{"EC-3.2", "PA-2.6"} }

func (g phaseGuard) Check(in *Inbound) Verdict {
	r := g.sys.Restrictions()
	if v, blocked := phaseVerdict(g.sys.graph, r, in.Header.From, in.Recipient); blocked {
		v.Guard = g.Name()
		return v
	}
	return Verdict{}
}

// phaseVerdict decides a message from→to under restrictions r.
func phaseVerdict(g *Graph, r Restrictions, from, to string) (Verdict, bool) {
	switch {
	case r.Halted:
		return Verdict{Action: Block, Controls: []string{"PA-2.6"}, Reason: "emergency: the node is halted"}, true
	case r.Contingency && !contingencyAllows(g, r.OnlyAgent, from, to):
		return Verdict{Action: Block, Controls: []string{"EC-3.2"},
			Reason: fmt.Sprintf("contingency: inter-agent messages are suspended (only %q works, with the orchestrator)", r.OnlyAgent)}, true
	}
	return Verdict{}, false
}

// contingencyAllows: in Contingency all inter-agent communication is
// disabled; the one working agent exchanges messages only with the runtime's
// own principals (its tasks in, its results out).
func contingencyAllows(g *Graph, only, from, to string) bool {
	switch {
	case g.IsSystem(from) && g.IsSystem(to):
		return true
	case only == "":
		return false
	case from == only:
		return g.IsSystem(to)
	case to == only:
		return g.IsSystem(from)
	}
	return false
}

// routes maps an isolated agent to the backup that stands in for it.
type routes struct {
	m atomic.Pointer[map[string]string]
}

func (r *routes) get(name string) (string, bool) {
	if m := r.m.Load(); m != nil {
		to, ok := (*m)[name]
		return to, ok
	}
	return "", false
}

func (r *routes) set(name, to string) {
	for {
		old := r.m.Load()
		next := map[string]string{}
		if old != nil {
			next = maps.Clone(*old)
		}
		if to == "" {
			delete(next, name)
		} else {
			next[name] = to
		}
		if r.m.CompareAndSwap(old, &next) {
			return
		}
	}
}

// Route sends everything addressed to agent to its backup instead ("route
// its role to the backup", PACE Alternate). An empty backup removes the route.
func (s *System) Route(ctx context.Context, agent, backup string) error {
	if backup != "" && !s.graph.Known(backup) {
		return fmt.Errorf("%w %q", ErrUnknownRecipient, backup)
	}
	s.routes.set(agent, backup)
	return nil
}

// BackupOf returns the backup configured for agent ("" if none).
func (s *System) BackupOf(agent string) string {
	for _, d := range s.defs {
		if d.BackupOf == agent {
			return d.Name
		}
	}
	return ""
}
