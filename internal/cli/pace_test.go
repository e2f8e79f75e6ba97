package cli_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/admin"
	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/workload/claims"
)

// claimPayload is synthetic claim i as JSON.
func claimPayload(i int) string {
	b, _ := json.Marshal(claims.Synthetic(13, i))
	return string(b)
}

func TestPhaseCommands(t *testing.T) {
	t.Parallel()
	a := startAPI(t, admin.CISO)
	op, sec := a.as(t, admin.Operator), a.as(t, admin.Security)
	a.ctl(t, "phase").want(t, 0, "phase:  primary\n", "epoch:  0\n", "history: no phase changes recorded")

	op.ctl(t, "phase", "set", "alternate", "--reason", "drift", "--agent", "analysis").
		wantErr(t, 1, "needs the security role", "HTTP 403 Forbidden; requires role security")
	sec.ctl(t, "phase", "set", "alternate", "--reason", "drift on analysis", "--agent", "analysis").
		want(t, 0, "phase:  alternate\n", "epoch:  1\n", "who:    token:security (security)\n", "agent:  analysis\n")
	a.ctl(t, "health").want(t, 0, "phase:        alternate")
	a.ctl(t, "agents", "get", "analysis").want(t, 0, "state:          isolated")
	sec.ctl(t, "phase", "set", "C", "--reason", "backup misbehaves").want(t, 0, "phase:  contingency\n")
	sec.ctl(t, "phase", "set", "emergency", "--reason", "exfiltration").wantErr(t, 1, "requires role ciso")

	r := op.ctl(t, "phase")
	r.want(t, 0, "phase:  contingency\n", "EPOCH  PHASE", "REASON")
	for _, row := range []string{`1 +alternate +\S+ +token:security +security +analysis +drift on analysis`,
		`2 +contingency +\S+ +token:security +security +- +backup misbehaves`} {
		if !regexp.MustCompile(row).MatchString(r.stdout) {
			t.Errorf("history lacks %q:\n%s", row, r.stdout)
		}
	}
	var v struct {
		Phase   string            `json:"phase"`
		History []json.RawMessage `json:"history"`
	}
	if r := a.ctl(t, "phase", "--json"); json.Unmarshal([]byte(r.stdout), &v) != nil || v.Phase != "contingency" || len(v.History) != 2 {
		t.Fatalf("phase --json: %+v", r)
	}

	a.ctl(t, "phase", "set", "panic", "--reason", "x").wantErr(t, 2, `unknown phase "panic"`)
	a.ctl(t, "phase", "set", "alternate").wantErr(t, 2, "phase set needs --reason R")
	a.ctl(t, "phase", "set", "--reason", "x").wantErr(t, 2, "missing phase")
}

func TestKillAndRecoverCommands(t *testing.T) {
	t.Parallel()
	a := startAPI(t, admin.CISO)
	a.as(t, admin.Security).ctl(t, "kill", "--reason", "x").wantErr(t, 1, "HTTP 403 Forbidden; requires role ciso")
	a.ctl(t, "kill").wantErr(t, 2, "kill needs --reason R")

	r := a.ctl(t, "kill", "--reason", "confirmed exfiltration")
	r.want(t, 0)
	if !regexp.MustCompile(`^emergency: 3 agents stopped in \d+\.\d{3} ms\n$`).MatchString(r.stdout) || r.stderr != "" {
		t.Fatalf("kill printed:\n%s%s", r.stdout, r.stderr)
	}
	a.ctl(t, "task", "submit", "--to", "intake", "--payload", claimPayload(1)).
		wantErr(t, 1, "new tasks are refused", "HTTP 409")
	a.ctl(t, "phase", "set", "primary", "--reason", "done").wantErr(t, 1, "POST /v1/recover", "HTTP 400", "run 'masoctl recover'")
	a.ctl(t, "agents", "resume", "intake").wantErr(t, 1, "HTTP 409", "recover to primary first")

	a.ctl(t, "recover", "--root-cause", "stolen key").
		wantErr(t, 2, "missing --remediation, --baselines-updated, --approver")
	a.ctl(t, "recover", "--root-cause", "stolen key", "--remediation", "rotated", "--baselines-updated",
		"--approver", "ciso@example").want(t, 0, "phase:  primary\n", "epoch:  2\n", "who:    token:ciso (ciso)\n")
	a.ctl(t, "task", "submit", "--to", "intake", "--payload", claimPayload(2), "--wait").want(t, 0, ": completed")
	a.ctl(t, "phase").want(t, 0, "1      emergency", "2      primary")
}

func TestKillJSON(t *testing.T) {
	t.Parallel()
	a := startAPI(t, admin.CISO)
	r := a.ctl(t, "kill", "--reason", "drill", "--json")
	var res struct {
		Phase         string  `json:"phase"`
		StoppedAgents int     `json:"stopped_agents"`
		ElapsedMS     float64 `json:"elapsed_ms"`
		Recorded      bool    `json:"recorded"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Phase != "emergency" ||
		res.StoppedAgents != 3 || res.ElapsedMS <= 0 || !res.Recorded {
		t.Fatalf("kill --json: %+v", r)
	}
}

// approvalsFor lists the approvals of a task in state through masoctl.
func (a *api) approvalsFor(t *testing.T, state, taskID string) []registry.Approval {
	t.Helper()
	r := a.ctl(t, "approvals", "--state", state, "--json")
	var list struct {
		Approvals []registry.Approval `json:"approvals"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &list) != nil {
		t.Fatalf("approvals --json: %+v", r)
	}
	var out []registry.Approval
	for _, ap := range list.Approvals {
		if ap.TaskID == taskID {
			out = append(out, ap)
		}
	}
	return out
}

// pendingFor waits for a pending approval of the task.
func (a *api) pendingFor(t *testing.T, taskID string) registry.Approval {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if list := a.approvalsFor(t, "pending", taskID); len(list) > 0 {
			return list[0]
		}
	}
	t.Fatalf("no pending approval for task %s", taskID)
	return registry.Approval{}
}

// taskState reads a task's state through masoctl.
func (a *api) taskState(t *testing.T, id string) string {
	t.Helper()
	var v struct {
		State string `json:"state"`
	}
	if r := a.ctl(t, "task", "get", id, "--json"); json.Unmarshal([]byte(r.stdout), &v) != nil {
		t.Fatalf("task get: %+v", r)
	}
	return v.State
}

// approveUntilDone approves the task's actions until it ends.
func (a *api) approveUntilDone(t *testing.T, id string) string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		switch st := a.taskState(t, id); st {
		case "completed", "failed", "blocked":
			return st
		}
		for _, ap := range a.approvalsFor(t, "pending", id) {
			a.ctl(t, "approvals", "approve", ap.ID, "--reason", "looks right").
				want(t, 0, "approval "+ap.ID+": approved by token:operator")
		}
	}
	t.Fatalf("task %s did not finish", id)
	return ""
}

func TestApprovalCommands(t *testing.T) {
	t.Parallel()
	a := startAPI(t, admin.CISO)
	op := a.as(t, admin.Operator)
	op.ctl(t, "approvals").want(t, 0, "no approvals\n")
	op.ctl(t, "approvals", "--state", "open").wantErr(t, 2, `--state "open"`)
	a.as(t, admin.Security).ctl(t, "phase", "set", "alternate", "--reason", "drill").want(t, 0)

	id := strings.TrimSpace(op.ctl(t, "task", "submit", "--to", "intake", "--payload", claimPayload(3)).stdout)
	first := op.pendingFor(t, id)
	op.ctl(t, "approvals", "list", "--state", "pending").want(t, 0, "ID", "DECIDED-BY", first.ID+"  pending  intake  register_claim  "+id)
	a.as(t, admin.Viewer).ctl(t, "approvals", "approve", first.ID).wantErr(t, 1, "requires role operator")
	if st := op.approveUntilDone(t, id); st != "completed" {
		t.Fatalf("approved task ended %s", st)
	}
	op.ctl(t, "approvals", "deny", first.ID).wantErr(t, 1, "already decided", "HTTP 409")

	id = strings.TrimSpace(op.ctl(t, "task", "submit", "--to", "intake", "--payload", claimPayload(4)).stdout)
	ap := op.pendingFor(t, id)
	op.ctl(t, "approvals", "deny", ap.ID, "--reason", "not justified").
		want(t, 0, "approval "+ap.ID+": denied by token:operator (intake register_claim of task "+id+")")
	r := op.ctl(t, "task", "watch", id)
	if r.code != 1 || !(strings.Contains(r.stdout, ": failed") || strings.Contains(r.stdout, ": blocked")) {
		t.Fatalf("denied task: %+v", r)
	}
	op.ctl(t, "approvals", "--state", "denied").want(t, 0, ap.ID+"  denied", "token:operator")
	op.ctl(t, "approvals", "approve", "no-such-approval").wantErr(t, 1, "HTTP 404")
}

func TestAgentCommands(t *testing.T) {
	t.Parallel()
	a := startAPI(t, admin.CISO)
	op, sec := a.as(t, admin.Operator), a.as(t, admin.Security)
	op.ctl(t, "agents", "isolate", "intake", "--reason", "odd tool calls").want(t, 0, "intake: isolated (odd tool calls)\n")
	op.ctl(t, "agents", "resume", "intake").wantErr(t, 1, "requires role security")
	sec.ctl(t, "agents", "resume", "intake", "--reason", "explained").want(t, 0, "intake: active (explained)\n")
	sec.ctl(t, "agents", "revoke", "communication", "--reason", "key leaked").
		want(t, 0, "communication: stopped (credential revoked: key leaked)\n")
	a.ctl(t, "agents").want(t, 0)
	if r := a.ctl(t, "agents", "get", "communication"); !strings.Contains(r.stdout, "stopped") {
		t.Fatalf("communication after revoke:\n%s", r.stdout)
	}
	op.ctl(t, "agents", "isolate", "nobody").wantErr(t, 1, `unknown agent "nobody"`, "HTTP 404")
	op.ctl(t, "agents", "isolate").wantErr(t, 2, "missing agent NAME")
}

func TestTokenCommand(t *testing.T) {
	t.Parallel()
	a := startAPI(t, admin.CISO)
	r := a.ctl(t, "token", "create", "--role", "viewer", "--name", "dashboard")
	if r.code != 0 || !regexp.MustCompile(`^[0-9a-f]{64}\n$`).MatchString(r.stdout) || r.stderr != "" {
		t.Fatalf("token create: %+v", r)
	}
	viewer := &api{node: a.node, url: a.url, token: strings.TrimSpace(r.stdout)}
	viewer.ctl(t, "phase").want(t, 0, "phase:  primary")
	viewer.ctl(t, "task", "submit", "--to", "intake", "--payload", "{}").wantErr(t, 1, "requires role operator")
	viewer.ctl(t, "token", "create", "--role", "viewer").wantErr(t, 1, "requires role ciso")

	var out struct{ Token, Role, Name string }
	r = a.ctl(t, "token", "create", "--role", "Operator", "--json")
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil || len(out.Token) != 64 || out.Role != "operator" {
		t.Fatalf("token create --json: %+v", r)
	}
	a.as(t, admin.Security).ctl(t, "token", "create", "--role", "viewer").wantErr(t, 1, "HTTP 403 Forbidden; requires role ciso")
	a.ctl(t, "token", "create").wantErr(t, 2, "token create needs --role R")
	a.ctl(t, "token", "create", "--role", "root").wantErr(t, 2, `unknown role "root"`)
}
