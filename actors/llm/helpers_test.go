package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
)

// seenRequest is what the fake server received in one call.
type seenRequest struct {
	Method, Path, Query, Auth, ContentType string
	Fields                                 map[string]json.RawMessage
	Model                                  string
	Temperature                            float64
	Messages                               []ChatMessage
}

// fakeLLM is a real loopback OpenAI-compatible server. By default it answers
// every valid request with a fixed completion; handler overrides that.
type fakeLLM struct {
	t       *testing.T
	srv     *httptest.Server
	handler http.HandlerFunc
	mu      sync.Mutex
	seen    []seenRequest
}

const fakeAnswer = "the answer"

func newFakeLLM(t *testing.T, handler http.HandlerFunc) *fakeLLM {
	t.Helper()
	f := &fakeLLM{t: t, handler: handler}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// endpoint is the API base URL of the server.
func (f *fakeLLM) endpoint() string { return f.srv.URL + "/v1" }

func (f *fakeLLM) serve(w http.ResponseWriter, r *http.Request) {
	seen, err := parseChat(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.seen = append(f.seen, seen)
	f.mu.Unlock()
	if f.handler != nil {
		f.handler(w, r)
		return
	}
	writeCompletion(w, "served-model", fakeAnswer)
}

// requests returns what the server received so far.
func (f *fakeLLM) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenRequest(nil), f.seen...)
}

// only returns the single request the server received.
func (f *fakeLLM) only() seenRequest {
	f.t.Helper()
	reqs := f.requests()
	if len(reqs) != 1 {
		f.t.Fatalf("server saw %d requests, want 1", len(reqs))
	}
	return reqs[0]
}

// parseChat decodes a chat-completions request independently of the
// package's own wire types.
func parseChat(r *http.Request) (seenRequest, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return seenRequest{}, err
	}
	s := seenRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Auth: r.Header.Get("Authorization"), ContentType: r.Header.Get("Content-Type")}
	if err := json.Unmarshal(body, &s.Fields); err != nil {
		return seenRequest{}, err
	}
	var req struct {
		Model       string  `json:"model"`
		Temperature float64 `json:"temperature"`
		Messages    []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return seenRequest{}, err
	}
	s.Model, s.Temperature = req.Model, req.Temperature
	for _, m := range req.Messages {
		s.Messages = append(s.Messages, ChatMessage{Role: m.Role, Content: m.Content})
	}
	if r.Method != http.MethodPost || len(s.Messages) == 0 {
		return seenRequest{}, errors.New("want a POST with messages")
	}
	return s, nil
}

func writeCompletion(w http.ResponseWriter, model, content string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "model": model,
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content},
		}},
		"usage": map[string]any{"prompt_tokens": 11, "completion_tokens": 3, "total_tokens": 14},
	})
}

// slowHandler answers only after the client gave up or the test ended.
func slowHandler(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(5 * time.Second):
		writeCompletion(w, "slow", "too late")
	}
}

// sent is one Send recorded by fakeContext.
type sent struct {
	To      string
	Kind    actors.Kind
	Payload any
	Opts    int
}

// fakeContext is a test double of actors.Context that records the calls a
// behaviour makes to route its result.
type fakeContext struct {
	ctx       context.Context
	task      actors.Task
	log       *slog.Logger
	logs      *bytes.Buffer
	replyErr  error
	sends     []sent
	completes []any
	replies   []any
}

var errNotInTest = errors.New("not supported by the fake context")

func newFakeContext(t *testing.T) *fakeContext {
	logs := &bytes.Buffer{}
	return &fakeContext{
		ctx:  t.Context(),
		logs: logs,
		log:  slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

func (c *fakeContext) Self() string         { return "agent" }
func (c *fakeContext) Ctx() context.Context { return c.ctx }
func (c *fakeContext) Task() actors.Task    { return c.task }
func (c *fakeContext) Memory() actors.Memory {
	return nil
}
func (c *fakeContext) Logger() *slog.Logger { return c.log }

func (c *fakeContext) Send(to string, kind actors.Kind, payload any, opts ...actors.SendOption) error {
	c.sends = append(c.sends, sent{To: to, Kind: kind, Payload: payload, Opts: len(opts)})
	return nil
}

func (c *fakeContext) Reply(payload any, _ ...actors.SendOption) error {
	if c.replyErr != nil {
		return c.replyErr
	}
	c.replies = append(c.replies, payload)
	return nil
}

func (c *fakeContext) Complete(result any) error {
	c.completes = append(c.completes, result)
	return nil
}

func (c *fakeContext) Request(string, actors.Kind, any, time.Duration, ...actors.SendOption) (actors.Message, error) {
	return actors.Message{}, errNotInTest
}
func (c *fakeContext) Delegate(string, any, ...actors.SendOption) error { return errNotInTest }
func (c *fakeContext) CallTool(string, any) (json.RawMessage, error)    { return nil, errNotInTest }
func (c *fakeContext) Fail(string) error                                { return errNotInTest }

// newTestBehaviour builds the behaviour for an agent served by f.
func newTestBehaviour(t *testing.T, f *fakeLLM, l actors.LLMSpec, settings map[string]string) actors.Behaviour {
	t.Helper()
	l.Endpoint = f.endpoint()
	b, err := Factory(actors.AgentSpec{Name: "summariser", Settings: settings, LLM: &l})
	if err != nil {
		t.Fatalf("Factory: %v", err)
	}
	return b
}

// message returns a message of the given kind carrying payload as JSON.
func message(t *testing.T, kind actors.Kind, from string, payload any) actors.Message {
	t.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return actors.Message{ID: "m-1", From: from, To: "summariser", Kind: kind, Payload: b}
}

// Knowledge: the llm behaviour keeps no knowledge store.
func (c *fakeContext) Knowledge() actors.Knowledge { return nil }
