package node_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
	"github.com/maso-runtime/maso/workload/claims"
)

var operator = supervisor.Actor{Name: "claims-supervisor", Role: supervisor.Operator}

func startWorkload(t *testing.T, approvalTimeout time.Duration) (*node.Node, *claims.Workload) {
	t.Helper()
	cfg, err := claims.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	if approvalTimeout > 0 {
		cfg.PACE.ApprovalTimeout.Duration = approvalTimeout
	}
	w := claims.New()
	n, err := node.Start(context.Background(), node.Options{Config: cfg, DataDir: t.TempDir(),
		Behaviours: w.Behaviours(), Tools: w.Tools(), Telemetry: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Stop(context.Background()) })
	return n, w
}

func pendingFor(t *testing.T, n *node.Node, tool string) registry.Approval {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		aps, _ := n.Approvals(context.Background(), registry.ApprovalPending)
		for _, a := range aps {
			if a.Tool == tool {
				return a
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no pending approval for %s", tool)
	return registry.Approval{}
}

func submit(t *testing.T, n *node.Node, to string, v any) string {
	t.Helper()
	b, _ := json.Marshal(v)
	id, err := n.Submit(context.Background(), to, b)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func waitTask(t *testing.T, n *node.Node, id string) actors.TaskView {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	v, err := n.Sys.WaitTask(ctx, id)
	if err != nil {
		var hops []string
		for _, e := range v.Trail {
			hops = append(hops, fmt.Sprintf("%s %s>%s %s %s %s", e.Type, e.From, e.To, e.Tool, e.Verdict, e.Reason))
		}
		t.Fatalf("task %s: %v (%s)\n%s", id, err, v.State, strings.Join(hops, "\n"))
	}
	return v
}

// TestHighValueAssessmentApproved: analysis's amount above $50,000 escalates
// and waits; approved, the task completes with its letter staged; the
// letter's send (external) escalates every time.
func TestHighValueAssessmentApproved(t *testing.T) {
	n, w := startWorkload(t, 0)
	id := submit(t, n, "intake", claims.HighValue(80000))
	ap := pendingFor(t, n, claims.ToolRecordAssessment)
	if ap.Agent != "analysis" || ap.TaskID != id || !strings.Contains(string(ap.Action), `"amount":80000`) {
		t.Fatalf("approval %+v", ap)
	}
	if v, _ := n.Task(id); v.State != actors.TaskRunning {
		t.Fatalf("task %s while waiting for approval", v.State)
	}
	if _, err := n.Decide(context.Background(), ap.ID, true, "amount checked", operator); err != nil {
		t.Fatal(err)
	}
	v := waitTask(t, n, id)
	var res struct {
		LetterID string `json:"letter_id"`
	}
	_ = json.Unmarshal(v.Result, &res)
	if v.State != actors.TaskCompleted || res.LetterID == "" || len(w.Letters()) != 1 {
		t.Fatalf("task %s %s, letters %d", v.State, v.Error, len(w.Letters()))
	}
	send := submit(t, n, "send", map[string]string{"letter_id": res.LetterID})
	sap := pendingFor(t, n, claims.ToolSendLetter)
	if _, err := n.Decide(context.Background(), sap.ID, true, "letter reviewed", operator); err != nil {
		t.Fatal(err)
	}
	if v := waitTask(t, n, send); v.State != actors.TaskCompleted || w.Letters()[0].SentAt == nil {
		t.Fatalf("send task %s %s", v.State, v.Error)
	}
}

// TestHighValueAssessmentDenied: denied, the task ends blocked and no
// letter is drafted or sent; the assessment is not recorded.
func TestHighValueAssessmentDenied(t *testing.T) {
	n, w := startWorkload(t, 0)
	id := submit(t, n, "intake", claims.HighValue(120000))
	ap := pendingFor(t, n, claims.ToolRecordAssessment)
	if _, err := n.Decide(context.Background(), ap.ID, false, "amount not justified", operator); err != nil {
		t.Fatal(err)
	}
	v := waitTask(t, n, id)
	if v.State != actors.TaskBlocked || !strings.Contains(v.Error, "denied") {
		t.Fatalf("task %s %s", v.State, v.Error)
	}
	if len(w.Letters()) != 0 {
		t.Fatal("a letter was drafted after the denial")
	}
	for _, e := range v.Trail {
		if e.To == "communication" {
			t.Fatalf("work reached communication after the denial: %+v", e)
		}
	}
}

// TestApprovalTimeoutIsADenial: nobody decides; the approval expires, which
// counts as a denial: no side effect, task blocked.
func TestApprovalTimeoutIsADenial(t *testing.T) {
	n, w := startWorkload(t, 300*time.Millisecond)
	id := submit(t, n, "intake", claims.HighValue(90000))
	v := waitTask(t, n, id)
	if v.State != actors.TaskBlocked || !strings.Contains(v.Error, "expired") {
		t.Fatalf("task %s %s", v.State, v.Error)
	}
	if len(w.Letters()) != 0 {
		t.Fatal("a letter was drafted after the approval expired")
	}
}

// TestRoutineClaimAutoApproved: registration and staging are auto-approved;
// the task completes when its letter is staged, with nobody asked.
func TestRoutineClaimAutoApproved(t *testing.T) {
	n, w := startWorkload(t, 0)
	v := waitTask(t, n, submit(t, n, "intake", claims.Synthetic(7, 1)))
	if v.State != actors.TaskCompleted || len(w.Letters()) != 1 {
		t.Fatalf("task %s %s", v.State, v.Error)
	}
	if aps, _ := n.Approvals(context.Background(), ""); len(aps) != 0 {
		t.Fatalf("a routine claim asked for %d approvals", len(aps))
	}
}
