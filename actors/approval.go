package actors

import (
	"context"
	"encoding/json"
	"fmt"
)

// ApprovalRequest is an action that needs a human decision (EC-1.1, EC-2.1).
type ApprovalRequest struct {
	Agent    string
	TaskID   string
	Tool     string
	Effect   string
	Args     json.RawMessage
	Reason   string   // why it escalated
	Controls []string // the controls that escalated it
}

// Approver asks a human. Approve blocks until a decision, a timeout (a
// denial: fail closed) or ctx's end, and reports the decision and who or
// what made it.
type Approver interface {
	Approve(ctx context.Context, req ApprovalRequest) (approved bool, detail string, err error)
}

// escalation decides whether a permitted call must wait for a human under the
// current restrictions; it returns the reason and controls, or "" when the
// call may run at once. Halted and out-of-contingency calls are blocked.
func (g *toolGate) escalation(agent, tool string) (Verdict, bool) {
	r := g.sys.Restrictions()
	effect := g.tools[tool].Effect
	switch {
	case r.Halted:
		return Verdict{Action: Block, Controls: []string{"PA-2.6"}, Reason: "emergency: all tool access is revoked"}, true
	case r.Contingency && agent != r.OnlyAgent:
		return Verdict{Action: Block, Controls: []string{"EC-3.2"}, Reason: fmt.Sprintf("contingency: only %q works", r.OnlyAgent)}, true
	case r.Contingency:
		return Verdict{Action: Escalate, Controls: []string{"EC-3.2", "EC-1.1"}, Reason: "contingency: every action of the working agent needs approval"}, true
	case r.WritesNeedApproval && effect != "read":
		return Verdict{Action: Escalate, Controls: []string{"EC-1.1"}, Reason: fmt.Sprintf("%s: every %s needs approval", r.Phase, effect)}, true
	case r.Degraded && effect != "read":
		return Verdict{Action: Escalate, Controls: []string{"EC-1.1"}, Reason: "control plane degraded: nothing is auto-approved"}, true
	}
	return Verdict{}, false
}

// approve runs an escalation past the Approver; without one, or on any
// error, the call is denied (fail closed).
func (g *toolGate) approve(ctx context.Context, agent string, task Task, tool string, args json.RawMessage, v Verdict) Verdict {
	if g.sys.deps.Approver == nil {
		return Verdict{Action: Block, Controls: v.Controls, Reason: v.Reason + "; no approver is configured (fail closed)"}
	}
	ok, detail, err := g.sys.deps.Approver.Approve(ctx, ApprovalRequest{Agent: agent, TaskID: task.ID, Tool: tool,
		Effect: g.tools[tool].Effect, Args: args, Reason: v.Reason, Controls: v.Controls})
	switch {
	case err != nil:
		return Verdict{Action: Block, Controls: v.Controls, Reason: v.Reason + "; approval failed (fail closed): " + err.Error()}
	case !ok:
		return Verdict{Action: Block, Controls: v.Controls, Reason: v.Reason + "; denied: " + detail}
	}
	return Verdict{Action: Pass, Controls: v.Controls, Reason: "approved: " + detail}
}
