package judge

import (
	"strings"
	"testing"
)

func TestDiversityWarning(t *testing.T) {
	t.Parallel()
	agents := []AgentModel{
		{Agent: "intake", Endpoint: "https://api.provider-a.example/v1", Model: "alpha-large"},
		{Agent: "analysis", Endpoint: "http://127.0.0.1:8080/v1", Model: "qwen2.5-7b-instruct"},
		{Agent: "communication", Endpoint: "https://API.provider-a.example:8443/v2", Model: "beta-small"},
	}
	tests := []struct {
		name, endpoint, model string
		want                  []string // substrings; none means no warning
	}{
		{"diverse", "https://judge.provider-c.example/v1", "gamma-judge", nil},
		{"same host other port and path", "https://api.provider-a.example/v1", "gamma-judge", []string{"PG-2.9", `host "api.provider-a.example"`, "intake, communication"}},
		{"same model other case", "https://judge.provider-c.example/v1", " Qwen2.5-7B-Instruct ", []string{`model "qwen2.5-7b-instruct"`, "analysis"}},
		{"both", "http://127.0.0.1:9000/v1", "alpha-large", []string{`host "127.0.0.1" with analysis`, `model "alpha-large" with intake`}},
		{"empty judge", "", "", nil},
		{"non-url endpoint", "provider-b", "gamma", nil},
	}
	for _, tt := range tests {
		got := DiversityWarning(tt.endpoint, tt.model, agents)
		if len(tt.want) == 0 {
			if got != "" {
				t.Errorf("%s: warning %q, want none", tt.name, got)
			}
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: warning %q, want it to contain %q", tt.name, got, w)
			}
		}
	}
	same := []AgentModel{{Agent: "x", Endpoint: "provider-b", Model: ""}}
	if got := DiversityWarning("Provider-B", "", same); !strings.Contains(got, `"provider-b" with x`) {
		t.Errorf("non-url endpoints compared by text: %q", got)
	}
}
