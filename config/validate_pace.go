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
		case tool.Effect != "read":
			k.fail(fmt.Sprintf("%s.tools[%d]", p, j), "tool %q has effect %q; a backup starts read-only", t, tool.Effect)
		}
	}
	if b.Behaviour == BehaviourLLM && b.LLM == nil {
		k.fail(p+".llm", "required when behaviour is %q", BehaviourLLM)
	}
}
