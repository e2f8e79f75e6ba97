package actors

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/codes"

	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/policy"
	"github.com/maso-runtime/maso/tools"
)

// ToolCall is what an in-process tool receives.
type ToolCall struct {
	Agent  string
	TaskID string
	Tool   string
	Args   json.RawMessage
}

// ToolFunc is an in-process Go tool. Its result is JSON-encoded for the caller.
type ToolFunc func(ctx context.Context, call ToolCall) (any, error)

// ErrToolDenied reports a tool call refused by the gate.
var ErrToolDenied = errors.New("actors: tool call denied")

// toolGate is the one way to a tool (DESIGN.md §4). In order: the signed
// manifest is valid and unchanged since approval (SC-2.2); the agent (and,
// for delegated work, every delegator) may use the tool (EC-1.2, IA-2.4,
// IA-2.5); the arguments match the manifest's schema; the rate limit
// (EC-1.3) and blast-radius caps (EC-2.3) hold; the action is classified
// (EC-2.1) auto, escalate (a human decides, EC-1.1) or block; then the tool
// runs in its runtime with its time limit and its result is checked. Every
// step's verdict is a decision-log entry.
type toolGate struct {
	sys     *System
	tools   map[string]*gateTool
	catalog *tools.Catalog // nil in development mode (no signing keys)
	limiter *tools.Limiter
	blast   *tools.Blast
	policy  *policy.Policy
	tier    int

	usedMu sync.Mutex
	used   map[[2]string]bool // (agent, tool) pairs that ran before: first use escalates
}

func newToolGate(s *System, cfg *config.Config, impls map[string]ToolFunc) (*toolGate, error) {
	pol, err := compileRules(cfg)
	if err != nil {
		return nil, err
	}
	l := cfg.Limits
	g := &toolGate{sys: s, tools: map[string]*gateTool{}, policy: pol, tier: cfg.Classification.Tier,
		limiter: tools.NewLimiter(l.RatePerHour, s.clock),
		blast:   tools.NewBlast(caps(l.PerTask), caps(l.PerAgent), l.Window.Duration, s.clock),
		used:    map[[2]string]bool{}}
	if err := g.loadTools(cfg, impls); err != nil {
		return nil, err
	}
	return g, nil
}

func caps(c config.Caps) tools.Caps {
	return tools.Caps{Records: c.Records, Money: c.Money, ExternalCalls: c.ExternalCalls}
}

// compileRules type-checks the configured classification rules at start; a
// bad rule stops the node with its name and line.
func compileRules(cfg *config.Config) (*policy.Policy, error) {
	rules := make([]policy.Rule, 0, len(cfg.Classification.Rules))
	for i, r := range cfg.Classification.Rules {
		rules = append(rules, policy.Rule{Name: r.Name, When: r.When, Decision: policy.Decision(r.Decision),
			Reason: r.Reason, Line: cfg.RuleLine(i)})
	}
	p, err := policy.Compile(rules)
	if err != nil {
		return nil, fmt.Errorf("actors: %s: classification rules: %w", cfg.Source, err)
	}
	return p, nil
}

// call runs the gate and, when it passes, the tool.
func (g *toolGate) call(ctx context.Context, agent string, task Task, name string, args any) (json.RawMessage, error) {
	ctx, span := g.sys.tracer.Start(ctx, "maso.tool."+name)
	defer span.End()
	raw, err := marshalPayload(args)
	if err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		raw = json.RawMessage("{}")
	}
	c := &gateCall{g: g, agent: agent, task: task, name: name, args: raw,
		ev: audit.Event{Type: "tool.call", Agent: agent, Node: g.sys.node, TaskID: task.ID, TraceID: traceID(ctx),
			Attrs: map[string]string{"tool": name, "args_hash": hashHex(raw)}}}
	out, err := c.run(ctx)
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	return out, err
}

// gateCall is one pass through the gate.
type gateCall struct {
	g     *toolGate
	agent string
	task  Task
	name  string
	args  json.RawMessage
	ev    audit.Event
	t     *gateTool
	m     tools.Manifest
}

func (c *gateCall) run(ctx context.Context) (json.RawMessage, error) {
	v := c.admit()
	if v.Action == Pass {
		v = c.classify(ctx)
	}
	if v.Action != Pass {
		return nil, c.deny(ctx, v)
	}
	c.ev.Verdict, c.ev.Controls = "pass", append([]string{"SC-2.2", "EC-1.2", "IA-2.4", "IA-2.5", "EC-1.3", "EC-2.3", "EC-2.1"}, v.Controls...)
	c.ev.Reason = v.Reason
	if err := c.g.sys.rec.Event(ctx, c.ev); err != nil {
		return nil, fmt.Errorf("actors: tool call not run, the decision log is unavailable: %w", err)
	}
	c.g.sys.tasks.AddTrail(c.task.ID, trailFromEvent(c.g.sys.clock(), c.ev))
	c.g.markUsed(c.agent, c.name)
	return c.execute(ctx)
}

// admit runs the checks before classification: manifest, permission,
// schema, rate limit and caps.
func (c *gateCall) admit() Verdict {
	g := c.g
	if v := g.permit(c.agent, c.task, c.name); v.Action != Pass {
		return v
	}
	t := g.tools[c.name]
	m, err := t.current()
	if err != nil {
		return Verdict{Action: Block, Controls: []string{"SC-2.2", "SC-2.4"}, Reason: err.Error()}
	}
	c.t, c.m = t, m
	if err := t.validateArgs(c.args); err != nil {
		return Verdict{Action: Block, Controls: []string{"EC-2.1"}, Reason: fmt.Sprintf("%s: %v", c.name, err)}
	}
	if err := g.limiter.Take(c.agent); err != nil {
		return Verdict{Action: Block, Controls: []string{"EC-1.3"}, Reason: err.Error()}
	}
	return Verdict{}
}

// deny records a refusal, counts it for the circuit breaker and returns the
// error the behaviour sees.
func (c *gateCall) deny(ctx context.Context, v Verdict) error {
	c.g.record(ctx, withVerdict(c.ev, v, "block"))
	if c.task.ID != "" {
		// A refused action ends its task: nothing after it may run as if it had.
		c.g.sys.tasks.Block(c.task.ID, fmt.Sprintf("tool-gate: %s: %s (%s)", c.name, v.Reason, strings.Join(v.Controls, ", ")))
	}
	c.g.sys.countFailure(c.agent, "tool-gate: "+v.Reason)
	return fmt.Errorf("%w: %s (%s)", ErrToolDenied, v.Reason, v.Controls[0])
}

func (g *toolGate) record(ctx context.Context, ev audit.Event) {
	if err := g.sys.rec.Event(ctx, ev); err != nil {
		g.sys.log.Error("decision log append failed", "err", err)
	}
	g.sys.tasks.AddTrail(ev.TaskID, trailFromEvent(g.sys.clock(), ev))
}

// permit decides whether agent may call tool within task.
func (g *toolGate) permit(agent string, task Task, tool string) Verdict {
	deny := func(reason string, controls ...string) Verdict {
		return Verdict{Action: Block, Guard: "tool-gate", Controls: controls, Reason: reason}
	}
	graph := g.sys.graph
	switch st := g.sys.StateOf(agent); {
	case graph.IsSystem(agent):
		return deny(fmt.Sprintf("%s holds no tool permission", agent), "IA-2.5")
	case st != "" && !st.Working():
		reason, _ := g.sys.StateReason(agent)
		return deny(fmt.Sprintf("%s is %s, its tools are suspended: %s", agent, st, reason), "EC-2.4")
	case !g.sys.credentialValid(agent):
		return deny(fmt.Sprintf("%s has no valid certificate (expired or missing): no tool access", agent), "IA-2.2")
	case g.tools[tool] == nil:
		return deny(fmt.Sprintf("unknown tool %q", tool), "EC-1.2", "SC-1.3")
	case !graph.Permits(agent, tool):
		return deny(fmt.Sprintf("%s is not permitted to use %s (its tools: %v)", agent, tool, graph.Tools(agent)), "EC-1.2", "IA-1.4")
	}
	for _, d := range task.Chain {
		if !graph.Permits(d, tool) {
			return deny(fmt.Sprintf("delegated by %v: %s does not hold %s, so the delegate may not use it", task.Chain, d, tool), "IA-2.4")
		}
	}
	return Verdict{}
}

func (g *toolGate) markUsed(agent, tool string) {
	g.usedMu.Lock()
	g.used[[2]string{agent, tool}] = true
	g.usedMu.Unlock()
}

func (g *toolGate) firstUse(agent, tool string) bool {
	g.usedMu.Lock()
	defer g.usedMu.Unlock()
	return !g.used[[2]string{agent, tool}]
}

// ToolAllowed reports whether a call would pass the permission checks (no side effects).
func (s *System) ToolAllowed(agent string, task Task, tool string) (bool, string) {
	v := s.tools.permit(agent, task, tool)
	return v.Action == Pass, v.Reason
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func withVerdict(ev audit.Event, v Verdict, verdict string) audit.Event {
	ev.Verdict, ev.Controls, ev.Reason, ev.Guard = verdict, v.Controls, v.Reason, "tool-gate"
	return ev
}

// trailFromEvent turns a decision-log event into a task trail entry.
func trailFromEvent(now time.Time, ev audit.Event) TrailEntry {
	return TrailEntry{Time: now.UTC(), Type: ev.Type, MessageID: ev.MessageID, From: ev.From, To: ev.To,
		Kind: ev.Kind, Tool: ev.Attrs["tool"], Verdict: ev.Verdict, Controls: ev.Controls, Guard: ev.Guard, Reason: ev.Reason}
}
