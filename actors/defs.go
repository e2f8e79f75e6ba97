package actors

import (
	"fmt"
	"time"

	"github.com/maso-runtime/maso/config"
)

// agentDef is one agent this node hosts: a configured agent or the backup of
// one (PACE Alternate).
type agentDef struct {
	Name      string
	Role      string
	Behaviour string
	Tools     []string
	Clearance Classification
	Settings  map[string]string
	LLM       *config.LLM
	CertTTL   time.Duration
	BackupOf  string // set for a backup: the agent it stands in for
	TalksTo   map[string][]Kind
}

// agentDefs derives the agents of a config, backups after the agents.
func agentDefs(cfg *config.Config) ([]agentDef, error) {
	var defs, backups []agentDef
	for i := range cfg.Agents {
		a := &cfg.Agents[i]
		cl, err := ParseClassification(a.Clearance)
		if err != nil {
			return nil, fmt.Errorf("actors: agent %s: %w", a.Name, err)
		}
		talks, err := edgesOf(a)
		if err != nil {
			return nil, err
		}
		d := agentDef{Name: a.Name, Role: a.Role, Behaviour: a.Behaviour, Tools: a.Tools, Clearance: cl,
			Settings: a.Settings, LLM: a.LLM, CertTTL: cfg.CertTTL(a), TalksTo: talks}
		defs = append(defs, d)
		if b := a.Backup; b != nil {
			backups = append(backups, agentDef{Name: config.BackupName(a.Name), Role: a.Role + " (backup)",
				Behaviour: b.Behaviour, Tools: b.Tools, Clearance: cl, Settings: a.Settings, LLM: b.LLM,
				CertTTL: cfg.Identity.ReadOnlyTTL.Duration, BackupOf: a.Name, TalksTo: talks})
		}
	}
	return append(defs, backups...), nil
}

func edgesOf(a *config.Agent) (map[string][]Kind, error) {
	out := map[string][]Kind{}
	for _, e := range a.TalksTo {
		for _, k := range e.Kinds {
			kind, err := ParseKind(k)
			if err != nil {
				return nil, fmt.Errorf("actors: agent %s talks_to %s: %w", a.Name, e.Agent, err)
			}
			out[e.Agent] = append(out[e.Agent], kind)
		}
	}
	return out, nil
}

// graphFromDefs builds the communication graph: the agents' own edges, the
// workflows' entries, and for each backup the edges of the agent it stands in
// for, in both directions.
func graphFromDefs(defs []agentDef, cfg *config.Config) (*Graph, error) {
	agents := make([]GraphAgent, 0, len(defs))
	for _, d := range defs {
		agents = append(agents, GraphAgent{Name: d.Name, Clearance: d.Clearance, Tools: d.Tools, TalksTo: d.TalksTo, BackupOf: d.BackupOf})
	}
	entries := make([]string, 0, len(cfg.Workflows))
	for _, w := range cfg.Workflows {
		entries = append(entries, w.Entry)
	}
	return NewGraph(agents, entries)
}
