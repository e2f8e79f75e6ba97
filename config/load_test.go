package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadInvalidFiles(t *testing.T) {
	tests := []struct {
		file string
		want []string // one "line: field: message" per error, file prefix added
	}{
		{"unknown_top.yaml", []string{`2: agentz: unknown field "agentz"`}},
		{"unknown_nested.yaml", []string{`7: agents[0].toolz: unknown field "toolz"`}},
		{"type_list.yaml", []string{`7: agents[0].tools: expected a list, got "search"`}},
		{"type_scalar.yaml", []string{
			`2: bus.message_ttl: invalid duration: "abc" (use a form such as "90s" or "1h30m")`,
			`3: bus.max_payload_bytes: expected an integer, got "lots"`,
			`7: agents[0].settings: expected a mapping, got a list`,
			`8: agents[0].llm: expected a mapping, got "enabled"`,
		}},
		{"dup_key.yaml", []string{`4: agents[0].behaviour: duplicate key "behaviour" (first set on line 3)`}},
		{"dup_name.yaml", []string{
			`4: tools[1].name: duplicate tool name "search" (first defined at line 2)`,
			`9: agents[1].name: duplicate agent name "a" (first defined at line 7)`,
		}},
		{"reserved.yaml", []string{
			`2: agents[0].name: name "orchestrator" is reserved for the runtime (IA-2.5: the orchestrator only routes and holds no tools)`,
			`4: agents[1].name: name "judge" is reserved for the runtime`,
		}},
		{"unknown_tool.yaml", []string{`11: agents[1].tools[0]: unknown tool "foo"`}},
		{"unknown_peer.yaml", []string{
			`5: agents[0].talks_to[0].agent: unknown agent "ghost"`,
			`6: agents[0].talks_to[1].agent: an agent cannot talk to itself`,
		}},
		{"bad_kind.yaml", []string{`6: agents[0].talks_to[0].kinds[1]: unknown message kind "gossip" (allowed: data, instruction, claim, delegation, tool_call, tool_result, verdict, control)`}},
		{"llm_missing.yaml", []string{
			`2: agents[0].llm: required when behaviour is "llm"`,
			`7: agents[1].llm: only allowed when behaviour is "llm"`,
		}},
		{"syntax.yaml", []string{`3: mapping values are not allowed in this context`}},
		{"multi.yaml", []string{
			`1: trust_domain: invalid trust domain "Bad_Domain": use lowercase DNS labels such as "maso.local"`,
			`3: bus.max_payload_bytes: must be between 1 and 67108864 (64 MiB), got 0`,
			`4: bus.clock_skew: must be greater than 0, got -1s`,
			`6: tools[0].name: invalid tool name "Search": use 1-64 lowercase letters, digits, '_' or '-', starting with a letter`,
			`7: tools[0].effect: unknown effect "destroy" (allowed: read, write, delete, execute, external)`,
			`9: agents[0].behaviour: required`,
			`10: agents[0].clearance: unknown clearance "secret" (allowed: public, internal, confidential, restricted)`,
			`11: agents[0].tools[0]: unknown tool "search"`,
			`15: agents[1].llm.endpoint: invalid endpoint "not a url": want an http or https URL such as http://127.0.0.1:8080/v1`,
			`16: agents[1].llm.model: required`,
			`17: agents[1].llm.api_key_env: must name an environment variable, not hold the key (IA-2.6)`,
			`18: agents[1].llm.temperature: must be between 0 and 2, got 3`,
			`21: workflows[0].entry: unknown agent "z"`,
			`22: workflows[0].agents[1]: unknown agent "y"`,
			`23: workflows[0].timeout: must be greater than 0, got 0s`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			cfg, err := Load(path)
			if cfg != nil {
				t.Errorf("Load returned a config along with the error")
			}
			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = path + ":" + w
			}
			if err == nil || err.Error() != strings.Join(want, "\n") {
				t.Fatalf("error:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
			}
			var es Errors
			if !errors.As(err, &es) || len(es) != len(tt.want) {
				t.Fatalf("errors.As(Errors) = %d errors, want %d", len(es), len(tt.want))
			}
			if !errors.Is(err, ErrInvalid) {
				t.Error("errors.Is(err, ErrInvalid) = false")
			}
		})
	}
}

func TestParseWholeFileErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"empty", "", `x.yaml: agents: at least one agent is required`},
		{"comments only", "# nothing\n", `x.yaml: agents: at least one agent is required`},
		{"empty agents", "agents: []\n", `x.yaml:1: agents: at least one agent is required`},
		{"not a mapping", "- a\n- b\n", `x.yaml:1: expected a mapping, got a list`},
		{"two documents", "agents: []\n---\nnode: b\n", `x.yaml:2: a configuration file holds one YAML document, found another`},
		{"tab", "agents:\n\t- x\n", `x.yaml:2: found character that cannot start any token`},
		{"merge key", "agents:\n  - <<: {name: a}\n    behaviour: echo\n", `x.yaml:2: agents[0].<<: merge keys are not supported; use an alias for the whole value`},
		{"duration list", "bus:\n  clock_skew: [1s]\nagents: []\n", `x.yaml:2: bus.clock_skew: invalid duration: expected a duration such as "90s", got a list`},
		{"string as list", "agents:\n  - name: [a]\n", `x.yaml:2: agents[0].name: expected a string, got a list`},
		{"number", "agents:\n  - name: a\n    behaviour: llm\n    llm:\n      temperature: warm\n", `x.yaml:5: agents[0].llm.temperature: expected a number, got "warm"`},
		{"alias of wrong shape", "agents:\n  - name: a\n    behaviour: echo\n    settings: &s {k: v}\n    tools: *s\n", `x.yaml:5: agents[0].tools: expected a list, got a mapping`},
		{"bad key", "agents:\n  - [a]: b\n", `x.yaml:2: agents[0]: expected a key name, got a list`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.data))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %s", err, tt.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "absent.yaml"))
	if !errors.Is(err, ErrRead) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("error = %v, want ErrRead wrapping os.ErrNotExist", err)
	}
}

func TestLoadValid(t *testing.T) {
	c, err := Load("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"source", c.Source, "testdata/valid.yaml"},
		{"trust domain", c.TrustDomain, "claims.example"},
		{"payload", c.Bus.MaxPayloadBytes, 262144},
		{"ttl", c.Bus.MessageTTL.Duration, 90 * time.Second},
		{"read-only ttl", c.Identity.ReadOnlyTTL.Duration, 12 * time.Hour},
		{"traces", c.Telemetry.Traces, "stdout"},
		{"tools", len(c.Tools), 3},
		{"runtime default", c.Tools[0].Runtime, "go"},
		{"clearance", c.Agents[0].Clearance, "confidential"},
		{"model", c.Agents[1].LLM.Model, "small-model"},
		{"temperature", c.Agents[1].LLM.Temperature, 0.2},
		{"setting", c.Agents[1].Settings["threshold"], "1000"},
		{"cert ttl", c.Agents[2].CertTTL.Duration, 15 * time.Minute},
		{"workflow timeout", c.Workflows[0].Timeout.Duration, 10 * time.Minute},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestParseDefaults(t *testing.T) {
	c, err := Load("testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"trust domain", c.TrustDomain, DefaultTrustDomain},
		{"node", c.Node, DefaultNode},
		{"payload", c.Bus.MaxPayloadBytes, 1 << 20},
		{"message ttl", c.Bus.MessageTTL.Duration, 60 * time.Second},
		{"clock skew", c.Bus.ClockSkew.Duration, 5 * time.Second},
		{"request timeout", c.Bus.RequestTimeout.Duration, 10 * time.Second},
		{"issuer", c.Identity.Issuer, "builtin"},
		{"default ttl", c.Identity.DefaultTTL.Duration, time.Hour},
		{"read-only ttl", c.Identity.ReadOnlyTTL.Duration, 24 * time.Hour},
		{"traces", c.Telemetry.Traces, "none"},
		{"metrics", c.Telemetry.Metrics, "none"},
		{"service", c.Telemetry.ServiceName, "masod"},
		{"clearance", c.Agents[0].Clearance, "internal"},
		{"kinds", strings.Join(c.Agents[0].TalksTo[0].Kinds, ","), "data,claim"},
		{"llm timeout", c.Agents[1].LLM.Timeout.Duration, 60 * time.Second},
		{"workflow timeout", c.Workflows[0].Timeout.Duration, 5 * time.Minute},
		{"cert ttl unset", c.Agents[0].CertTTL.Duration, time.Duration(0)},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestParseAliases(t *testing.T) {
	data := "agents:\n  - name: a\n    behaviour: llm\n    llm: &m\n      endpoint: http://h/v1\n      model: m\n  - name: b\n    behaviour: llm\n    llm: *m\n"
	c, err := Parse("a.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if c.Agents[1].LLM == nil || c.Agents[1].LLM.Model != "m" {
		t.Fatalf("aliased llm = %+v", c.Agents[1].LLM)
	}
}
