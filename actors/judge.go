package actors

import (
	"context"
	"encoding/json"

	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/tools"
)

// Judge is the LLM-as-Judge as the bus sees it (package judge implements
// it through the node): it evaluates sampled inter-agent messages and every
// proposed tool action (PG-2.1, EC-2.5).
type Judge interface {
	// JudgeMessage returns the verdict on a message and whether it was
	// judged at all (messages are sampled per kind).
	JudgeMessage(ctx context.Context, in *Inbound, specHash string) (JudgeVerdict, bool)
	// JudgeAction judges a proposed tool action.
	JudgeAction(ctx context.Context, a ActionRequest) JudgeVerdict
}

// JudgeVerdict is the judge's decision: "approve", "flag" or "block".
type JudgeVerdict struct {
	Decision string
	Reasons  []string
	Controls []string
	Tier     string
}

// ActionRequest is a tool action put to the judge.
type ActionRequest struct {
	Agent    string
	Task     Task
	SpecHash string // of the task, as this node recorded it
	Tool     string
	Manifest tools.Manifest
	Args     json.RawMessage
	Amount   float64
}

// judgeGuard puts messages before the judge: a block stops the message; a
// flag lets it pass and is recorded for review.
type judgeGuard struct {
	sys   *System
	judge Judge
}

func (judgeGuard) Name() string       { return "judge" }
func (judgeGuard) Controls() []string { return []string{"PG-2.1", "PG-3.2", "PG-2.5", "PG-2.7"} }

func (g judgeGuard) Check(in *Inbound) Verdict {
	spec := ""
	if t, ok := g.sys.tasks.Get(in.Header.TaskID); ok {
		spec = t.SpecHash
	}
	v, judged := g.judge.JudgeMessage(g.sys.ctx, in, spec)
	if !judged {
		return Verdict{}
	}
	switch v.Decision {
	case "block":
		return block(g, "judge ("+v.Tier+"): "+joinReasons(v.Reasons), v.Controls...)
	case "flag":
		_ = g.sys.rec.Event(g.sys.ctx, audit.Event{Type: "judge.flag", Verdict: "escalate", Controls: v.Controls,
			Reason: joinReasons(v.Reasons), Guard: "judge", Agent: in.Header.From, Node: g.sys.node,
			TaskID: in.Header.TaskID, MessageID: uuidString(in.Header.ID), To: in.Recipient})
	}
	return Verdict{}
}

func joinReasons(rs []string) string {
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += "; "
		}
		out += r
	}
	return out
}

// judgeAction asks the judge about a tool action ("" without a judge).
func (c *gateCall) judgeAction(ctx context.Context) string {
	j := c.g.sys.deps.Judge
	if j == nil {
		return ""
	}
	spec := ""
	if t, ok := c.g.sys.tasks.Get(c.task.ID); ok {
		spec = t.SpecHash
	}
	v := j.JudgeAction(ctx, ActionRequest{Agent: c.agent, Task: c.task, SpecHash: spec, Tool: c.name,
		Manifest: c.m, Args: c.args, Amount: c.amount()})
	if v.Decision != "approve" && v.Decision != "" {
		c.ev.Attrs["judge"] = v.Decision + ": " + joinReasons(v.Reasons)
	}
	return v.Decision
}
