package mcp

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/maso-runtime/maso/tools"
)

// lookupDesc is the vetted description of the test server's "lookup".
const lookupDesc = "Look up a policy by its number and return its status."

type lookupIn struct {
	PolicyNumber string `json:"policy_number" jsonschema:"the policy number"`
}

type lookupOut struct {
	PolicyNumber string `json:"policy_number"`
	Status       string `json:"status"`
}

// noteSchema is the exact input schema of the raw tool "note".
var noteSchema = map[string]any{
	"type":       "object",
	"properties": map[string]any{"q": map[string]any{"type": "string", "maxLength": 64}},
}

// testServer is an MCP server from the SDK behind a streamable-HTTP
// handler on 127.0.0.1. It counts HTTP requests, MCP methods and
// invocations of its tools.
type testServer struct {
	mcp      *sdk.Server
	http     *httptest.Server
	requests atomic.Int64
	lookups  atomic.Int64 // invocations of "lookup"
	mu       sync.Mutex
	methods  map[string]int
	stopOnce sync.Once
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	s := &testServer{methods: map[string]int{}}
	s.mcp = sdk.NewServer(&sdk.Implementation{Name: "crm", Version: "1"}, nil)
	s.mcp.AddReceivingMiddleware(func(next sdk.MethodHandler) sdk.MethodHandler {
		return func(ctx context.Context, method string, req sdk.Request) (sdk.Result, error) {
			s.mu.Lock()
			s.methods[method]++
			s.mu.Unlock()
			return next(ctx, method, req)
		}
	})
	s.addLookup(lookupDesc)
	sdk.AddTool(s.mcp, &sdk.Tool{Name: "fail", Description: "Always fails."},
		func(context.Context, *sdk.CallToolRequest, lookupIn) (*sdk.CallToolResult, lookupOut, error) {
			return nil, lookupOut{}, errors.New("policy system offline")
		})
	s.addNote(noteSchema)
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return s.mcp }, nil)
	s.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		s.requests.Add(1)
		h.ServeHTTP(w, req)
	}))
	t.Cleanup(s.stop)
	return s
}

// addLookup registers "lookup" with desc, replacing any earlier one.
func (s *testServer) addLookup(desc string) {
	sdk.AddTool(s.mcp, &sdk.Tool{Name: "lookup", Description: desc},
		func(_ context.Context, _ *sdk.CallToolRequest, in lookupIn) (*sdk.CallToolResult, lookupOut, error) {
			s.lookups.Add(1)
			return nil, lookupOut{PolicyNumber: in.PolicyNumber, Status: "active"}, nil
		})
}

// addNote registers the raw tool "note", which answers with two pieces
// of text and no structured content.
func (s *testServer) addNote(schema any) {
	s.mcp.AddTool(&sdk.Tool{Name: "note", Description: "Notes <a> & <b>.", InputSchema: schema},
		func(context.Context, *sdk.CallToolRequest) (*sdk.CallToolResult, error) {
			return &sdk.CallToolResult{Content: []sdk.Content{
				&sdk.TextContent{Text: "line one"}, &sdk.TextContent{Text: "line two"},
			}}, nil
		})
}

func (s *testServer) method(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.methods[name]
}

func (s *testServer) url() string { return s.http.URL }

func (s *testServer) stop() {
	s.stopOnce.Do(func() {
		s.http.CloseClientConnections()
		s.http.Close()
	})
}

// fakeClock drives the description cache.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// logBuffer collects log output safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newRegistry returns a registry over servers on a fake clock, logging
// at debug level into the returned buffer, closed when the test ends.
func newRegistry(t *testing.T, servers ...Server) (*Registry, *fakeClock, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r, err := NewRegistry(servers, log)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	r.now = clock.Now
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return r, clock, logs
}

func ctxT(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func wantErr(t *testing.T, err, target error, substr string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v, want %v", err, target)
	}
	if !strings.Contains(err.Error(), substr) {
		t.Fatalf("error %q does not mention %q", err, substr)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(msg)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// pinned is the mcp section of a manifest.
func pinned(server, tool, sha string) tools.MCPRuntime {
	return tools.MCPRuntime{Server: server, Tool: tool, DescriptionSHA256: sha}
}

// pinFrom pins a tool through a registry of its own, as an operator
// would before the runtime starts.
func pinFrom(t *testing.T, url, tool string) string {
	t.Helper()
	r, err := NewRegistry([]Server{{Name: "vetting", URL: url}}, nil)
	must(t, err)
	defer func() { must(t, r.Close()) }()
	sha, err := r.Pin(ctxT(t, 10*time.Second), "vetting", tool)
	must(t, err)
	return sha
}

func contains(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
