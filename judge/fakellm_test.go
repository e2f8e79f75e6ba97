package judge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/maso-runtime/maso/actors/llm"
)

const fakeModel = "judge-model"

// seenChat is one chat-completions request as the fake server parsed it.
type seenChat struct {
	Model       string `json:"model"`
	Temperature *float64
	MaxTokens   int `json:"max_tokens"`
	Messages    []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
}

// fakeLLM is a loopback OpenAI-compatible server. It parses every request
// strictly, records it, and lets reply write the answer.
type fakeLLM struct {
	srv   *httptest.Server
	reply func(w http.ResponseWriter, r *http.Request)
	mu    sync.Mutex
	seen  []seenChat
}

func newFakeLLM(t *testing.T, reply func(w http.ResponseWriter, r *http.Request)) *fakeLLM {
	t.Helper()
	f := &fakeLLM{reply: reply}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLLM) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusNotFound)
		return
	}
	var wire struct {
		seenChat
		Temperature *float64 `json:"temperature"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&wire); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	wire.seenChat.Temperature = wire.Temperature
	f.mu.Lock()
	f.seen = append(f.seen, wire.seenChat)
	f.mu.Unlock()
	f.reply(w, r)
}

// requests returns the requests seen so far.
func (f *fakeLLM) requests() []seenChat {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenChat(nil), f.seen...)
}

func (f *fakeLLM) endpoint() string { return f.srv.URL + "/v1" }

// judge returns a judge whose LLM tier calls f.
func (f *fakeLLM) judge(t *testing.T, c Config) *Judge {
	t.Helper()
	client, err := llm.NewClient(f.endpoint(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.LLM = &LLMConfig{Client: client, Model: fakeModel, Endpoint: f.endpoint()}
	return newTestJudge(t, c)
}

// answering replies with content as the assistant message.
func answering(content string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) { writeCompletion(w, content) }
}

// verdictJSON is a well-formed judge answer.
func verdictJSON(verdict string, confidence float64) string {
	return fmt.Sprintf(`{"verdict":%q,"confidence":%v,"reasons":["fake says %s"]}`, verdict, confidence, verdict)
}

func writeCompletion(w http.ResponseWriter, content string) {
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(map[string]any{
		"model": fakeModel,
		"choices": []map[string]any{{
			"message":       map[string]string{"role": "assistant", "content": content},
			"finish_reason": "stop",
		}},
	})
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(buf.Bytes())
}
