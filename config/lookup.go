package config

import "time"

// edge is one allowed (sender, recipient, kind) triple.
type edge struct{ from, to, kind string }

// buildGraph indexes every agent's talks_to edges.
func buildGraph(agents []Agent) map[edge]struct{} {
	g := make(map[edge]struct{})
	for _, a := range agents {
		for _, e := range a.TalksTo {
			for _, k := range e.Kinds {
				g[edge{a.Name, e.Agent, k}] = struct{}{}
			}
		}
	}
	return g
}

// Allowed reports whether agent from may send a message of kind to agent
// to. It is an O(1), allocation-free lookup in the graph that [Config.Validate]
// builds; it reports false for everything until Validate has succeeded.
func (c *Config) Allowed(from, to, kind string) bool {
	_, ok := c.graph[edge{from, to, kind}]
	return ok
}

// Agent returns the agent called name.
func (c *Config) Agent(name string) (*Agent, bool) {
	for i := range c.Agents {
		if c.Agents[i].Name == name {
			return &c.Agents[i], true
		}
	}
	return nil, false
}

// Tool returns the tool called name.
func (c *Config) Tool(name string) (*Tool, bool) {
	for i := range c.Tools {
		if c.Tools[i].Name == name {
			return &c.Tools[i], true
		}
	}
	return nil, false
}

// WorkflowFor returns the workflow named target or, failing that, the
// first workflow whose entry agent is target.
func (c *Config) WorkflowFor(target string) (*Workflow, bool) {
	for i := range c.Workflows {
		if c.Workflows[i].Name == target {
			return &c.Workflows[i], true
		}
	}
	for i := range c.Workflows {
		if c.Workflows[i].Entry == target {
			return &c.Workflows[i], true
		}
	}
	return nil, false
}

// CertTTL returns the certificate lifetime of a (IA-2.2): its own cert_ttl
// if set; otherwise Identity.DefaultTTL when any of its tools has an
// effect other than read (or is unknown), else Identity.ReadOnlyTTL.
func (c *Config) CertTTL(a *Agent) time.Duration {
	if a.CertTTL.Duration > 0 {
		return a.CertTTL.Duration
	}
	for _, name := range a.Tools {
		if t, ok := c.Tool(name); !ok || t.Effect != "read" {
			return c.Identity.DefaultTTL.Duration
		}
	}
	return c.Identity.ReadOnlyTTL.Duration
}
