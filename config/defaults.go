package config

import (
	"fmt"
	"time"
)

// applyDefaults fills unset fields. A zero duration or size that the file
// set explicitly is left alone, so validation can reject it.
func (c *Config) applyDefaults() {
	str(&c.TrustDomain, DefaultTrustDomain)
	str(&c.Node, DefaultNode)
	if c.Bus.MaxPayloadBytes == 0 && !c.pos.set("bus.max_payload_bytes") {
		c.Bus.MaxPayloadBytes = DefaultMaxPayloadBytes
	}
	c.dur(&c.Bus.MessageTTL, "bus.message_ttl", DefaultMessageTTL)
	c.dur(&c.Bus.ClockSkew, "bus.clock_skew", DefaultClockSkew)
	c.dur(&c.Bus.RequestTimeout, "bus.request_timeout", DefaultRequestTimeout)
	str(&c.Identity.Issuer, DefaultIssuer)
	c.dur(&c.Identity.DefaultTTL, "identity.default_ttl", DefaultCertTTL)
	c.dur(&c.Identity.ReadOnlyTTL, "identity.read_only_ttl", DefaultReadOnlyTTL)
	str(&c.Telemetry.Traces, "none")
	str(&c.Telemetry.Metrics, "none")
	str(&c.Telemetry.ServiceName, DefaultServiceName)
	for i := range c.Tools {
		str(&c.Tools[i].Runtime, DefaultRuntime)
	}
	for i := range c.Agents {
		c.agentDefaults(i)
	}
	for i := range c.Workflows {
		c.dur(&c.Workflows[i].Timeout, fmt.Sprintf("workflows[%d].timeout", i), DefaultWorkflowTimeout)
	}
	c.dur(&c.PACE.AlternateTimeout, "pace.alternate_timeout", DefaultAlternateTimeout)
	c.dur(&c.PACE.BreakerWindow, "pace.breaker_window", DefaultBreakerWindow)
	c.dur(&c.PACE.ApprovalTimeout, "pace.approval_timeout", DefaultApprovalTimeout)
	if c.Classification.Tier == 0 && !c.pos.set("classification.tier") {
		c.Classification.Tier = 2
	}
	if c.Limits.RatePerHour == 0 && !c.pos.set("limits.rate_per_hour") {
		c.Limits.RatePerHour = 100
	}
	c.dur(&c.Limits.Window, "limits.window", time.Hour)
	c.dur(&c.Judge.Budget, "judge.budget", 5*time.Second)
	c.dur(&c.Guardrails.KnowledgeVerify, "guardrails.knowledge_verify", 24*time.Hour)
	if c.Judge.LLM != nil {
		c.dur(&c.Judge.LLM.Timeout, "judge.llm.timeout", DefaultLLMTimeout)
	}
	if c.PACE.BreakerThreshold == 0 && !c.pos.set("pace.breaker_threshold") {
		c.PACE.BreakerThreshold = DefaultBreakerThreshold
	}
}

// PACE defaults.
const (
	DefaultAlternateTimeout = 48 * time.Hour
	DefaultBreakerWindow    = 10 * time.Minute
	DefaultBreakerThreshold = 3
	DefaultApprovalTimeout  = 15 * time.Minute
)

func (c *Config) agentDefaults(i int) {
	a := &c.Agents[i]
	str(&a.Clearance, DefaultClearance)
	for j := range a.TalksTo {
		if len(a.TalksTo[j].Kinds) == 0 {
			a.TalksTo[j].Kinds = append([]string(nil), defaultKinds...)
		}
	}
	if a.LLM != nil {
		c.dur(&a.LLM.Timeout, fmt.Sprintf("agents[%d].llm.timeout", i), DefaultLLMTimeout)
	}
	if b := a.Backup; b != nil {
		str(&b.Behaviour, a.Behaviour)
		if b.LLM == nil && b.Behaviour == a.Behaviour {
			b.LLM = a.LLM
		}
		if b.LLM != nil {
			c.dur(&b.LLM.Timeout, fmt.Sprintf("agents[%d].backup.llm.timeout", i), DefaultLLMTimeout)
		}
		if b.Tools == nil {
			for _, t := range a.Tools {
				if tool, ok := c.Tool(t); ok && tool.Effect == "read" {
					b.Tools = append(b.Tools, t)
				}
			}
		}
	}
}

// dur sets *d to def when it is zero and the file did not set path.
func (c *Config) dur(d *Duration, path string, def time.Duration) {
	if d.Duration == 0 && !c.pos.set(path) {
		d.Duration = def
	}
}

func str(s *string, def string) {
	if *s == "" {
		*s = def
	}
}
