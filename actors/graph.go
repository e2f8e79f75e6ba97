package actors

import (
	"fmt"
	"slices"
)

// Names of the runtime's own principals. They are reserved: no agent may take them.
const (
	Orchestrator = "orchestrator"
	Ingress      = "ingress"
	// JudgeName is the LLM-as-Judge's principal: a supervised actor of its
	// own, separate from the task agents.
	JudgeName = "judge"
)

type edge struct{ from, to string }

// Graph is the communication graph and the scope of every principal: who may
// send which kinds to whom (IA-1.4), each principal's clearance (DP-1.2) and
// tools (EC-1.2). It is immutable once built and safe for concurrent use.
type Graph struct {
	edges     map[edge]uint16 // bit k set: Kind k allowed
	clearance map[string]Classification
	tools     map[string][]string
	system    map[string]bool
}

// GraphAgent is one agent's part of the graph.
type GraphAgent struct {
	Name      string
	Clearance Classification
	Tools     []string
	TalksTo   map[string][]Kind
	BackupOf  string // a backup receives what the agent it stands in for may receive
}

// NewGraph builds a graph from the agents' declared edges and adds the
// runtime's own: ingress → orchestrator (instruction), orchestrator → every
// entry agent (instruction, control) and every agent → orchestrator (control,
// data) for task results.
func NewGraph(agents []GraphAgent, entries []string) (*Graph, error) {
	g := &Graph{
		edges:     map[edge]uint16{},
		clearance: map[string]Classification{Orchestrator: Restricted, Ingress: Restricted, JudgeName: Restricted},
		tools:     map[string][]string{},
		system:    map[string]bool{Orchestrator: true, Ingress: true, JudgeName: true},
	}
	for _, a := range agents {
		if g.system[a.Name] {
			return nil, fmt.Errorf("actors: agent name %q is reserved for the runtime", a.Name)
		}
		g.clearance[a.Name] = a.Clearance
		g.tools[a.Name] = slices.Clone(a.Tools)
		g.allow(a.Name, Orchestrator, KindControl, KindData)
	}
	for _, a := range agents {
		for to, kinds := range a.TalksTo {
			if _, ok := g.clearance[to]; !ok {
				return nil, fmt.Errorf("actors: agent %q talks to unknown agent %q", a.Name, to)
			}
			g.allow(a.Name, to, kinds...)
		}
	}
	for _, e := range entries {
		if _, ok := g.tools[e]; !ok {
			return nil, fmt.Errorf("actors: workflow entry %q is not an agent", e)
		}
		g.allow(Orchestrator, e, KindInstruction, KindControl)
	}
	g.allow(Ingress, Orchestrator, KindInstruction)
	g.allow(Ingress, JudgeName, KindData) // evaluation requests; verdicts are replies
	g.inheritInbound(agents)
	return g, nil
}

// inheritInbound gives each backup the inbound edges of the agent it stands
// in for, so traffic routed to the backup passes the graph.
func (g *Graph) inheritInbound(agents []GraphAgent) {
	for _, b := range agents {
		if b.BackupOf == "" {
			continue
		}
		for e, m := range g.edges {
			if e.to == b.BackupOf {
				g.edges[edge{e.from, b.Name}] |= m
			}
		}
	}
}

func (g *Graph) allow(from, to string, kinds ...Kind) {
	m := g.edges[edge{from, to}]
	for _, k := range kinds {
		m |= 1 << k
	}
	g.edges[edge{from, to}] = m
}

// Allowed reports whether from may send kind to to.
func (g *Graph) Allowed(from, to string, kind Kind) bool {
	return g.edges[edge{from, to}]&(1<<kind) != 0
}

// Known reports whether name is a principal of the graph.
func (g *Graph) Known(name string) bool {
	_, ok := g.clearance[name]
	return ok
}

// IsSystem reports whether name is one of the runtime's own principals.
func (g *Graph) IsSystem(name string) bool { return g.system[name] }

// Clearance is the highest classification name may receive (zero if unknown).
func (g *Graph) Clearance(name string) Classification { return g.clearance[name] }

// Permits reports whether agent may use tool by its own scope.
func (g *Graph) Permits(agent, tool string) bool {
	return slices.Contains(g.tools[agent], tool)
}

// Tools returns the tools agent may use by its own scope.
func (g *Graph) Tools(agent string) []string { return slices.Clone(g.tools[agent]) }
