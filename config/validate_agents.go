package config

import (
	"fmt"
	"net/url"
	"slices"
)

// tools checks the tool catalogue.
func (k *checker) tools() {
	seen := make(map[string]string, len(k.c.Tools))
	for i, t := range k.c.Tools {
		p := fmt.Sprintf("tools[%d]", i)
		if k.toolName(p+".name", t.Name) {
			k.unique(p+".name", "tool", t.Name, seen)
		}
		if t.Manifest == "" || t.Effect != "" {
			k.oneOf(p+".effect", "effect", t.Effect, Effects)
		}
		if len(k.c.ToolSigning.Keys) > 0 && t.Manifest == "" {
			k.fail(p+".manifest", "required: tool_signing has keys, so every tool needs a signed manifest (SC-2.2)")
		}
		k.oneOf(p+".runtime", "runtime", t.Runtime, runtimes)
	}
}

// agents checks every agent and its references to tools and peers.
func (k *checker) agents() {
	if len(k.c.Agents) == 0 {
		k.fail("agents", "at least one agent is required")
		return
	}
	seen := make(map[string]string, len(k.c.Agents))
	for i := range k.c.Agents {
		a := &k.c.Agents[i]
		p := fmt.Sprintf("agents[%d]", i)
		if k.name(p+".name", a.Name) {
			k.unique(p+".name", "agent", a.Name, seen)
		}
		if slices.Contains(ReservedNames, a.Name) {
			k.fail(p+".name", "%s", reserved(a.Name))
		}
		k.required(p+".behaviour", a.Behaviour)
		for j, t := range a.Tools {
			if _, ok := k.c.Tool(t); !ok {
				k.fail(fmt.Sprintf("%s.tools[%d]", p, j), "unknown tool %q", t)
			}
		}
		k.oneOf(p+".clearance", "clearance", a.Clearance, Clearances)
		k.talksTo(p, a)
		k.positive(p+".cert_ttl", a.CertTTL)
		k.llm(p, a)
	}
}

// talksTo checks an agent's outgoing edges.
func (k *checker) talksTo(p string, a *Agent) {
	for j, e := range a.TalksTo {
		ep := fmt.Sprintf("%s.talks_to[%d]", p, j)
		_, known := k.c.Agent(e.Agent)
		switch {
		case e.Agent == "":
			k.fail(ep+".agent", "required")
		case !known:
			k.fail(ep+".agent", "unknown agent %q", e.Agent)
		case e.Agent == a.Name:
			k.fail(ep+".agent", "an agent cannot talk to itself")
		}
		for m, kind := range e.Kinds {
			k.oneOf(fmt.Sprintf("%s.kinds[%d]", ep, m), "message kind", kind, MessageKinds)
		}
	}
}

// llm checks that model settings are present exactly for "llm" agents.
func (k *checker) llm(p string, a *Agent) {
	p += ".llm"
	switch {
	case a.Behaviour == BehaviourLLM && a.LLM == nil:
		k.fail(p, "required when behaviour is %q", BehaviourLLM)
		return
	case a.Behaviour != BehaviourLLM && a.LLM != nil:
		k.fail(p, "only allowed when behaviour is %q", BehaviourLLM)
		return
	case a.LLM == nil:
		return
	}
	k.llmSettings(p, a.LLM)
}

// llmSettings checks one model endpoint's settings at field path p.
func (k *checker) llmSettings(p string, m *LLM) {
	if k.required(p+".endpoint", m.Endpoint) && !httpURL(m.Endpoint) {
		k.fail(p+".endpoint", "invalid endpoint %q: want an http or https URL such as http://127.0.0.1:8080/v1", m.Endpoint)
	}
	k.required(p+".model", m.Model)
	if m.APIKeyEnv != "" && !envRE.MatchString(m.APIKeyEnv) {
		k.fail(p+".api_key_env", "must name an environment variable, not hold the key (IA-2.6)")
	}
	if m.Temperature < 0 || m.Temperature > 2 {
		k.fail(p+".temperature", "must be between 0 and 2, got %g", m.Temperature)
	}
	if m.MaxTokens < 0 {
		k.fail(p+".max_tokens", "must not be negative, got %d", m.MaxTokens)
	}
	k.positive(p+".timeout", m.Timeout)
}

// httpURL reports whether s is an absolute http(s) URL with a host.
func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// workflows checks each workflow's entry and members.
func (k *checker) workflows() {
	seen := make(map[string]string, len(k.c.Workflows))
	for i, w := range k.c.Workflows {
		p := fmt.Sprintf("workflows[%d]", i)
		if k.name(p+".name", w.Name) {
			k.unique(p+".name", "workflow", w.Name, seen)
		}
		if k.required(p+".entry", w.Entry) {
			if _, ok := k.c.Agent(w.Entry); !ok {
				k.fail(p+".entry", "unknown agent %q", w.Entry)
			} else if !slices.Contains(w.Agents, w.Entry) {
				k.fail(p+".entry", "entry agent %q is not listed in agents", w.Entry)
			}
		}
		for j, name := range w.Agents {
			if _, ok := k.c.Agent(name); !ok {
				k.fail(fmt.Sprintf("%s.agents[%d]", p, j), "unknown agent %q", name)
			}
		}
		k.positive(p+".timeout", w.Timeout)
	}
}
