package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/admin"
	"github.com/maso-runtime/maso/internal/testlog"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/workload/claims"
)

func testLogger(t testing.TB) *slog.Logger { return testlog.New(t, slog.LevelDebug) }

// startNode starts a real node running the claims workload in a
// temporary data directory; it is stopped when the test ends.
func startNode(t testing.TB) *node.Node {
	t.Helper()
	cfg, err := claims.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	w := claims.New()
	log := testLogger(t)
	n, err := node.Start(context.Background(), node.Options{Config: cfg, DataDir: t.TempDir(),
		Behaviours: w.Behaviours(), Tools: w.Tools(), Logger: log, Telemetry: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := n.Stop(context.Background()); err != nil {
			t.Errorf("stop node: %v", err)
		}
	})
	return n
}

// server serves the admin API of rt on a loopback port.
type server struct {
	t     testing.TB
	url   string
	token string
}

func serve(t testing.TB, rt admin.Runtime, auth admin.Authenticator, token string) *server {
	t.Helper()
	h := admin.NewHandler(admin.Config{Runtime: rt, Auth: auth, Logger: testLogger(t)})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &server{t: t, url: ts.URL, token: token}
}

// serveNode starts a node and serves its API, authenticating with the
// node's token store; the server uses the bootstrap token (ciso).
func serveNode(t testing.TB) (*node.Node, *server) {
	n := startNode(t)
	return n, serve(t, n, admin.RuntimeAuth(n), n.Token())
}

// withToken returns a client of the same server using another token.
func (s *server) withToken(token string) *server {
	return &server{t: s.t, url: s.url, token: token}
}

// as creates a token with role through the API (s must be ciso) and
// returns a client using it.
func (s *server) as(role admin.Role) *server {
	s.t.Helper()
	res := s.post("/v1/tokens", `{"role":"`+role.String()+`","name":"test `+role.String()+`"}`)
	var out struct {
		Token string `json:"token"`
		Role  string `json:"role"`
	}
	res.json(s.t, &out)
	if res.status != http.StatusCreated || out.Role != role.String() || len(out.Token) != 64 {
		s.t.Fatalf("create %s token: %d %s", role, res.status, res.body)
	}
	return s.withToken(out.Token)
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response %d is not JSON: %v\n%s", r.status, err, r.body)
	}
}

// errorMessage returns the "error" field of a JSON error response.
func (r response) errorMessage(t testing.TB) string {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	r.json(t, &e)
	if e.Error == "" {
		t.Fatalf("response %d has no error message: %s", r.status, r.body)
	}
	return e.Error
}

func (s *server) do(method, path, contentType string, body []byte) response {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" && method != http.MethodHead {
		s.t.Errorf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func (s *server) get(path string) response { return s.do(http.MethodGet, path, "", nil) }

func (s *server) post(path string, body string) response {
	return s.do(http.MethodPost, path, "application/json", []byte(body))
}

// submitClaim posts synthetic claim i and returns the task id.
func (s *server) submitClaim(i int) string {
	s.t.Helper()
	payload, err := json.Marshal(claims.Synthetic(7, i))
	if err != nil {
		s.t.Fatal(err)
	}
	res := s.post("/v1/tasks", `{"to":"intake","payload":`+string(payload)+`}`)
	if res.status != http.StatusAccepted {
		s.t.Fatalf("submit: %d %s", res.status, res.body)
	}
	var out struct {
		TaskID string `json:"task_id"`
	}
	res.json(s.t, &out)
	if out.TaskID == "" || res.header.Get("Location") != "/v1/tasks/"+out.TaskID {
		s.t.Fatalf("submit: task id %q, Location %q", out.TaskID, res.header.Get("Location"))
	}
	return out.TaskID
}

// waitTask polls the task until it reaches a final state.
func (s *server) waitTask(id string) actors.TaskView {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := s.get("/v1/tasks/" + id)
		if res.status != http.StatusOK {
			s.t.Fatalf("get task: %d %s", res.status, res.body)
		}
		var v actors.TaskView
		res.json(s.t, &v)
		if v.State.Terminal() {
			return v
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("task %s still %s after 30s", id, v.State)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func readResponse(t testing.TB, res *http.Response) response {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}
