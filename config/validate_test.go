package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// base returns a small valid configuration built in code.
func base() *Config {
	return &Config{
		Source: "code",
		Tools: []Tool{
			{Name: "search", Effect: "read"},
			{Name: "send", Effect: "external"},
		},
		Agents: []Agent{
			{Name: "reader", Behaviour: "echo", Tools: []string{"search"},
				TalksTo: []Edge{{Agent: "writer"}}},
			{Name: "writer", Behaviour: "echo", Tools: []string{"search", "send"},
				TalksTo: []Edge{{Agent: "reader", Kinds: []string{"verdict"}}}},
		},
		Workflows: []Workflow{{Name: "flow", Entry: "reader", Agents: []string{"reader", "writer"}}},
	}
}

func TestValidateInCode(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string // empty for valid
	}{
		{"valid", func(*Config) {}, ""},
		{"no agents", func(c *Config) { c.Agents = nil; c.Workflows = nil },
			"code: agents: at least one agent is required"},
		{"negative duration", func(c *Config) { c.Bus.MessageTTL.Duration = -time.Second },
			"code: bus.message_ttl: must be greater than 0, got -1s"},
		{"negative cert ttl", func(c *Config) { c.Agents[0].CertTTL.Duration = -time.Minute },
			"code: agents[0].cert_ttl: must be greater than 0, got -1m"},
		{"payload too big", func(c *Config) { c.Bus.MaxPayloadBytes = MaxPayloadLimit + 1 },
			"code: bus.max_payload_bytes: must be between 1 and 67108864 (64 MiB), got 67108865"},
		{"bad node", func(c *Config) { c.Node = "-node" },
			`code: node: invalid name "-node": use 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit`},
		{"long name", func(c *Config) {
			c.Tools[0].Name = strings.Repeat("a", 65)
			c.Agents[0].Tools = nil
			c.Agents[1].Tools = []string{"send"}
		},
			`code: tools[0].name: invalid tool name "` + strings.Repeat("a", 65) + `": use 1-64 lowercase letters, digits, '_' or '-', starting with a letter`},
		{"issuer", func(c *Config) { c.Identity.Issuer = "ldap" },
			`code: identity.issuer: unknown issuer "ldap" (allowed: builtin, vault)`},
		{"vault issuer", func(c *Config) { c.Identity.Issuer = "vault" }, ""},
		{"traces", func(c *Config) { c.Telemetry.Traces = "otlp" },
			`code: telemetry.traces: unknown traces exporter "otlp" (allowed: none, stdout)`},
		{"runtime", func(c *Config) { c.Tools[0].Runtime = "wasm" },
			`code: tools[0].runtime: unknown runtime "wasm" (allowed: go)`},
		{"effect missing", func(c *Config) { c.Tools[0].Effect = "" },
			`code: tools[0].effect: effect is required (allowed: read, write, delete, execute, external)`},
		{"edge without agent", func(c *Config) { c.Agents[0].TalksTo[0].Agent = "" },
			`code: agents[0].talks_to[0].agent: required`},
		{"entry not member", func(c *Config) { c.Workflows[0].Agents = []string{"writer"} },
			`code: workflows[0].entry: entry agent "reader" is not listed in agents`},
		{"entry missing", func(c *Config) { c.Workflows[0].Entry = "" },
			`code: workflows[0].entry: required`},
		{"duplicate workflow", func(c *Config) { c.Workflows = append(c.Workflows, c.Workflows[0]) },
			`code: workflows[1].name: duplicate workflow name "flow" (first defined at workflows[0].name)`},
		{"reserved admin", func(c *Config) { c.Agents[1].Name = "admin"; c.Agents[0].TalksTo = nil; c.Workflows = nil },
			`code: agents[1].name: name "admin" is reserved for the runtime`},
		{"llm endpoint without host", func(c *Config) {
			c.Agents[0].Behaviour = "llm"
			c.Agents[0].LLM = &LLM{Endpoint: "http:///v1", Model: "m", MaxTokens: -1}
		}, "code: agents[0].llm.endpoint: invalid endpoint \"http:///v1\": want an http or https URL such as http://127.0.0.1:8080/v1\n" +
			"code: agents[0].llm.max_tokens: must not be negative, got -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.mutate(c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Fatalf("Validate() = %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestValidateIdempotent(t *testing.T) {
	c := base()
	for i := range 2 {
		if err := c.Validate(); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	if got := c.Agents[0].TalksTo[0].Kinds; len(got) != 2 {
		t.Fatalf("default kinds = %v, want 2 entries", got)
	}
}

func TestValidateFailureClearsGraph(t *testing.T) {
	c := base()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Agents[0].Tools = []string{"nope"}
	err := c.Validate()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("Validate() = %v, want ErrInvalid", err)
	}
	if c.Allowed("reader", "writer", "data") {
		t.Fatal("Allowed() true after a failed validation")
	}
}

func TestExplicitZeroIsRejected(t *testing.T) {
	data := "bus:\n  max_payload_bytes: 0\n  request_timeout: 0s\nagents:\n  - name: a\n    behaviour: echo\n    cert_ttl: 0s\n"
	_, err := Parse("z.yaml", []byte(data))
	want := "z.yaml:2: bus.max_payload_bytes: must be between 1 and 67108864 (64 MiB), got 0\n" +
		"z.yaml:3: bus.request_timeout: must be greater than 0, got 0s\n" +
		"z.yaml:7: agents[0].cert_ttl: must be greater than 0, got 0s"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant %s", err, want)
	}
}

func TestNullValuesTakeDefaults(t *testing.T) {
	data := "bus:\n  message_ttl: ~\nnode:\nagents:\n  - name: a\n    behaviour: echo\n"
	c, err := Parse("n.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if c.Bus.MessageTTL.Duration != DefaultMessageTTL || c.Node != DefaultNode {
		t.Fatalf("ttl %v node %q, want defaults", c.Bus.MessageTTL, c.Node)
	}
}
