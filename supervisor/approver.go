package supervisor

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/registry"
)

// Approver turns escalated actions into approval records in etcd, bound to
// the SHA-256 of the exact canonical action, and waits for a human decision.
// An approval that expires is a denial (fail closed); so is any etcd error.
type Approver struct {
	Timeout  time.Duration // how long a decision may take; default 15m
	Recorder actors.Recorder
	Node     string
	Clock    func() time.Time
	reg      atomic.Pointer[registry.Registry]
}

// SetRegistry connects the approver (it denies everything until then).
func (a *Approver) SetRegistry(r *registry.Registry) { a.reg.Store(r) }

// canonicalAction is what a human approves, and what the hash binds.
type canonicalAction struct {
	Agent  string          `json:"agent"`
	TaskID string          `json:"task_id"`
	Tool   string          `json:"tool"`
	Effect string          `json:"effect"`
	Args   json.RawMessage `json:"args"`
}

// CanonicalAction encodes req deterministically (the arguments compacted).
func CanonicalAction(req actors.ApprovalRequest) ([]byte, error) {
	args, err := compactJSON(req.Args)
	if err != nil {
		return nil, fmt.Errorf("supervisor: arguments are not JSON: %w", err)
	}
	return json.Marshal(canonicalAction{Agent: req.Agent, TaskID: req.TaskID, Tool: req.Tool, Effect: req.Effect, Args: args})
}

// Approve implements actors.Approver.
func (a *Approver) Approve(ctx context.Context, req actors.ApprovalRequest) (bool, string, error) {
	reg := a.reg.Load()
	if reg == nil {
		return false, "", fmt.Errorf("supervisor: the control plane is not connected")
	}
	action, err := CanonicalAction(req)
	if err != nil {
		return false, "", err
	}
	now := a.now()
	ap, err := reg.CreateApproval(ctx, registry.Approval{TaskID: req.TaskID, Agent: req.Agent, Tool: req.Tool,
		ArgsHash: registry.ActionHash(action), Action: action, State: registry.ApprovalPending,
		CreatedAt: now, ExpiresAt: now.Add(a.timeout()), Reason: req.Reason})
	if err != nil {
		return false, "", err
	}
	a.record(ctx, ap, "approval.requested", "escalate", req.Reason)
	wctx, cancel := context.WithTimeout(ctx, a.timeout()+5*time.Second)
	defer cancel()
	final, err := reg.Await(wctx, ap.ID)
	if err != nil {
		return false, "", fmt.Errorf("supervisor: approval %s: %w", ap.ID, err)
	}
	verdict := "block"
	if final.State == registry.ApprovalApproved {
		verdict = "pass"
	}
	a.record(ctx, final, "approval.decided", verdict, final.Reason)
	detail := fmt.Sprintf("approval %s %s by %s", final.ID, final.State, orNobody(final.DecidedBy))
	return final.State == registry.ApprovalApproved, detail, nil
}

func (a *Approver) record(ctx context.Context, ap registry.Approval, typ, verdict, reason string) {
	if a.Recorder == nil {
		return
	}
	_ = a.Recorder.Event(ctx, audit.Event{Type: typ, Verdict: verdict, Controls: []string{"EC-1.1", "OB-1.4"},
		Agent: ap.Agent, TaskID: ap.TaskID, Node: a.Node, Reason: reason,
		Attrs: map[string]string{"approval": ap.ID, "tool": ap.Tool, "args_hash": ap.ArgsHash, "state": string(ap.State), "decided_by": ap.DecidedBy}})
}

func (a *Approver) timeout() time.Duration {
	if a.Timeout > 0 {
		return a.Timeout
	}
	return 15 * time.Minute
}

func (a *Approver) now() time.Time {
	if a.Clock != nil {
		return a.Clock().UTC()
	}
	return time.Now().UTC()
}

func orNobody(s string) string {
	if s == "" {
		return "nobody (expired)"
	}
	return s
}

func compactJSON(b []byte) (json.RawMessage, error) {
	if len(b) == 0 {
		return json.RawMessage("null"), nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v) // maps are sorted by key: one encoding per value
}
