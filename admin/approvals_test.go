package admin_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/admin"
	"github.com/maso-runtime/maso/registry"
)

// approvalList lists approvals through the API.
func (s *server) approvalList(query string) []registry.Approval {
	s.t.Helper()
	var out struct {
		Approvals []registry.Approval `json:"approvals"`
	}
	res := s.get("/v1/approvals" + query)
	res.json(s.t, &out)
	if res.status != http.StatusOK || out.Approvals == nil {
		s.t.Fatalf("list approvals%s: %d %s", query, res.status, res.body)
	}
	return out.Approvals
}

// pendingFor waits for a pending approval of the task.
func (s *server) pendingFor(taskID string) registry.Approval {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		for _, ap := range s.approvalList("?state=pending") {
			if ap.TaskID == taskID {
				return ap
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatalf("no pending approval for task %s", taskID)
	return registry.Approval{}
}

// decide posts a decision and returns the answer.
func (s *server) decide(id, decision string) response {
	return s.post("/v1/approvals/"+id, `{"decision":"`+decision+`","reason":"checked by a human"}`)
}

// approveUntilDone approves every write of the task until it ends.
func (s *server) approveUntilDone(taskID string) actors.TaskView {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var v actors.TaskView
		s.get("/v1/tasks/"+taskID).json(s.t, &v)
		if v.State.Terminal() {
			return v
		}
		for _, ap := range s.approvalList("?state=pending") {
			if ap.TaskID != taskID {
				continue
			}
			var got registry.Approval
			res := s.decide(ap.ID, "approve")
			res.json(s.t, &got)
			if res.status != http.StatusOK || got.State != registry.ApprovalApproved || got.DecidedBy != "token:operator" {
				s.t.Fatalf("approve %s: %d %s", ap.ID, res.status, res.body)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatalf("task %s did not finish", taskID)
	return actors.TaskView{}
}

func TestApprovals(t *testing.T) {
	t.Parallel()
	_, s := serveNode(t)
	op, viewer := s.as(admin.Operator), s.as(admin.Viewer)
	if list := viewer.approvalList(""); len(list) != 0 {
		t.Fatalf("approvals on a fresh node: %+v", list)
	}
	wantError(t, "bad state", s.get("/v1/approvals?state=open"), 400, `unknown approval state "open"`)
	if res := s.as(admin.Security).post("/v1/phase", `{"to":"alternate","reason":"drill"}`); res.status != http.StatusOK {
		t.Fatalf("P→A: %d %s", res.status, res.body)
	}

	// In Alternate intake's register_claim is a write: it waits for a human.
	id := op.submitClaim(5)
	ap := op.pendingFor(id)
	if ap.Agent != "intake" || ap.Tool != "register_claim" || ap.State != registry.ApprovalPending ||
		ap.ArgsHash != registry.ActionHash(ap.Action) || !ap.ExpiresAt.After(ap.CreatedAt) {
		t.Fatalf("approval %+v", ap)
	}
	wantForbidden(t, "decide by viewer", viewer.decide(ap.ID, "approve"), "operator")
	wantError(t, "bad decision", op.decide(ap.ID, "maybe"), 400, `unknown decision "maybe"`)
	if v := op.approveUntilDone(id); v.State != actors.TaskCompleted {
		t.Fatalf("approved task: %+v", v)
	}
	wantError(t, "decide twice", op.decide(ap.ID, "deny"), 409, "already decided")

	// A denied write fails its task.
	id = op.submitClaim(6)
	ap = op.pendingFor(id)
	var denied registry.Approval
	res := op.decide(ap.ID, "deny")
	res.json(t, &denied)
	if res.status != http.StatusOK || denied.State != registry.ApprovalDenied || denied.Reason != "checked by a human" {
		t.Fatalf("deny: %d %s", res.status, res.body)
	}
	if v := op.waitTask(id); v.State != actors.TaskFailed && v.State != actors.TaskBlocked {
		t.Fatalf("denied task: %+v", v)
	}
	wantError(t, "approve after deny", op.decide(ap.ID, "approve"), 409, "was denied by token:operator")
	wantError(t, "unknown approval", op.decide("no-such-approval", "approve"), 404, "not found")
	if list := viewer.approvalList("?state=denied"); len(list) != 1 || list[0].ID != ap.ID {
		t.Fatalf("denied approvals: %+v", list)
	}
	if all, approved := viewer.approvalList("?state=all"), viewer.approvalList("?state=approved"); len(all) < 3 || len(approved) < 2 {
		t.Fatalf("all %d, approved %d", len(all), len(approved))
	}
}

func TestApprovalExpired(t *testing.T) {
	t.Parallel()
	n, s := serveNode(t)
	action := []byte(`{"agent":"intake","tool":"register_claim","args":{}}`)
	now := time.Now().UTC()
	ap, err := n.Registry().CreateApproval(context.Background(), registry.Approval{TaskID: "t-1", Agent: "intake",
		Tool: "register_claim", Action: action, ArgsHash: registry.ActionHash(action),
		CreatedAt: now, ExpiresAt: now.Add(200 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	if list := s.approvalList("?state=pending"); len(list) != 1 || list[0].ID != ap.ID {
		t.Fatalf("pending: %+v", list)
	}
	time.Sleep(300 * time.Millisecond)
	if list := s.approvalList("?state=expired"); len(list) != 1 || list[0].ID != ap.ID {
		t.Fatalf("expired: %+v", list)
	}
	wantError(t, "decide expired", s.decide(ap.ID, "approve"), 409, "expired: counts as denied")
}
