package admin_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/maso-runtime/maso/admin"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/registry"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	_, s := serveNode(t)
	res := s.post("/v1/tokens", `{"role":"viewer","name":"dashboard"}`)
	var tok struct{ Token, Role, Name string }
	res.json(t, &tok)
	if res.status != http.StatusCreated || tok.Role != "viewer" || tok.Name != "dashboard" || len(tok.Token) != 64 ||
		res.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create token: %d %s", res.status, res.body)
	}
	viewer := s.withToken(tok.Token)
	if res := viewer.get("/v1/health"); res.status != http.StatusOK {
		t.Fatalf("viewer GET: %d %s", res.status, res.body)
	}
	wantForbidden(t, "viewer POST /v1/tasks", viewer.post("/v1/tasks", `{"to":"intake","payload":{}}`), "operator")
	wantForbidden(t, "token by viewer", viewer.post("/v1/tokens", `{"role":"viewer"}`), "ciso")
	wantForbidden(t, "token by security", s.as(admin.Security).post("/v1/tokens", `{"role":"operator"}`), "ciso")

	wantError(t, "bad role", s.post("/v1/tokens", `{"role":"root"}`), 400, `unknown role "root"`)
	wantError(t, "missing role", s.post("/v1/tokens", `{"name":"x"}`), 400, `missing "role"`)
	wantError(t, "unknown field", s.post("/v1/tokens", `{"role":"viewer","ttl":5}`), 400, `unknown field "ttl"`)
	if res := s.withToken(strings.Repeat("0", 64)).get("/v1/health"); res.status != http.StatusUnauthorized {
		t.Fatalf("unknown token: %d", res.status)
	}
}

func TestAgentActions(t *testing.T) {
	t.Parallel()
	n, s := serveNode(t)
	op, sec := s.as(admin.Operator), s.as(admin.Security)
	res := op.post("/v1/agents/intake/isolate", `{"reason":"odd tool calls"}`)
	a := agentOf(t, res)
	if res.status != http.StatusOK || a.Name != "intake" || a.State != "isolated" || a.Reason != "odd tool calls" {
		t.Fatalf("isolate: %d %s", res.status, res.body)
	}
	wantForbidden(t, "resume by operator", op.post("/v1/agents/intake/resume", `{}`), "security")
	res = sec.post("/v1/agents/intake/resume", `{"reason":"explained"}`)
	if a = agentOf(t, res); res.status != http.StatusOK || a.State != "active" {
		t.Fatalf("resume: %d %s", res.status, res.body)
	}

	before, _ := n.Agent("communication")
	wantForbidden(t, "revoke by operator", op.post("/v1/agents/communication/revoke", `{}`), "security")
	res = sec.post("/v1/agents/communication/revoke", `{"reason":"key leaked"}`)
	if a = agentOf(t, res); res.status != http.StatusOK || a.State != "stopped" {
		t.Fatalf("revoke: %d %s", res.status, res.body)
	}
	revs, err := n.Registry().Revocations(context.Background())
	if err != nil || !slices.ContainsFunc(revs, func(r registry.Revocation) bool {
		return r.Agent == "communication" && strings.EqualFold(r.Serial, before.CertSerial)
	}) {
		t.Fatalf("revocations %+v (%v) lack communication's serial %s", revs, err, before.CertSerial)
	}

	wantError(t, "unknown agent", op.post("/v1/agents/nobody/isolate", `{}`), 404, `unknown agent "nobody"`)
	wantForbidden(t, "isolate by viewer", s.as(admin.Viewer).post("/v1/agents/intake/isolate", `{}`), "operator")
	wantError(t, "empty body", op.post("/v1/agents/intake/isolate", ``), 400, `empty request body: send {"reason": "..."}`)
	if res := s.get("/v1/agents/intake/isolate"); res.status != http.StatusMethodNotAllowed || res.header.Get("Allow") != "POST" {
		t.Fatalf("GET isolate: %d Allow %q", res.status, res.header.Get("Allow"))
	}
}

func agentOf(t *testing.T, res response) node.AgentInfo {
	t.Helper()
	var a node.AgentInfo
	res.json(t, &a)
	return a
}
