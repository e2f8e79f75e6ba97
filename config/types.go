package config

import (
	"io/fs"
	"time"
)

// Config is the system configuration of one MASO node.
type Config struct {
	// TrustDomain names the identity trust domain; default "maso.local".
	TrustDomain string `yaml:"trust_domain"`
	// Node is the node name; default "node-1".
	Node      string     `yaml:"node"`
	Bus       Bus        `yaml:"bus"`
	Identity  Identity   `yaml:"identity"`
	Telemetry Telemetry  `yaml:"telemetry"`
	Tools     []Tool     `yaml:"tools"`
	Agents    []Agent    `yaml:"agents"`
	Workflows []Workflow `yaml:"workflows"`
	// PACE configures the phases, circuit breakers and approvals.
	PACE PACE `yaml:"pace"`
	// Etcd points at an external etcd cluster; empty means embedded.
	Etcd Etcd `yaml:"etcd"`
	// ToolSigning names the public keys trusted to sign tool manifests
	// (SC-2.2). With keys set, every tool needs a signed manifest.
	ToolSigning ToolSigning `yaml:"tool_signing"`
	// Classification holds the action-classification rules (EC-2.1).
	Classification Classification `yaml:"classification"`
	// Limits are the rate limit and blast-radius caps of tool calls.
	Limits Limits `yaml:"limits"`
	// MCPServers is the allow-list of MCP servers tools may come from (SC-2.3).
	MCPServers []MCPServer `yaml:"mcp_servers"`
	// Guardrails configure DLP and the injection guardrails (PG-1.1, DP-2.1).
	Guardrails Guardrails `yaml:"guardrails"`
	// Judge configures the LLM-as-Judge (PG-2.1, EC-2.5).
	Judge Judge `yaml:"judge"`
	// Files resolves relative paths (manifests, keys): the config file's
	// directory for Load, an embedded tree for bundled configs. Dir is that
	// directory on disk ("" for an embedded tree): process and wasm tools
	// need real paths.
	Files fs.FS  `yaml:"-"`
	Dir   string `yaml:"-"`
	// Source is the file name the configuration came from.
	Source string `yaml:"-"`

	pos   positions         // YAML line of each field path; nil unless parsed
	graph map[edge]struct{} // communication graph, built by Validate
}

// Bus holds the message bus limits.
type Bus struct {
	// MaxPayloadBytes caps a message payload; default 1 MiB, range 1..64 MiB.
	MaxPayloadBytes int `yaml:"max_payload_bytes"`
	// MessageTTL is the envelope expiry; default 60s.
	MessageTTL Duration `yaml:"message_ttl"`
	// ClockSkew is the tolerated clock difference; default 5s.
	ClockSkew Duration `yaml:"clock_skew"`
	// RequestTimeout bounds a request/reply exchange; default 10s.
	RequestTimeout Duration `yaml:"request_timeout"`
}

// Identity configures agent identities (IA-2.1, IA-2.2).
type Identity struct {
	// Issuer is "builtin" (default) or "vault".
	Issuer string `yaml:"issuer"`
	// DefaultTTL is the certificate lifetime of agents that may change
	// state; default 1h.
	DefaultTTL Duration `yaml:"default_ttl"`
	// ReadOnlyTTL is the certificate lifetime of read-only agents;
	// default 24h.
	ReadOnlyTTL Duration `yaml:"read_only_ttl"`
}

// Telemetry selects the OpenTelemetry exporters.
type Telemetry struct {
	// Traces is "none" (default) or "stdout".
	Traces string `yaml:"traces"`
	// Metrics is "none" (default) or "stdout".
	Metrics string `yaml:"metrics"`
	// ServiceName is the service.name resource attribute; default "masod".
	ServiceName string `yaml:"service_name"`
}

// Tool declares a tool agents may be granted.
type Tool struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Effect is one of read, write, delete, execute, external (required).
	Effect string `yaml:"effect"`
	// Runtime is where the tool runs; "go" (default, in-process).
	Runtime string `yaml:"runtime"`
	// Manifest is the path of the tool's signed manifest
	// (<name>.manifest.json, relative to the config file). Required when
	// tool_signing has keys; then effect and runtime come from it.
	Manifest string `yaml:"manifest"`
}

// ToolSigning lists the tool-signing public keys (PEM files).
type ToolSigning struct {
	Keys []string `yaml:"keys"`
}

// Classification configures action classification (EC-2.1).
type Classification struct {
	// Rules are CEL rules, first match wins, after the phase overrides and
	// before the built-in defaults (see package policy).
	Rules []ClassRule `yaml:"rules"`
	// Tier is the MASO tier the deployment runs at (1: every write
	// escalates); default 2.
	Tier int `yaml:"tier"`
}

// ClassRule is one classification rule.
type ClassRule struct {
	Name     string `yaml:"name"`
	When     string `yaml:"when"`     // CEL boolean expression over the action
	Decision string `yaml:"decision"` // auto | escalate | block
	Reason   string `yaml:"reason"`
}

// Limits bound tool calls per agent (EC-1.3, EC-2.3).
type Limits struct {
	// RatePerHour is the per-agent tool-call rate limit; default 100.
	RatePerHour int `yaml:"rate_per_hour"`
	// PerTask caps one execution (task) of an agent; PerAgent caps an agent
	// over Window (default 1h). Zero fields mean no cap.
	PerTask  Caps     `yaml:"per_task"`
	PerAgent Caps     `yaml:"per_agent"`
	Window   Duration `yaml:"window"`
}

// Caps are blast-radius caps.
type Caps struct {
	Records       int     `yaml:"records"`
	Money         float64 `yaml:"money"`
	ExternalCalls int     `yaml:"external_calls"`
}

// MCPServer is an allow-listed MCP server: a stdio command or an HTTP URL.
type MCPServer struct {
	Name    string   `yaml:"name"`
	Command []string `yaml:"command"`
	URL     string   `yaml:"url"`
}

// Agent declares one agent.
type Agent struct {
	Name string `yaml:"name"`
	Role string `yaml:"role"`
	// Behaviour names a registered Go behaviour, or "llm".
	Behaviour string `yaml:"behaviour"`
	// Tools is the agent's tool allow-list (EC-1.2).
	Tools []string `yaml:"tools"`
	// Clearance is public, internal (default), confidential or restricted.
	Clearance string `yaml:"clearance"`
	// TalksTo lists the agents this agent may send messages to.
	TalksTo []Edge `yaml:"talks_to"`
	// CertTTL overrides the certificate lifetime; 0 means derived, see
	// [Config.CertTTL].
	CertTTL Duration `yaml:"cert_ttl"`
	// LLM is required if and only if Behaviour is "llm".
	LLM *LLM `yaml:"llm"`
	// Settings are free-form behaviour settings.
	Settings map[string]string `yaml:"settings"`
	// Backup is the agent that stands in for this one when PACE Alternate
	// isolates it. It runs as "<name>-backup" with read-only tools.
	Backup *Backup `yaml:"backup"`
}

// Backup describes an agent's backup (PACE Alternate).
type Backup struct {
	// Behaviour defaults to the agent's own; a backup often uses a different
	// model provider through "llm".
	Behaviour string `yaml:"behaviour"`
	// Tools default to the agent's read-effect tools; only read tools are
	// allowed (the backup starts read-only).
	Tools []string `yaml:"tools"`
	LLM   *LLM     `yaml:"llm"`
}

// PACE configures the PACE phases (Primary, Alternate, Contingency, Emergency).
type PACE struct {
	// ContingencyAgent is the one agent that keeps working in Contingency,
	// every action of it approved by a human. Empty: no agent works.
	ContingencyAgent string `yaml:"contingency_agent"`
	// AlternateTimeout is how long Alternate may last unresolved before the
	// runtime moves to Contingency on its own; default 48h.
	AlternateTimeout Duration `yaml:"alternate_timeout"`
	// Webhook receives an HTTP POST of a JSON event on every phase change.
	Webhook string `yaml:"webhook"`
	// BreakerThreshold and BreakerWindow: an agent with this many guard
	// blocks or failures within the window is paused (EC-2.4); default 3 in 10m.
	BreakerThreshold int      `yaml:"breaker_threshold"`
	BreakerWindow    Duration `yaml:"breaker_window"`
	// ApprovalTimeout is how long an escalated action waits for a human
	// decision before it counts as denied; default 15m.
	ApprovalTimeout Duration `yaml:"approval_timeout"`
}

// Guardrails configure the deterministic guards on every channel.
type Guardrails struct {
	// Disabled turns DLP and the injection guardrails off (not for
	// production; the default is on).
	Disabled bool `yaml:"disabled"`
	// Canaries are extra canary tokens (each agent also gets its own): never
	// allowed out in any message or output (PG-1.2, PG-2.3).
	Canaries []string `yaml:"canaries"`
	// Redact names detectors whose matches are redacted by the sender
	// instead of blocked ("permitted-but-sensitive", DP-2.1), e.g. email.
	Redact []string `yaml:"redact"`
	// KnowledgeVerify is how often the agents' knowledge documents are
	// checked against their ingestion checksums (DP-2.2); default 24h.
	KnowledgeVerify Duration `yaml:"knowledge_verify"`
}

// Judge configures the LLM-as-Judge. Rules and heuristics always run; the
// LLM tier runs when llm is set (use a different provider than the task
// agents: PG-2.9).
type Judge struct {
	Disabled bool               `yaml:"disabled"`
	LLM      *LLM               `yaml:"llm"`
	Sampling map[string]float64 `yaml:"sampling"` // per message kind, 0..1
	Budget   Duration           `yaml:"budget"`   // latency budget of the LLM tier; default 5s
}

// Etcd points at an external etcd cluster.
type Etcd struct {
	Endpoints []string `yaml:"endpoints"`
	CAFile    string   `yaml:"ca_file"`
	CertFile  string   `yaml:"cert_file"`
	KeyFile   string   `yaml:"key_file"`
}

// BackupName is the name of an agent's backup.
func BackupName(agent string) string { return agent + "-backup" }

// Edge allows messages of some kinds to one agent.
type Edge struct {
	Agent string `yaml:"agent"`
	// Kinds is a subset of [MessageKinds]; default [data, claim].
	Kinds []string `yaml:"kinds"`
}

// LLM configures an OpenAI-compatible model endpoint.
type LLM struct {
	// Endpoint is the API base URL, e.g. http://127.0.0.1:8080/v1.
	Endpoint string `yaml:"endpoint"`
	// Model is required.
	Model string `yaml:"model"`
	// APIKeyEnv names the environment variable holding the API key; the
	// key itself never appears in the configuration (IA-2.6).
	APIKeyEnv    string  `yaml:"api_key_env"`
	SystemPrompt string  `yaml:"system_prompt"`
	Temperature  float64 `yaml:"temperature"`
	MaxTokens    int     `yaml:"max_tokens"`
	// Timeout bounds one model call; default 60s.
	Timeout Duration `yaml:"timeout"`
}

// Workflow declares an entry point for tasks.
type Workflow struct {
	Name string `yaml:"name"`
	// Entry is the agent tasks enter at; it must be one of Agents.
	Entry string `yaml:"entry"`
	// Agents are the agents taking part.
	Agents []string `yaml:"agents"`
	// Timeout is the task time box (EC-3.4); default 5m.
	Timeout Duration `yaml:"timeout"`
}

// Allowed values of the enumerated fields.
var (
	// ReservedNames are names the runtime uses for itself; no agent may
	// take them.
	ReservedNames = []string{"orchestrator", "ingress", "judge", "admin", "system"}
	// MessageKinds are the bus message kinds an [Edge] may allow (PG-1.4).
	MessageKinds = []string{"data", "instruction", "claim", "delegation", "tool_call", "tool_result", "verdict", "control"}
	// Effects are the tool effects, from least to most consequential.
	Effects = []string{"read", "write", "delete", "execute", "external"}
	// Clearances are the data classification levels, lowest first (DP-1.1).
	Clearances = []string{"public", "internal", "confidential", "restricted"}
)

// Defaults applied to fields left unset.
const (
	DefaultTrustDomain     = "maso.local"
	DefaultNode            = "node-1"
	DefaultMaxPayloadBytes = 1 << 20
	MaxPayloadLimit        = 64 << 20
	DefaultMessageTTL      = 60 * time.Second
	DefaultClockSkew       = 5 * time.Second
	DefaultRequestTimeout  = 10 * time.Second
	DefaultIssuer          = "builtin"
	DefaultCertTTL         = time.Hour
	DefaultReadOnlyTTL     = 24 * time.Hour
	DefaultServiceName     = "masod"
	DefaultClearance       = "internal"
	DefaultRuntime         = "go"
	DefaultLLMTimeout      = 60 * time.Second
	DefaultWorkflowTimeout = 5 * time.Minute
	// BehaviourLLM is the behaviour name of model-driven agents.
	BehaviourLLM = "llm"
)

// defaultKinds is the Edge.Kinds default.
var defaultKinds = []string{"data", "claim"}
