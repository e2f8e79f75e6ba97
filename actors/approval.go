package actors

import (
	"context"
	"encoding/json"

	"github.com/maso-runtime/maso/tools"
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

// approve runs an escalation past the Approver; without one, or on any
// error, the call is denied (fail closed).
func (g *toolGate) approve(ctx context.Context, agent string, task Task, tool string, m tools.Manifest, args json.RawMessage, v Verdict) Verdict {
	if g.sys.deps.Approver == nil {
		return Verdict{Action: Block, Controls: v.Controls, Reason: v.Reason + "; no approver is configured (fail closed)"}
	}
	ok, detail, err := g.sys.deps.Approver.Approve(ctx, ApprovalRequest{Agent: agent, TaskID: task.ID, Tool: tool,
		Effect: string(m.Effect), Args: args, Reason: v.Reason, Controls: v.Controls})
	switch {
	case err != nil:
		return Verdict{Action: Block, Controls: v.Controls, Reason: v.Reason + "; approval failed (fail closed): " + err.Error()}
	case !ok:
		return Verdict{Action: Block, Controls: v.Controls, Reason: v.Reason + "; denied: " + detail}
	}
	return Verdict{Action: Pass, Controls: v.Controls, Reason: "approved: " + detail}
}
