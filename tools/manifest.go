package tools

import "encoding/json"

// Effect is what a tool does to the world, from least to most consequential.
type Effect string

// The tool effects.
const (
	EffectRead     Effect = "read"
	EffectWrite    Effect = "write"
	EffectDelete   Effect = "delete"
	EffectExecute  Effect = "execute"
	EffectExternal Effect = "external"
)

// Effects lists the valid effects, least consequential first.
var Effects = []Effect{EffectRead, EffectWrite, EffectDelete, EffectExecute, EffectExternal}

// Targets, data classes and runtimes a manifest may name.
var (
	Targets     = []string{"internal", "external"}
	DataClasses = []string{"public", "internal", "confidential", "restricted"}
	Runtimes    = []string{"go", "process", "wasm", "mcp"}
)

// Manifest declares one tool: its argument and result schemas, its effect
// and reversibility, and how and where it runs. The platform signs it
// ([Sign]); the runtime only calls tools whose signed manifest it approved
// ([Catalog]). Field names are snake_case in YAML and JSON.
type Manifest struct {
	// Name is unique in the catalog: lower-case letters, digits, '_', '-'
	// and '.'.
	Name    string `json:"name" yaml:"name"`
	Version string `json:"version" yaml:"version"`
	// Description is what the tool does, shown to models and approvers.
	Description string `json:"description" yaml:"description"`
	// Params is the JSON Schema (draft 2020-12) of the arguments. In YAML
	// it is written as a mapping.
	Params json.RawMessage `json:"params" yaml:"-"`
	// Result is the JSON Schema of the result; optional.
	Result json.RawMessage `json:"result,omitempty" yaml:"-"`
	// Effect is one of [Effects].
	Effect Effect `json:"effect" yaml:"effect"`
	// Reversible says whether the effect can be undone.
	Reversible bool `json:"reversible" yaml:"reversible"`
	// Compensation names the tool that undoes this one, if any; PACE
	// Emergency uses it to roll back.
	Compensation string `json:"compensation,omitempty" yaml:"compensation"`
	// Target is "internal" or "external" (another party is involved).
	Target string `json:"target" yaml:"target"`
	// MaxDuration bounds one execution; required.
	MaxDuration Duration `json:"max_duration" yaml:"max_duration"`
	// Permissions are the scopes the tool needs, free-form.
	Permissions []string `json:"permissions,omitempty" yaml:"permissions"`
	// DataClass is the most sensitive data class the tool touches, one of
	// [DataClasses].
	DataClass string `json:"data_class" yaml:"data_class"`
	// AmountArg names the top-level argument that carries the money the
	// call moves, if any: action classification and the blast-radius money
	// cap read it (EC-2.1, EC-2.3).
	AmountArg string `json:"amount_arg,omitempty" yaml:"amount_arg"`
	// Runtime is one of [Runtimes]; the section of the same name must be
	// set, and no other.
	Runtime string          `json:"runtime" yaml:"runtime"`
	Process *ProcessRuntime `json:"process,omitempty" yaml:"process"`
	Wasm    *WasmRuntime    `json:"wasm,omitempty" yaml:"wasm"`
	MCP     *MCPRuntime     `json:"mcp,omitempty" yaml:"mcp"`
}

// ProcessRuntime runs the tool as a sandboxed child process.
type ProcessRuntime struct {
	// Command is the executable and its arguments; Command[0] is an
	// absolute path or one relative to the manifest's directory.
	Command []string `json:"command" yaml:"command"`
	// SHA256 is the hex SHA-256 of the executable, checked before the
	// tool is started (SC-2.4); optional but recommended.
	SHA256 string `json:"sha256,omitempty" yaml:"sha256"`
	// Mounts are the host paths visible in the sandbox; nothing else is.
	Mounts []Mount `json:"mounts,omitempty" yaml:"mounts"`
	// Hosts are the network destinations (host or host:port) the tool may
	// reach; empty means no network.
	Hosts  []string `json:"hosts,omitempty" yaml:"hosts"`
	Limits Limits   `json:"limits" yaml:"limits"`
}

// WasmRuntime runs the tool as a WebAssembly module.
type WasmRuntime struct {
	// Module is the path of the .wasm file, absolute or relative to the
	// manifest's directory.
	Module string `json:"module" yaml:"module"`
	// SHA256 is the hex SHA-256 of the module; required (SC-2.4).
	SHA256 string `json:"sha256" yaml:"sha256"`
	// Dirs are the host directories preopened for the module.
	Dirs   []Mount `json:"dirs,omitempty" yaml:"dirs"`
	Limits Limits  `json:"limits" yaml:"limits"`
}

// MCPRuntime calls a tool of an allow-listed MCP server (SC-2.3).
type MCPRuntime struct {
	// Server names the MCP server in the allow-list.
	Server string `json:"server" yaml:"server"`
	// Tool is the tool's name on that server.
	Tool string `json:"tool" yaml:"tool"`
	// DescriptionSHA256 pins the hex SHA-256 of the tool description the
	// server advertises; a changed description is refused (SC-2.4).
	DescriptionSHA256 string `json:"description_sha256" yaml:"description_sha256"`
}

// Mount makes a host path visible in a sandbox.
type Mount struct {
	Host     string `json:"host" yaml:"host"`
	Sandbox  string `json:"sandbox" yaml:"sandbox"`
	Writable bool   `json:"writable" yaml:"writable"`
}

// Limits bounds one sandboxed execution; the wall-clock limit is the
// manifest's MaxDuration. Zero fields leave the sandbox's own defaults in
// force.
type Limits struct {
	// MemoryBytes caps the address space or linear memory.
	MemoryBytes int64 `json:"memory_bytes,omitempty" yaml:"memory_bytes"`
	// CPUTime caps CPU time (process runtime).
	CPUTime Duration `json:"cpu_time,omitzero" yaml:"cpu_time"`
	// Processes caps the number of processes (process runtime).
	Processes int `json:"processes,omitempty" yaml:"processes"`
	// OutputBytes caps what the tool may write to its result.
	OutputBytes int64 `json:"output_bytes,omitempty" yaml:"output_bytes"`
	// FileBytes caps the size of any file the tool writes (process
	// runtime).
	FileBytes int64 `json:"file_bytes,omitempty" yaml:"file_bytes"`
}
