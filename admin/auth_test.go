package admin_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/maso-runtime/maso/admin"
)

func TestRoles(t *testing.T) {
	t.Parallel()
	if !(admin.Viewer < admin.Operator && admin.Operator < admin.Security && admin.Security < admin.CISO) {
		t.Fatal("roles are not ordered viewer < operator < security < ciso")
	}
	for _, r := range []admin.Role{admin.Viewer, admin.Operator, admin.Security, admin.CISO} {
		got, err := admin.ParseRole(strings.ToUpper(r.String()))
		if err != nil || got != r {
			t.Errorf("ParseRole(%q) = %v, %v; want %v", r.String(), got, err, r)
		}
	}
	if _, err := admin.ParseRole("root"); !errors.Is(err, admin.ErrUnknownRole) {
		t.Errorf("ParseRole(root) error = %v, want ErrUnknownRole", err)
	}
	if s := admin.Role(0).String(); s != "role(0)" {
		t.Errorf("Role(0).String() = %q", s)
	}
}

func TestStaticToken(t *testing.T) {
	t.Parallel()
	a := admin.StaticToken("s3cret-token", admin.Operator)
	if r, ok := a.Authenticate("s3cret-token"); !ok || r != admin.Operator {
		t.Errorf("right token: %v, %v", r, ok)
	}
	for _, tok := range []string{"", "s3cret-toke", "s3cret-token ", "S3CRET-TOKEN"} {
		if _, ok := a.Authenticate(tok); ok {
			t.Errorf("token %q authenticated", tok)
		}
	}
	if _, ok := admin.StaticToken("", admin.CISO).Authenticate(""); ok {
		t.Error("an empty static token authenticated the empty token")
	}
}

func TestUnauthenticated(t *testing.T) {
	t.Parallel()
	n, s := serveNode(t)
	tests := []struct{ name, header string }{
		{"no header", ""},
		{"wrong token", "Bearer " + strings.Repeat("0", 64)},
		{"basic scheme", "Basic " + n.Token()},
		{"empty bearer", "Bearer "},
	}
	for _, tt := range tests {
		for _, path := range []string{"/v1/health", "/v1/tasks/x", "/nope"} {
			req, _ := http.NewRequest(http.MethodGet, s.url+path, nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			r := readResponse(t, res)
			if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") != "Bearer" {
				t.Errorf("%s %s: %d, WWW-Authenticate %q", tt.name, path, r.status, r.header.Get("WWW-Authenticate"))
			}
			if msg := r.errorMessage(t); msg != "missing or invalid bearer token" {
				t.Errorf("%s: error %q", tt.name, msg)
			}
		}
	}
}

func TestForbidden(t *testing.T) {
	t.Parallel()
	n := startNode(t)
	s := serve(t, n, admin.StaticToken("viewer-token-0123456789abcdef", admin.Viewer), "viewer-token-0123456789abcdef")
	if res := s.get("/v1/health"); res.status != http.StatusOK {
		t.Fatalf("viewer GET /v1/health: %d %s", res.status, res.body)
	}
	res := s.post("/v1/tasks", `{"to":"intake","payload":{}}`)
	var body struct {
		Error        string `json:"error"`
		RequiredRole string `json:"required_role"`
	}
	res.json(t, &body)
	if res.status != http.StatusForbidden || body.RequiredRole != "operator" || !strings.Contains(body.Error, "viewer") {
		t.Fatalf("viewer POST /v1/tasks: %d %s", res.status, res.body)
	}
}

func TestNotConfigured(t *testing.T) {
	t.Parallel()
	n := startNode(t)
	noAuth := serve(t, n, nil, n.Token())
	if res := noAuth.get("/v1/health"); res.status != http.StatusUnauthorized {
		t.Errorf("no authenticator: %d %s", res.status, res.body)
	}
	noRuntime := serve(t, nil, admin.StaticToken("tok-0123456789abcdef0123456789ab", admin.CISO), "tok-0123456789abcdef0123456789ab")
	if res := noRuntime.get("/v1/health"); res.status != http.StatusServiceUnavailable {
		t.Errorf("no runtime: %d %s", res.status, res.body)
	}
}

func TestRequestLogOmitsToken(t *testing.T) {
	t.Parallel()
	n := startNode(t)
	var buf bytes.Buffer
	h := admin.NewHandler(admin.Config{Runtime: n, Auth: admin.StaticToken(n.Token(), admin.CISO),
		Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	req := httptest.NewRequest(http.MethodGet, "/v1/agents?token="+n.Token(), nil)
	req.Header.Set("Authorization", "Bearer "+n.Token())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	logged := buf.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	for _, want := range []string{"method=GET", "path=/v1/agents", "status=200", "duration=", "role=ciso"} {
		if !strings.Contains(logged, want) {
			t.Errorf("request log %q lacks %q", logged, want)
		}
	}
	if strings.Contains(logged, n.Token()) {
		t.Errorf("request log contains the token: %s", logged)
	}
}
