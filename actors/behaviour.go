package actors

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"
)

// Behaviour is what a developer writes: the logic of one agent. Receive is
// called for every message that passed the receiver pipeline, one at a time.
//
// An error returned while handling a task's instruction or delegation fails that
// task. A panic is a failure the agent's supervisor sees (and restarts it).
type Behaviour interface {
	Receive(ctx Context, msg Message) error
}

// BehaviourFunc adapts a function to a Behaviour.
type BehaviourFunc func(ctx Context, msg Message) error

// Receive calls f.
func (f BehaviourFunc) Receive(ctx Context, msg Message) error { return f(ctx, msg) }

// Starter is an optional Behaviour capability: Start runs once when the agent
// actor starts (and again after a restart), before any message.
type Starter interface {
	Start(ctx Context) error
}

// AgentSpec is what a behaviour factory learns about the agent it builds.
type AgentSpec struct {
	Name      string
	Role      string
	Tools     []string
	Clearance Classification
	Settings  map[string]string
	LLM       *LLMSpec
	BackupOf  string // set when this agent is the backup of another (PACE Alternate)
	// Canary is the agent's canary token: behaviours with a prompt plant it
	// there; DLP refuses every message that carries it (PG-1.2, PG-2.3).
	Canary string
}

// LLMSpec configures the built-in llm behaviour (an OpenAI-compatible chat API).
type LLMSpec struct {
	Endpoint     string
	Model        string
	APIKey       string // read from the configured environment variable at start; never logged
	SystemPrompt string
	Temperature  float64
	MaxTokens    int
	Timeout      time.Duration
}

// BehaviourFactory builds a behaviour for one agent.
type BehaviourFactory func(spec AgentSpec) (Behaviour, error)

// Task is the task a message belongs to.
type Task struct {
	ID         string
	SpecHash   string   // hex SHA-256 of the signed task spec (PG-3.2)
	Originator string   // first delegator when the work was delegated
	Chain      []string // delegators, originator first
}

// Memory is an agent's private key-value memory (DP-2.4). It is reachable only
// through the agent's own Context.
type Memory interface {
	Get(key string) ([]byte, bool)
	Put(key string, value []byte)
	Delete(key string)
	Keys() []string
}

// SendOption adjusts one outgoing message.
type SendOption func(*sendOpts)

type sendOpts struct {
	payloadType    string
	classification Classification
	provenance     Provenance
	confidence     float64
	hasConfidence  bool
}

// WithType sets the payload type (a name the receiver can switch on).
func WithType(t string) SendOption { return func(o *sendOpts) { o.payloadType = t } }

// WithClassification sets the data classification (DP-1.1); the default is the
// classification of the message being handled, or internal.
func WithClassification(c Classification) SendOption {
	return func(o *sendOpts) { o.classification = c }
}

// WithProvenance records where a claim came from (PG-2.5).
func WithProvenance(source string, verified bool) SendOption {
	return func(o *sendOpts) { o.provenance = Provenance{Source: source, Verified: verified} }
}

// WithConfidence states the sender's confidence in [0,1] (PG-2.7).
func WithConfidence(c float64) SendOption {
	return func(o *sendOpts) { o.confidence, o.hasConfidence = c, true }
}

// Context is what a behaviour gets: its only way to reach the bus, tools and its
// own memory. Every message it sends is signed with the agent's own key.
type Context interface {
	// Self is the agent's name.
	Self() string
	// Ctx carries the current trace span and is cancelled when the agent stops;
	// use it for I/O such as model calls.
	Ctx() context.Context
	// Task is the task of the message being handled (zero outside a task).
	Task() Task
	// Send signs and sends a message to another agent.
	Send(to string, kind Kind, payload any, opts ...SendOption) error
	// Request sends and waits up to timeout (0: the bus default) for a Reply.
	Request(to string, kind Kind, payload any, timeout time.Duration, opts ...SendOption) (Message, error)
	// Reply answers the message being handled.
	Reply(payload any, opts ...SendOption) error
	// Delegate hands work to another agent as a delegation. The worker acts
	// within the intersection of its own scope and every delegator's (IA-2.4).
	Delegate(to string, instruction any, opts ...SendOption) error
	// CallTool invokes a tool the agent (and, for delegated work, every
	// delegator) is permitted to use.
	CallTool(name string, args any) (json.RawMessage, error)
	// Memory is the agent's private memory.
	Memory() Memory
	// Knowledge is the agent's own knowledge store (nil on a node without one).
	Knowledge() Knowledge
	// Logger logs with the agent's name and the current task attached.
	Logger() *slog.Logger
	// Complete reports the current task done, with its result.
	Complete(result any) error
	// Fail reports the current task failed.
	Fail(reason string) error
}
