package admin_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestSubmitRejects(t *testing.T) {
	t.Parallel()
	_, s := serveNode(t)
	big := `{"to":"intake","payload":{"x":"` + strings.Repeat("a", 3<<20) + `"}}`
	overBus := `{"to":"intake","payload":{"x":"` + strings.Repeat("a", 1<<20+10) + `"}}`
	tests := []struct {
		name, contentType, body string
		status                  int
		want                    string // in the error message
	}{
		{"bad JSON", "application/json", `{"to":"intake",}`, 400, "byte offset 16"},
		{"truncated", "application/json", `{"to":"intake"`, 400, "unexpected end of input at byte offset 14"},
		{"empty body", "application/json", ``, 400, "empty request body"},
		{"trailing data", "application/json", `{"to":"intake","payload":{}} {}`, 400, "byte offset 29"},
		{"unknown field", "application/json", `{"to":"intake","payload":{},"priority":1}`, 400, `unknown field "priority"`},
		{"not an object", "application/json", `["intake"]`, 400, "must be a JSON object, got array"},
		{"to not a string", "application/json", `{"to":7,"payload":{}}`, 400, `field "to" has the wrong type`},
		{"missing to", "application/json", `{"payload":{}}`, 400, `missing "to"`},
		{"missing payload", "application/json", `{"to":"intake"}`, 400, `missing "payload"`},
		{"null payload", "application/json", `{"to":"intake","payload":null}`, 400, `missing "payload"`},
		{"string payload", "application/json", `{"to":"intake","payload":"claim"}`, 400, "must be a JSON object, got a string"},
		{"array payload", "", `{"to":"intake","payload":[1]}`, 400, "must be a JSON object, got an array"},
		{"unknown recipient", "application/json", `{"to":"nobody","payload":{}}`, 400, `unknown recipient "nobody"`},
		{"body over limit", "application/json", big, 413, "exceeds the 2097152-byte limit"},
		{"payload over bus limit", "application/json", overBus, 413, "payload too large"},
		{"text/plain", "text/plain", `{"to":"intake","payload":{}}`, 415, "unsupported Content-Type"},
		{"bad media type", "application/", `{"to":"intake","payload":{}}`, 415, "unsupported Content-Type"},
	}
	for _, tt := range tests {
		res := s.do(http.MethodPost, "/v1/tasks", tt.contentType, []byte(tt.body))
		if res.status != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.name, res.status, tt.status, res.body)
			continue
		}
		if msg := res.errorMessage(t); !strings.Contains(msg, tt.want) {
			t.Errorf("%s: error %q lacks %q", tt.name, msg, tt.want)
		}
	}
}

func TestSubmitByWorkflowName(t *testing.T) {
	t.Parallel()
	_, s := serveNode(t)
	res := s.do(http.MethodPost, "/v1/tasks", "application/json; charset=utf-8",
		[]byte(`{"to":"claims","payload":{"claimant":"x"}}`))
	if res.status != http.StatusAccepted {
		t.Fatalf("submit to workflow: %d %s", res.status, res.body)
	}
}
