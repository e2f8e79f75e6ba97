package config

import (
	"fmt"
	"net/url"
	"slices"
)

// pace checks the PACE settings and the agents' backups.
func (k *checker) pace() {
	p := k.c.PACE
	if a := p.ContingencyAgent; a != "" {
		if _, ok := k.c.Agent(a); !ok {
			k.fail("pace.contingency_agent", "unknown agent %q", a)
		}
	}
	k.positive("pace.alternate_timeout", p.AlternateTimeout)
	k.positive("pace.breaker_window", p.BreakerWindow)
	k.positive("pace.approval_timeout", p.ApprovalTimeout)
	if p.BreakerThreshold < 1 {
		k.fail("pace.breaker_threshold", "must be at least 1, got %d", p.BreakerThreshold)
	}
	if p.Webhook != "" {
		if u, err := url.Parse(p.Webhook); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			k.fail("pace.webhook", "invalid webhook %q: want an http or https URL", p.Webhook)
		}
	}
	for i := range k.c.Agents {
		k.backup(i)
	}
	k.classification()
	k.judge()
	k.limits()
	k.mcpServers()
	for i, e := range k.c.Etcd.Endpoints {
		if u, err := url.Parse(e); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			k.fail(fmt.Sprintf("etcd.endpoints[%d]", i), "invalid endpoint %q: want http(s)://host:port", e)
		}
	}
}

// backup checks one agent's backup: read-only tools from the agent's own
// scope, and a name that does not collide with another agent.
func (k *checker) backup(i int) {
	a := &k.c.Agents[i]
	b := a.Backup
	if b == nil {
		return
	}
	p := fmt.Sprintf("agents[%d].backup", i)
	if _, clash := k.c.Agent(BackupName(a.Name)); clash {
		k.fail(p, "the backup runs as %q, which is already an agent's name", BackupName(a.Name))
	}
	for j, t := range b.Tools {
		tool, ok := k.c.Tool(t)
		switch {
		case !ok:
			k.fail(fmt.Sprintf("%s.tools[%d]", p, j), "unknown tool %q", t)
		case !slices.Contains(a.Tools, t):
			k.fail(fmt.Sprintf("%s.tools[%d]", p, j), "tool %q is not in the agent's own tools; a backup never has more scope", t)
		case tool.Effect != "read" && tool.Manifest == "":
			// (a tool with a signed manifest is checked against it at start)
			k.fail(fmt.Sprintf("%s.tools[%d]", p, j), "tool %q has effect %q; a backup starts read-only", t, tool.Effect)
		}
	}
	if b.Behaviour == BehaviourLLM && b.LLM == nil {
		k.fail(p+".llm", "required when behaviour is %q", BehaviourLLM)
	}
}

func (k *checker) classification() {
	c := k.c.Classification
	if c.Tier < 1 || c.Tier > 3 {
		k.fail("classification.tier", "must be 1, 2 or 3, got %d", c.Tier)
	}
	seen := map[string]string{}
	for i, r := range c.Rules {
		p := fmt.Sprintf("classification.rules[%d]", i)
		if k.required(p+".name", r.Name) {
			k.unique(p+".name", "rule", r.Name, seen)
		}
		k.required(p+".when", r.When)
		k.oneOf(p+".decision", "decision", r.Decision, []string{"auto", "escalate", "block"})
	}
}

func (k *checker) limits() {
	l := k.c.Limits
	if l.RatePerHour < 1 {
		k.fail("limits.rate_per_hour", "must be at least 1, got %d", l.RatePerHour)
	}
	k.positive("limits.window", l.Window)
	for name, c := range map[string]Caps{"limits.per_task": l.PerTask, "limits.per_agent": l.PerAgent} {
		if c.Records < 0 || c.Money < 0 || c.ExternalCalls < 0 {
			k.fail(name, "caps must not be negative")
		}
	}
}

func (k *checker) mcpServers() {
	seen := map[string]string{}
	for i, s := range k.c.MCPServers {
		p := fmt.Sprintf("mcp_servers[%d]", i)
		if k.name(p+".name", s.Name) {
			k.unique(p+".name", "MCP server", s.Name, seen)
		}
		switch {
		case (len(s.Command) == 0) == (s.URL == ""):
			k.fail(p, "give exactly one of command (a stdio server) and url (an HTTP server)")
		case s.URL != "":
			if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				k.fail(p+".url", "invalid url %q: want http(s)://host[:port]/path", s.URL)
			}
		}
	}
}

// RuleLine is the line of a classification rule in the source (0 if unknown).
func (c *Config) RuleLine(i int) int {
	return c.pos.line(fmt.Sprintf("classification.rules[%d].when", i))
}

func (k *checker) judge() {
	j := k.c.Judge
	for kind, f := range j.Sampling {
		if !slices.Contains(MessageKinds, kind) {
			k.fail("judge.sampling."+kind, "unknown message kind %q", kind)
		} else if f < 0 || f > 1 {
			k.fail("judge.sampling."+kind, "must be between 0 and 1, got %g", f)
		}
	}
	if j.LLM != nil {
		k.llmSettings("judge.llm", j.LLM)
	}
}
