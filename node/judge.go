package node

import (
	"context"
	"fmt"
	"math"
	"net/http"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/actors/llm"
	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/dlp"
	"github.com/maso-runtime/maso/judge"
)

// newJudge builds the LLM-as-Judge from the config: rules and heuristics
// always, the LLM tier when judge.llm is set. A judge on the same endpoint
// and model as a task agent is logged as a concentration risk (PG-2.9).
func (n *Node) newJudge(cfg *config.Config, getenv func(string) string) (*judgeAdapter, error) {
	if cfg.Judge.Disabled {
		return nil, nil
	}
	scanner := dlp.New(dlp.DefaultConfig())
	jc := judge.Config{Sampling: cfg.Judge.Sampling, Budget: cfg.Judge.Budget.Duration, Logger: n.log.With("component", "judge"),
		Scanner: judge.ScannerFunc(func(text string) []judge.Finding {
			var out []judge.Finding
			for _, f := range scanner.Scan(text) {
				// Personal, financial and health data are the DLP guard's to
				// weigh against the recipient's clearance; the judge sees
				// injections, leaks and credentials.
				if f.Control != "DP-2.1" {
					out = append(out, judge.Finding{Detector: f.Detector, Control: f.Control})
				}
			}
			return out
		}),
		OnThreshold: func(agent string, blocks int) {
			n.onTrip(agent, fmt.Sprintf("the judge blocked %d of its actions or messages within 10 minutes", blocks))
		}}
	if l := cfg.Judge.LLM; l != nil {
		key := ""
		if l.APIKeyEnv != "" {
			key = getenv(l.APIKeyEnv)
		}
		c, err := llm.NewClient(l.Endpoint, key, &http.Client{Timeout: l.Timeout.Duration})
		if err != nil {
			return nil, fmt.Errorf("node: judge llm: %w", err)
		}
		jc.LLM = &judge.LLMConfig{Client: c, Model: l.Model, Endpoint: l.Endpoint}
		if w := judge.DiversityWarning(l.Endpoint, l.Model, agentModels(cfg)); w != "" {
			n.log.Warn(w, "control", "PG-2.9")
		}
	}
	j, err := judge.New(jc)
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	return &judgeAdapter{j: j}, nil
}

func agentModels(cfg *config.Config) []judge.AgentModel {
	var out []judge.AgentModel
	for _, a := range cfg.Agents {
		if a.LLM != nil {
			out = append(out, judge.AgentModel{Agent: a.Name, Endpoint: a.LLM.Endpoint, Model: a.LLM.Model})
		}
	}
	return out
}

// judgeAdapter presents package judge to the judge actor (actors.Judge).
type judgeAdapter struct{ j *judge.Judge }

func (a *judgeAdapter) Sampled(kind string) bool { return a.j.Sampled(judge.SubjectMessage, kind) }

func (a *judgeAdapter) Evaluate(ctx context.Context, r actors.JudgeRequest) actors.JudgeVerdict {
	req := judge.Request{Subject: judge.SubjectMessage, Agent: r.Agent, To: r.To, Kind: r.Kind, Text: r.Text,
		TaskSpecHash: r.TaskSpecHash, ClaimedSpecHash: r.ClaimedHash, Confidence: math.NaN(), UpstreamConfidence: math.NaN(),
		Provenance: judge.Provenance{Source: r.Provenance.Source, Verified: r.Provenance.Verified}}
	if r.Confidence != nil {
		req.Confidence = *r.Confidence
	}
	if r.Subject == "action" {
		req.Subject, req.Tool, req.Effect, req.Args, req.Amount = judge.SubjectAction, r.Tool, r.Effect, string(r.Args), r.Amount
	}
	v := a.j.Evaluate(ctx, req)
	return actors.JudgeVerdict{Decision: string(v.Decision), Reasons: v.Reasons, Controls: v.Controls, Tier: v.Tier}
}
