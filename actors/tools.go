package actors

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"

	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/config"
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

// toolGate is the one way to a tool. This first gate checks who may call what:
// the orchestrator never (IA-2.5), an agent only the tools in its scope
// (EC-1.2, IA-1.4), and delegated work only the tools every delegator holds
// too (IA-2.4). Every call and refusal is recorded.
type toolGate struct {
	sys   *System
	tools map[string]config.Tool
	impls map[string]ToolFunc
}

func newToolGate(s *System, cfg *config.Config, impls map[string]ToolFunc) (*toolGate, error) {
	g := &toolGate{sys: s, tools: map[string]config.Tool{}, impls: map[string]ToolFunc{}}
	for _, t := range cfg.Tools {
		f, ok := impls[t.Name]
		if !ok {
			return nil, fmt.Errorf("actors: tool %q is configured but no implementation is registered", t.Name)
		}
		g.tools[t.Name], g.impls[t.Name] = t, f
	}
	return g, nil
}

// call runs the gate and, when it passes, the tool.
func (g *toolGate) call(ctx context.Context, agent string, task Task, name string, args any) (json.RawMessage, error) {
	ctx, span := g.sys.tracer.Start(ctx, "maso.tool."+name)
	defer span.End()
	raw, err := marshalPayload(args)
	if err != nil {
		return nil, err
	}
	if raw == nil {
		raw = json.RawMessage("{}")
	}
	ev := audit.Event{Type: "tool.call", Agent: agent, Node: g.sys.node, TaskID: task.ID,
		TraceID: traceID(ctx), Attrs: map[string]string{"tool": name, "args_hash": hashHex(raw)}}
	if v := g.check(agent, task, name); v.Action != Pass {
		ev.Verdict, ev.Controls, ev.Reason, ev.Guard = v.Action.String(), v.Controls, v.Reason, "tool-gate"
		g.record(ctx, ev)
		g.sys.countFailure(agent, "tool-gate: "+v.Reason)
		span.SetStatus(codes.Error, v.Reason)
		return nil, fmt.Errorf("%w: %s (%s)", ErrToolDenied, v.Reason, v.Controls[0])
	}
	ev.Verdict, ev.Controls = "pass", []string{"EC-1.2", "IA-2.4", "IA-2.5"}
	if v, ok := g.escalation(agent, name); ok {
		if v.Action == Escalate {
			g.record(ctx, withVerdict(ev, v, "escalate"))
			v = g.approve(ctx, agent, task, name, raw, v)
		}
		if v.Action != Pass {
			g.record(ctx, withVerdict(ev, v, "block"))
			span.SetStatus(codes.Error, v.Reason)
			return nil, fmt.Errorf("%w: %s (%s)", ErrToolDenied, v.Reason, v.Controls[0])
		}
		ev.Controls, ev.Reason = append(ev.Controls, v.Controls...), v.Reason
	}
	if err := g.sys.rec.Event(ctx, ev); err != nil {
		return nil, fmt.Errorf("actors: tool call not run, the decision log is unavailable: %w", err)
	}
	g.sys.tasks.AddTrail(task.ID, trailFromEvent(g.sys.clock(), ev))
	out, err := g.impls[name](ctx, ToolCall{Agent: agent, TaskID: task.ID, Tool: name, Args: raw})
	span.SetAttributes(attribute.String("maso.agent", agent), attribute.Bool("maso.tool.ok", err == nil))
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
		return nil, fmt.Errorf("actors: tool %s failed: %w", name, err)
	}
	return marshalPayload(out)
}

func (g *toolGate) record(ctx context.Context, ev audit.Event) {
	if err := g.sys.rec.Event(ctx, ev); err != nil {
		g.sys.log.Error("decision log append failed", "err", err)
	}
	g.sys.tasks.AddTrail(ev.TaskID, trailFromEvent(g.sys.clock(), ev))
}

// check decides whether agent may call tool within task.
func (g *toolGate) check(agent string, task Task, tool string) Verdict {
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
	case g.impls[tool] == nil:
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

// ToolAllowed reports whether a call would pass the permission checks (no side effects).
func (s *System) ToolAllowed(agent string, task Task, tool string) (bool, string) {
	v := s.tools.check(agent, task, tool)
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
