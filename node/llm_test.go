package node_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/node"
)

// TestLLMAgentEndToEnd runs the built-in llm behaviour inside a node against a
// local OpenAI-compatible server: the task completes with the model's answer,
// and the API key from the environment reaches the server but not the log.
func TestLLMAgentEndToEnd(t *testing.T) {
	var gotAuth, gotModel string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Model    string `json:"model"`
			Messages []struct{ Role, Content string }
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		gotAuth, gotModel = r.Header.Get("Authorization"), req.Model
		last := req.Messages[len(req.Messages)-1].Content
		fmt.Fprintf(w, `{"model":%q,"choices":[{"message":{"role":"assistant","content":%q},"finish_reason":"stop"}]}`,
			req.Model, "summary of: "+last)
	}))
	defer srv.Close()
	t.Setenv("TEST_LLM_KEY", "sk-test-secret-123")
	cfg, err := config.Parse("llm.yaml", []byte(fmt.Sprintf(`
agents:
  - name: writer
    behaviour: llm
    llm:
      endpoint: %s/v1
      model: local-model
      api_key_env: TEST_LLM_KEY
      system_prompt: You summarise claims in one sentence.
workflows:
  - {name: summarise, entry: writer, agents: [writer]}
`, srv.URL)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	n, err := node.Start(context.Background(), node.Options{Config: cfg, DataDir: dir, Telemetry: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Stop(context.Background())
	id, err := n.Submit(context.Background(), "writer", json.RawMessage(`"Rear-ended at a junction."`))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := n.Sys.WaitTask(ctx, id)
	if err != nil || v.State != actors.TaskCompleted {
		t.Fatalf("task %+v: %v", v, err)
	}
	if !strings.Contains(string(v.Result), "summary of: Rear-ended at a junction.") {
		t.Fatalf("result %s", v.Result)
	}
	if gotAuth != "Bearer sk-test-secret-123" || gotModel != "local-model" {
		t.Fatalf("server saw auth %q model %q", gotAuth, gotModel)
	}
}
