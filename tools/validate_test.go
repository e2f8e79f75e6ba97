package tools

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestValidateRuntimes(t *testing.T) {
	t.Parallel()
	valid := map[string]func(m *Manifest){
		"go": func(m *Manifest) {},
		"process": func(m *Manifest) {
			m.Runtime = "process"
			m.Process = &ProcessRuntime{Command: []string{"/usr/bin/fraud-score", "--json"}, SHA256: sha,
				Mounts: []Mount{{Host: "/srv/models", Sandbox: "/models"}}, Hosts: []string{"scores.internal:443"},
				Limits: Limits{MemoryBytes: 256 << 20, CPUTime: Duration{5 * time.Second}}}
		},
		"wasm": func(m *Manifest) {
			m.Runtime = "wasm"
			m.Wasm = &WasmRuntime{Module: "score.wasm", SHA256: sha, Dirs: []Mount{{Host: "data", Sandbox: "/data"}}}
		},
		"mcp": func(m *Manifest) {
			m.Runtime = "mcp"
			m.MCP = &MCPRuntime{Server: "crm", Tool: "lookup", DescriptionSHA256: sha}
		},
	}
	for name, f := range valid {
		m := testManifest()
		f(&m)
		if err := m.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidateProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(m *Manifest)
		want   string
	}{
		{"name", func(m *Manifest) { m.Name = "Pay Claim" }, `name "Pay Claim"`},
		{"version", func(m *Manifest) { m.Version = "" }, "version is required"},
		{"description", func(m *Manifest) { m.Description = " " }, "description is required"},
		{"effect", func(m *Manifest) { m.Effect = "" }, `effect "" is not one of read, write, delete, execute, external`},
		{"target", func(m *Manifest) { m.Target = "partner" }, `target "partner" is not one of internal, external`},
		{"data class", func(m *Manifest) { m.DataClass = "secret" }, `data_class "secret"`},
		{"runtime", func(m *Manifest) { m.Runtime = "docker" }, `runtime "docker"`},
		{"max duration", func(m *Manifest) { m.MaxDuration = Duration{-time.Second} }, "max_duration must be > 0"},
		{"compensation", func(m *Manifest) { m.Compensation = "pay_claim" }, `compensation "pay_claim" must name another tool`},
		{"permission", func(m *Manifest) { m.Permissions = []string{""} }, "permissions[0] is empty"},
		{"no params", func(m *Manifest) { m.Params = nil }, "params schema is required"},
		{"params not object", func(m *Manifest) { m.Params = json.RawMessage(`{"type":"string"}`) }, `"type": "object"`},
		{"missing section", func(m *Manifest) { m.Runtime = "wasm" }, `runtime "wasm" needs a wasm section`},
		{"extra section", func(m *Manifest) { m.MCP = &MCPRuntime{Server: "s", Tool: "t", DescriptionSHA256: sha} },
			`mcp section given but runtime is "go"`},
		{"wasm hash", func(m *Manifest) {
			m.Runtime, m.Wasm = "wasm", &WasmRuntime{Module: "a.wasm", SHA256: strings.ToUpper(sha)}
		}, "wasm.sha256 must be 64 lower-case hex digits"},
		{"process command", func(m *Manifest) { m.Runtime, m.Process = "process", &ProcessRuntime{} }, "process.command is required"},
		{"mount", func(m *Manifest) {
			m.Runtime, m.Process = "process", &ProcessRuntime{Command: []string{"/bin/x"}, Mounts: []Mount{{Host: "/a", Sandbox: "rel"}}}
		}, `process.mounts[0].sandbox "rel" must be an absolute path`},
		{"limits", func(m *Manifest) {
			m.Runtime, m.Process = "process", &ProcessRuntime{Command: []string{"/bin/x"}, Limits: Limits{Processes: -1}}
		}, "process.limits must not be negative"},
		{"mcp", func(m *Manifest) { m.Runtime, m.MCP = "mcp", &MCPRuntime{} }, "mcp.server is required; mcp.tool is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := testManifest()
			tt.change(&m)
			wantErr(t, m.Validate(), ErrInvalidManifest, tt.want)
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	t.Parallel()
	err := Manifest{Name: "x"}.Validate()
	wantErr(t, err, ErrInvalidManifest, "version", "description", "effect", "target", "data_class", "runtime", "max_duration", "params")
}
