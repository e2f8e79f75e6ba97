package claims

import (
	"slices"

	"github.com/maso-runtime/maso/tools"
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
	effects := map[string]string{ToolRegisterClaim: "write", ToolLookupPolicy: "read", ToolStageLetter: "write",
		ToolRecordAssessment: "write", ToolSendLetter: "external"}
	keys, err := Files.ReadFile("manifests/tool-signing.pub")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := tools.ParsePublicKey(keys)
	if err != nil {
		t.Fatal(err)
	}
	for name, effect := range effects {
		tool, ok := cfg.Tool(name)
		if !ok || tool.Manifest == "" {
			t.Fatalf("tool %s: %+v, want a signed manifest", name, tool)
		}
		b, err := Files.ReadFile(tool.Manifest)
		if err != nil {
			t.Fatal(err)
		}
		sm, err := tools.DecodeSigned(b)
		if err != nil {
			t.Fatal(err)
		}
		if err := tools.Verify(sm, tools.Keys(pub)); err != nil || string(sm.Manifest.Effect) != effect {
			t.Errorf("manifest of %s: effect %s, verify %v; want effect %s and a valid signature", name, sm.Manifest.Effect, err, effect)
		}
	}
	if len(cfg.Tools) != len(effects) {
		t.Errorf("%d tools configured, want %d", len(cfg.Tools), len(effects))
	}
	wf, ok := cfg.WorkflowFor("claims")
	if !ok || wf.Entry != "intake" || wf.Timeout.Duration != 20*time.Minute ||
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
