package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/maso-runtime/maso/identity"
)

// AgentState is an agent's lifecycle state as the registry records it.
type AgentState string

// Agent states.
const (
	AgentActive   AgentState = "active"
	AgentPaused   AgentState = "paused"
	AgentIsolated AgentState = "isolated"
	AgentBackup   AgentState = "backup"
	AgentStopped  AgentState = "stopped"
)

// Valid reports whether s is a known state.
func (s AgentState) Valid() bool {
	switch s {
	case AgentActive, AgentPaused, AgentIsolated, AgentBackup, AgentStopped:
		return true
	}
	return false
}

// AgentRecord is the registry's view of one agent. It lives under the
// lease of the node that runs the agent, so it disappears when that node
// does.
type AgentRecord struct {
	Name         string           `json:"name"`
	Role         string           `json:"role"`
	Node         string           `json:"node"`
	State        AgentState       `json:"state"`
	CertSerial   string           `json:"cert_serial,omitempty"`
	CertNotAfter time.Time        `json:"cert_not_after,omitzero"`
	Counters     map[string]int64 `json:"counters,omitempty"`
	UpdatedAt    time.Time        `json:"updated_at"`
	Reason       string           `json:"reason,omitempty"`
}

func checkAgent(a AgentRecord) error {
	if err := identity.ValidName(a.Name); err != nil {
		return fmt.Errorf("%w: agent: %w", ErrInvalid, err)
	}
	if !a.State.Valid() {
		return fmt.Errorf("%w: agent %s: unknown state %q", ErrInvalid, a.Name, a.State)
	}
	return nil
}

// Agents returns every registered agent, ordered by name. Records that
// do not decode are logged and skipped.
func (r *Registry) Agents(ctx context.Context) ([]AgentRecord, error) {
	kvs, _, err := r.getPrefix(ctx, "list agents", dirAgents)
	if err != nil {
		return nil, err
	}
	out := make([]AgentRecord, 0, len(kvs))
	for _, kv := range kvs {
		var a AgentRecord
		if err := decodeJSON(kv.key, kv.value, &a); err != nil {
			r.log.Error("undecodable agent record skipped", "err", err)
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// Agent returns the record of agent name, if registered.
func (r *Registry) Agent(ctx context.Context, name string) (AgentRecord, bool, error) {
	if err := checkSegment("agent name", name); err != nil {
		return AgentRecord{}, false, err
	}
	kv, _, err := r.getOne(ctx, "read agent", r.key(dirAgents, name))
	if err != nil || kv == nil {
		return AgentRecord{}, false, err
	}
	var a AgentRecord
	if err := decodeJSON(kv.key, kv.value, &a); err != nil {
		return AgentRecord{}, false, err
	}
	return a, true, nil
}
