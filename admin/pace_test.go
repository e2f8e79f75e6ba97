package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/maso-runtime/maso/admin"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
)

// phaseOf decodes a PhaseState answer.
func phaseOf(t *testing.T, res response) registry.PhaseState {
	t.Helper()
	var ps registry.PhaseState
	res.json(t, &ps)
	return ps
}

// wantForbidden checks a 403 naming the role it needs.
func wantForbidden(t *testing.T, what string, res response, role string) {
	t.Helper()
	var body struct {
		Error        string `json:"error"`
		RequiredRole string `json:"required_role"`
	}
	res.json(t, &body)
	if res.status != http.StatusForbidden || body.RequiredRole != role || body.Error == "" {
		t.Fatalf("%s: %d %s; want 403 requiring %s", what, res.status, res.body, role)
	}
}

// wantError checks the status and that the error message has every part.
func wantError(t *testing.T, what string, res response, status int, parts ...string) {
	t.Helper()
	if res.status != status {
		t.Fatalf("%s: %d %s; want %d", what, res.status, res.body, status)
	}
	msg := res.errorMessage(t)
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Fatalf("%s: error %q lacks %q", what, msg, p)
		}
	}
}

func (s *server) health() node.Health {
	s.t.Helper()
	var h node.Health
	s.get("/v1/health").json(s.t, &h)
	return h
}

func TestPhaseGet(t *testing.T) {
	t.Parallel()
	_, s := serveNode(t)
	res := s.as(admin.Viewer).get("/v1/phase")
	var v node.PhaseView
	res.json(t, &v)
	if res.status != http.StatusOK || v.Phase != registry.PhasePrimary || v.Epoch != 0 || v.Stale ||
		v.History == nil || len(v.History) != 0 || !strings.Contains(string(res.body), `"history":[]`) {
		t.Fatalf("phase: %d %s", res.status, res.body)
	}
}

func TestPhaseTransitions(t *testing.T) {
	t.Parallel()
	_, s := serveNode(t)
	op, sec := s.as(admin.Operator), s.as(admin.Security)

	wantForbidden(t, "P→A by operator", op.post("/v1/phase", `{"to":"alternate","reason":"drift","agent":"analysis"}`), "security")
	res := sec.post("/v1/phase", `{"to":"alternate","reason":"drift on analysis","agent":"analysis"}`)
	ps := phaseOf(t, res)
	if res.status != http.StatusOK || ps.Phase != supervisor.Alternate || ps.Epoch != 1 || ps.Agent != "analysis" ||
		ps.Who != "token:security" || ps.Role != "security" || ps.Auto {
		t.Fatalf("P→A by security: %d %s", res.status, res.body)
	}
	if h := s.health(); h.Phase != "alternate" {
		t.Fatalf("health after P→A: phase %q", h.Phase)
	}
	if a := s.get("/v1/agents/analysis"); a.status != http.StatusOK || !strings.Contains(string(a.body), `"state":"isolated"`) {
		t.Fatalf("analysis after P→A: %d %s", a.status, a.body)
	}

	wantError(t, "A→A", sec.post("/v1/phase", `{"to":"a","reason":"again"}`), 400, "already in alternate")
	res = sec.post("/v1/phase", `{"to":"contingency","reason":"backup misbehaves too"}`)
	if ps := phaseOf(t, res); res.status != http.StatusOK || ps.Phase != supervisor.Contingency || ps.Epoch != 2 {
		t.Fatalf("A→C by security: %d %s", res.status, res.body)
	}
	wantForbidden(t, "C→E by security", sec.post("/v1/phase", `{"to":"emergency","reason":"exfiltration"}`), "ciso")
	wantError(t, "recover outside emergency", s.post("/v1/recover", `{"review":{}}`), 400, "not in emergency", "/v1/phase")

	var v node.PhaseView
	s.get("/v1/phase").json(t, &v)
	if v.Phase != supervisor.Contingency || v.Epoch != 2 || len(v.History) != 2 ||
		v.History[0].Phase != supervisor.Alternate || v.History[1].Phase != supervisor.Contingency {
		t.Fatalf("phase view after A→C: %+v", v)
	}
}

func TestPhaseRequestRejects(t *testing.T) {
	t.Parallel()
	_, s := serveNode(t)
	tests := []struct {
		name, body string
		want       string
	}{
		{"unknown phase", `{"to":"panic","reason":"x"}`, `unknown phase "panic"`},
		{"missing to", `{"reason":"x"}`, `missing "to"`},
		{"missing reason", `{"to":"alternate"}`, `missing "reason"`},
		{"blank reason", `{"to":"alternate","reason":"  "}`, `missing "reason"`},
		{"unknown field", `{"to":"alternate","reason":"x","force":true}`, `unknown field "force" in the request body (allowed: "to", "reason", "agent")`},
		{"bad JSON", `{"to":"alternate",}`, "byte offset 19"},
		{"empty body", ``, `empty request body: send {"to": "alternate"`},
	}
	for _, tt := range tests {
		wantError(t, tt.name, s.post("/v1/phase", tt.body), 400, tt.want)
	}
	res := s.do(http.MethodPost, "/v1/phase", "text/plain", []byte(`{"to":"alternate","reason":"x"}`))
	wantError(t, "text/plain", res, 415, "unsupported Content-Type")
	if h := s.health(); h.Phase != "primary" {
		t.Fatalf("a rejected request changed the phase to %s", h.Phase)
	}
}

func TestKillSwitchAndRecover(t *testing.T) {
	t.Parallel()
	_, s := serveNode(t)
	sec := s.as(admin.Security)
	wantForbidden(t, "kill switch by security", sec.post("/v1/killswitch", `{"reason":"x"}`), "ciso")
	wantError(t, "kill switch without reason", s.post("/v1/killswitch", `{}`), 400, `missing "reason"`)

	res := s.post("/v1/killswitch", `{"reason":"confirmed exfiltration"}`)
	var kr supervisor.KillResult
	res.json(t, &kr)
	if res.status != http.StatusOK || kr.Phase != supervisor.Emergency || kr.StoppedAgents != 3 || kr.ElapsedMS <= 0 ||
		!kr.Recorded || kr.Warning != "" {
		t.Fatalf("kill switch: %d %s", res.status, res.body)
	}
	if h := s.health(); h.Phase != "emergency" {
		t.Fatalf("health after the kill switch: phase %q", h.Phase)
	}
	res = s.post("/v1/tasks", `{"to":"intake","payload":{}}`)
	var refused struct{ Error, Phase string }
	res.json(t, &refused)
	if res.status != http.StatusConflict || refused.Phase != "emergency" || !strings.Contains(refused.Error, "refused") {
		t.Fatalf("task in emergency: %d %s", res.status, res.body)
	}
	wantError(t, "E→P via /v1/phase", s.post("/v1/phase", `{"to":"primary","reason":"done"}`), 400, "POST /v1/recover")
	wantError(t, "isolate in emergency", s.post("/v1/agents/intake/isolate", `{}`), 409, "emergency")
	wantForbidden(t, "recover by security", sec.post("/v1/recover", `{"review":{}}`), "ciso")

	wantError(t, "incomplete review", s.post("/v1/recover", `{"review":{"root_cause":"stolen key"}}`), 400,
		"missing remediation, baselines_updated (must be true), approver")
	wantError(t, "no review", s.post("/v1/recover", `{}`), 400, "missing root_cause, remediation")
	wantError(t, "unknown review field", s.post("/v1/recover", `{"review":{"rootcause":"x"}}`), 400, `unknown field "rootcause"`)

	res = s.post("/v1/recover", `{"review":{"root_cause":"stolen key","remediation":"rotated","baselines_updated":true,"approver":"ciso@example"}}`)
	if ps := phaseOf(t, res); res.status != http.StatusOK || ps.Phase != supervisor.Primary || ps.Epoch != 2 || ps.Role != "ciso" {
		t.Fatalf("recover: %d %s", res.status, res.body)
	}
	if v := s.waitTask(s.submitClaim(4)); v.State != "completed" {
		t.Fatalf("claim after recovery: %+v", v)
	}
}
