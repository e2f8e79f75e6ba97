package judge

import (
	"fmt"
	"net/url"
	"strings"
)

// AgentModel is the model a task agent runs on, for DiversityWarning.
type AgentModel struct {
	Agent, Endpoint, Model string
}

// DiversityWarning returns a warning when the judge's LLM shares its
// endpoint host or its model with one of the task agents (PG-2.9: a judge
// on the same provider or model as the agents it judges shares their
// blind spots), and "" when the judge is diverse. Hosts are compared
// without port or scheme and models without case; empty values never
// match.
func DiversityWarning(judgeEndpoint, judgeModel string, agents []AgentModel) string {
	host, model := endpointHost(judgeEndpoint), normModel(judgeModel)
	var sameHost, sameModel []string
	for _, a := range agents {
		if host != "" && endpointHost(a.Endpoint) == host {
			sameHost = append(sameHost, a.Agent)
		}
		if model != "" && normModel(a.Model) == model {
			sameModel = append(sameModel, a.Agent)
		}
	}
	var parts []string
	if len(sameHost) > 0 {
		parts = append(parts, fmt.Sprintf("endpoint host %q with %s", host, strings.Join(sameHost, ", ")))
	}
	if len(sameModel) > 0 {
		parts = append(parts, fmt.Sprintf("model %q with %s", model, strings.Join(sameModel, ", ")))
	}
	if len(parts) == 0 {
		return ""
	}
	return "judge: PG-2.9 model diversity: the judge shares " + strings.Join(parts, "; and ") +
		"; use a different provider or model for the judge"
}

// endpointHost returns the lower-cased host name of an endpoint URL, or
// the trimmed, lower-cased text when it is not a URL with a host.
func endpointHost(endpoint string) string {
	e := strings.TrimSpace(endpoint)
	if e == "" {
		return ""
	}
	if u, err := url.Parse(e); err == nil && u.Hostname() != "" {
		return strings.ToLower(u.Hostname())
	}
	return strings.ToLower(e)
}

func normModel(m string) string { return strings.ToLower(strings.TrimSpace(m)) }
