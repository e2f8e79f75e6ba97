package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// testKey's distinctive part (after "sk-test-") is not hex, so it cannot
// turn up by chance in a printed pointer.
const testKey = "sk-test-QmZ7vRwLpXnTyKbGhJ"

func newTestClient(t *testing.T, endpoint, key string) *Client {
	t.Helper()
	c, err := NewClient(endpoint, key, nil)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

func hello() ChatRequest {
	return ChatRequest{Model: "m", Messages: []ChatMessage{{Role: "user", Content: "hi"}}}
}

func TestChatSendsRequestAndReadsAnswer(t *testing.T) {
	f := newFakeLLM(t, nil)
	c := newTestClient(t, f.endpoint(), testKey)
	req := ChatRequest{
		Model:       "qwen",
		Messages:    []ChatMessage{{Role: "system", Content: "be brief"}, {Role: "user", Content: "<b>hi</b> & bye"}},
		Temperature: 0.25,
		MaxTokens:   64,
	}
	resp, err := c.Chat(t.Context(), req)
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	want := ChatResponse{Content: fakeAnswer, Model: "served-model", FinishReason: "stop", PromptTokens: 11, CompletionTokens: 3}
	if resp != want {
		t.Errorf("response = %+v, want %+v", resp, want)
	}
	s := f.only()
	if s.Path != "/v1/chat/completions" || s.ContentType != "application/json" {
		t.Errorf("path %q content type %q", s.Path, s.ContentType)
	}
	if s.Auth != "Bearer "+testKey {
		t.Errorf("Authorization = %q, want the bearer key", s.Auth)
	}
	if s.Model != "qwen" || s.Temperature != 0.25 || string(s.Fields["max_tokens"]) != "64" {
		t.Errorf("model %q temperature %v max_tokens %s", s.Model, s.Temperature, s.Fields["max_tokens"])
	}
	if fmt.Sprint(s.Messages) != fmt.Sprint(req.Messages) {
		t.Errorf("messages = %v, want %v", s.Messages, req.Messages)
	}
}

func TestChatOmitsAuthorizationAndMaxTokensWhenUnset(t *testing.T) {
	f := newFakeLLM(t, nil)
	c := newTestClient(t, f.endpoint(), "")
	if _, err := c.Chat(t.Context(), hello()); err != nil {
		t.Fatalf("Chat: %v", err)
	}
	s := f.only()
	if s.Auth != "" {
		t.Errorf("Authorization = %q, want none", s.Auth)
	}
	if _, ok := s.Fields["max_tokens"]; ok {
		t.Error("max_tokens sent although MaxTokens is 0")
	}
	if string(s.Fields["temperature"]) != "0" {
		t.Errorf("temperature = %s, want 0 (always sent)", s.Fields["temperature"])
	}
}

func TestChatKeepsEndpointPathAndQuery(t *testing.T) {
	f := newFakeLLM(t, nil)
	c := newTestClient(t, f.srv.URL+"/openai/v1/?api-version=2024-06-01", "")
	if _, err := c.Chat(t.Context(), hello()); err != nil {
		t.Fatalf("Chat: %v", err)
	}
	if s := f.only(); s.Path != "/openai/v1/chat/completions" || s.Query != "api-version=2024-06-01" {
		t.Errorf("path %q query %q", s.Path, s.Query)
	}
}

func TestChatResponseModelDefaultsToRequested(t *testing.T) {
	f := newFakeLLM(t, func(w http.ResponseWriter, _ *http.Request) { writeCompletion(w, "", "ok") })
	resp, err := newTestClient(t, f.endpoint(), "").Chat(t.Context(), hello())
	if err != nil || resp.Model != "m" {
		t.Fatalf("Chat = %+v, %v; want model m", resp, err)
	}
}

func TestChatHTTPStatus(t *testing.T) {
	body := strings.Repeat("overloaded ", 200)
	f := newFakeLLM(t, func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, body, http.StatusInternalServerError)
	})
	_, err := newTestClient(t, f.endpoint(), testKey).Chat(t.Context(), hello())
	if !errors.Is(err, ErrHTTPStatus) {
		t.Fatalf("err = %v, want ErrHTTPStatus", err)
	}
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusInternalServerError {
		t.Fatalf("err = %#v, want a *StatusError with 500", err)
	}
	if len(se.Body) != maxErrorBody || !strings.HasPrefix(body, se.Body) {
		t.Errorf("body has %d bytes, want the first %d", len(se.Body), maxErrorBody)
	}
	if !strings.Contains(err.Error(), "500") {
		t.Errorf("error %q does not name the status", err)
	}
}

func TestChatMalformedResponse(t *testing.T) {
	for name, body := range map[string]string{
		"garbage":     "<html>502 bad gateway</html>",
		"truncated":   `{"choices":[{"message":{"content":"x"`,
		"wrong types": `{"choices":{"message":"x"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeLLM(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) })
			_, err := newTestClient(t, f.endpoint(), "").Chat(t.Context(), hello())
			if !errors.Is(err, ErrMalformedResponse) {
				t.Fatalf("err = %v, want ErrMalformedResponse", err)
			}
		})
	}
}

func TestChatEmptyResponse(t *testing.T) {
	for name, body := range map[string]string{
		"no choices":    `{"model":"m","choices":[]}`,
		"no field":      `{"model":"m"}`,
		"empty content": `{"choices":[{"message":{"role":"assistant","content":""},"finish_reason":"length"}]}`,
		"blank content": `{"choices":[{"message":{"role":"assistant","content":" \n"}}]}`,
		"null content":  `{"choices":[{"message":{"role":"assistant","content":null},"finish_reason":"tool_calls"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeLLM(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) })
			_, err := newTestClient(t, f.endpoint(), "").Chat(t.Context(), hello())
			if !errors.Is(err, ErrEmptyResponse) {
				t.Fatalf("err = %v, want ErrEmptyResponse", err)
			}
		})
	}
}

func TestChatTimeout(t *testing.T) {
	f := newFakeLLM(t, slowHandler)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := newTestClient(t, f.endpoint(), "").Chat(ctx, hello())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Chat returned after %v, want soon after the deadline", d)
	}
}

func TestChatInvalidRequest(t *testing.T) {
	f := newFakeLLM(t, nil)
	c := newTestClient(t, f.endpoint(), "")
	for _, req := range []ChatRequest{{Model: "m"}, {Model: "m", Messages: hello().Messages, MaxTokens: -1}} {
		if _, err := c.Chat(t.Context(), req); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("Chat(%+v) = %v, want ErrInvalidRequest", req, err)
		}
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

func TestNewClientRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct{ endpoint, key string }{
		{"", ""},
		{"127.0.0.1:8080/v1", ""},
		{"ftp://example.org/v1", ""},
		{"http:///v1", ""},
		{"http://exa mple.org", ""},
		{"http://127.0.0.1:8080/v1", "sk-abc\r\nX-Injected: 1"},
	} {
		_, err := NewClient(tc.endpoint, tc.key, nil)
		if !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("NewClient(%q, %q) = %v, want ErrInvalidConfig", tc.endpoint, tc.key, err)
		}
		if tc.key != "" && strings.Contains(err.Error(), "sk-abc") {
			t.Errorf("error %q repeats the key", err)
		}
	}
}

func TestNewClientTrimsKey(t *testing.T) {
	f := newFakeLLM(t, nil)
	if _, err := newTestClient(t, f.endpoint(), " "+testKey+"\n").Chat(t.Context(), hello()); err != nil {
		t.Fatal(err)
	}
	if got := f.only().Auth; got != "Bearer "+testKey {
		t.Errorf("Authorization = %q", got)
	}
}
