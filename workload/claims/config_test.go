package claims

import (
	"slices"
	"testing"
	"time"
)

func TestDefaultConfig(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatalf("claims.yaml does not parse:\n%v", err)
	}
	if cfg.TrustDomain != "claims.maso.local" || cfg.Node != "node-1" {
		t.Fatalf("trust domain %q node %q", cfg.TrustDomain, cfg.Node)
	}
	effects := map[string]string{ToolRegisterClaim: "write", ToolLookupPolicy: "read", ToolStageLetter: "write"}
	for name, effect := range effects {
		tool, ok := cfg.Tool(name)
		if !ok || tool.Effect != effect {
			t.Errorf("tool %s: %+v, want effect %s", name, tool, effect)
		}
	}
	if len(cfg.Tools) != len(effects) {
		t.Errorf("%d tools configured, want %d", len(cfg.Tools), len(effects))
	}
	wf, ok := cfg.WorkflowFor("claims")
	if !ok || wf.Entry != "intake" || wf.Timeout.Duration != 2*time.Minute ||
		!slices.Equal(wf.Agents, []string{"intake", "analysis", "communication"}) {
		t.Fatalf("workflow %+v", wf)
	}
}

func TestDefaultConfigMatchesWorkload(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	w := New()
	behaviours, tools := w.Behaviours(), w.Tools()
	for _, tool := range cfg.Tools {
		if tools[tool.Name] == nil {
			t.Errorf("configured tool %s has no implementation", tool.Name)
		}
	}
	for _, a := range cfg.Agents {
		if behaviours[a.Behaviour] == nil {
			t.Errorf("agent %s runs unregistered behaviour %s", a.Name, a.Behaviour)
		}
		if a.Clearance != "restricted" {
			t.Errorf("agent %s cleared for %s, want restricted (health claims)", a.Name, a.Clearance)
		}
		if !slices.Equal(a.Tools, agentTools[a.Behaviour]) {
			t.Errorf("agent %s tools %v, want %v", a.Name, a.Tools, agentTools[a.Behaviour])
		}
	}
	edges := []struct {
		from, to, kind string
		want           bool
	}{
		{"intake", "analysis", "claim", true},
		{"analysis", "communication", "claim", true},
		{"intake", "analysis", "instruction", false},
		{"intake", "analysis", "data", false},
		{"analysis", "intake", "claim", false},
		{"communication", "intake", "claim", false},
		{"intake", "communication", "claim", false},
	}
	for _, e := range edges {
		if got := cfg.Allowed(e.from, e.to, e.kind); got != e.want {
			t.Errorf("Allowed(%s, %s, %s) = %v, want %v", e.from, e.to, e.kind, got, e.want)
		}
	}
}
