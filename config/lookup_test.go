package config

import (
	"testing"
	"time"
)

func validBase(t *testing.T) *Config {
	t.Helper()
	c := base()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAllowed(t *testing.T) {
	c := validBase(t)
	tests := []struct {
		from, to, kind string
		want           bool
	}{
		{"reader", "writer", "data", true},  // default kinds
		{"reader", "writer", "claim", true}, // default kinds
		{"reader", "writer", "instruction", false},
		{"writer", "reader", "verdict", true},
		{"writer", "reader", "data", false}, // explicit kinds replace the default
		{"reader", "reader", "data", false},
		{"ghost", "writer", "data", false},
		{"writer", "reader", "gossip", false},
	}
	for _, tt := range tests {
		if got := c.Allowed(tt.from, tt.to, tt.kind); got != tt.want {
			t.Errorf("Allowed(%s, %s, %s) = %v, want %v", tt.from, tt.to, tt.kind, got, tt.want)
		}
	}
}

func TestAllowedDoesNotAllocate(t *testing.T) {
	c := validBase(t)
	from, to, kind := "reader", "writer", "claim"
	allocs := testing.AllocsPerRun(100, func() {
		if !c.Allowed(from, to, kind) {
			t.Fatal("edge missing")
		}
	})
	if allocs != 0 {
		t.Fatalf("Allowed allocates %v times per call", allocs)
	}
}

func TestAllowedBeforeValidate(t *testing.T) {
	if base().Allowed("reader", "writer", "data") {
		t.Fatal("Allowed() true before Validate")
	}
}

func TestLookups(t *testing.T) {
	c := validBase(t)
	if a, ok := c.Agent("writer"); !ok || a != &c.Agents[1] {
		t.Errorf("Agent(writer) = %v, %v", a, ok)
	}
	if _, ok := c.Agent("ghost"); ok {
		t.Error("Agent(ghost) found")
	}
	if tl, ok := c.Tool("send"); !ok || tl.Effect != "external" {
		t.Errorf("Tool(send) = %v, %v", tl, ok)
	}
	if _, ok := c.Tool("ghost"); ok {
		t.Error("Tool(ghost) found")
	}
}

func TestWorkflowFor(t *testing.T) {
	c := validBase(t)
	c.Workflows = append(c.Workflows, Workflow{Name: "reader", Entry: "writer", Agents: []string{"writer"}})
	tests := []struct {
		target, want string
		ok           bool
	}{
		{"flow", "flow", true},     // by name
		{"writer", "reader", true}, // by entry agent
		{"reader", "reader", true}, // a name match wins over an entry match
		{"nobody", "", false},
	}
	for _, tt := range tests {
		w, ok := c.WorkflowFor(tt.target)
		if ok != tt.ok || (ok && w.Name != tt.want) {
			t.Errorf("WorkflowFor(%s) = %v, %v; want %s, %v", tt.target, w, ok, tt.want, tt.ok)
		}
	}
}

func TestCertTTL(t *testing.T) {
	c := validBase(t)
	c.Identity.DefaultTTL.Duration = time.Hour
	c.Identity.ReadOnlyTTL.Duration = 24 * time.Hour
	tests := []struct {
		name  string
		agent Agent
		want  time.Duration
	}{
		{"read only", Agent{Tools: []string{"search"}}, 24 * time.Hour},
		{"no tools", Agent{}, 24 * time.Hour},
		{"privileged", Agent{Tools: []string{"search", "send"}}, time.Hour},
		{"unknown tool counts as privileged", Agent{Tools: []string{"mystery"}}, time.Hour},
		{"explicit", Agent{Tools: []string{"send"}, CertTTL: Duration{15 * time.Minute}}, 15 * time.Minute},
	}
	for _, tt := range tests {
		if got := c.CertTTL(&tt.agent); got != tt.want {
			t.Errorf("%s: CertTTL = %v, want %v", tt.name, got, tt.want)
		}
	}
}
