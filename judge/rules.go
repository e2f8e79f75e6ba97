package judge

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ActionAmountLimit is the amount above which an external or deleting
// action is flagged for a human (the $50,000 threshold of the MASO Tier 2
// claims example).
const ActionAmountLimit = 50_000

// hit is one finding of a tier.
type hit struct {
	decision   Decision
	confidence float64
	reason     string
	controls   []string
}

// rule is one deterministic check of the rules tier.
type rule func(r Request) []hit

// rules runs the rules tier.
func (j *Judge) rules(r Request) Verdict {
	checks := []rule{specHashRule, confidenceRule, provenanceRule, evidenceRule, j.scannerRule, dataImperativeRule, actionAmountRule}
	var hits []hit
	for _, check := range checks {
		hits = append(hits, check(r)...)
	}
	return verdictOf(TierRules, hits)
}

// specHashRule: a message or action must attest the task's spec hash
// (PG-3.2); a different or missing hash means the goal changed in transit
// (PG-2.2).
func specHashRule(r Request) []hit {
	if r.TaskSpecHash == "" || r.ClaimedSpecHash == r.TaskSpecHash {
		return nil
	}
	reason := "rules: carries spec hash " + short(r.ClaimedSpecHash) + ", the task was created with " + short(r.TaskSpecHash)
	if r.ClaimedSpecHash == "" {
		reason = "rules: carries no spec hash, the task was created with " + short(r.TaskSpecHash)
	}
	return []hit{{Block, 1, reason, []string{"PG-3.2", "PG-2.2"}}}
}

// confidenceRule: an agent may keep or lower the confidence of its input,
// never raise it (PG-2.7).
func confidenceRule(r Request) []hit {
	c, u := r.Confidence, r.UpstreamConfidence
	if math.IsNaN(c) {
		return nil
	}
	if c < 0 || c > 1 {
		return []hit{{Flag, 1, fmt.Sprintf("rules: confidence %v is not within 0..1", c), []string{"PG-2.7"}}}
	}
	if !math.IsNaN(u) && c > u+1e-9 {
		return []hit{{Block, 1, fmt.Sprintf("rules: confidence %.2f is higher than the upstream %.2f it was built on", c, u), []string{"PG-2.7"}}}
	}
	return nil
}

// provenanceRule: an agent-generated claim is unverified by nature; one
// presented as verified or as certain is not to be treated as fact (PG-2.5).
func provenanceRule(r Request) []hit {
	if !isAgentGenerated(r.Provenance.Source) {
		return nil
	}
	switch {
	case r.Provenance.Verified:
		return []hit{{Flag, 1, "rules: agent-generated claim marked verified", []string{"PG-2.5"}}}
	case !math.IsNaN(r.Confidence) && r.Confidence >= 1:
		return []hit{{Flag, 1, "rules: unverified agent-generated claim presented with confidence 1", []string{"PG-2.5"}}}
	}
	return nil
}

// evidenceRule: evidence that all comes from inside the orchestration is
// not independent (PG-2.6).
func evidenceRule(r Request) []hit {
	if len(r.Evidence) == 0 {
		return nil
	}
	for _, e := range r.Evidence {
		if !isAgentGenerated(e.Source) {
			return nil
		}
	}
	return []hit{{Flag, 1, fmt.Sprintf("rules: all %d evidence sources are agent-generated: not independent", len(r.Evidence)), []string{"PG-2.6"}}}
}

// scannerRule turns guardrail findings into hits.
func (j *Judge) scannerRule(r Request) []hit {
	if j.scanner == nil {
		return nil
	}
	var hits []hit
	for _, f := range j.scanner.Findings(subjectText(r)) {
		name := "rules: guardrail " + strings.TrimSpace(f.Detector)
		switch classify(f) {
		case findingInjection:
			hits = append(hits, hit{Block, 0.9, name + " found an injection", []string{"PG-2.1"}})
		case findingLeak:
			hits = append(hits, hit{Block, 1, name + " found leaked secret or canary material", []string{"PG-2.3", "IA-2.6"}})
		default:
			hits = append(hits, hit{Flag, 0.8, name + " fired", nonEmpty(f.Control)})
		}
	}
	return hits
}

// dataImperativeRule: content typed data is never instructions (PG-1.4); a
// data message that gives its recipient orders is an injection attempt
// (PG-2.1).
func dataImperativeRule(r Request) []hit {
	if r.Subject == SubjectAction || !strings.EqualFold(r.Kind, "data") {
		return nil
	}
	verbs := recipientImperatives(r.Text)
	if len(verbs) == 0 {
		return nil
	}
	reason := fmt.Sprintf("rules: data message gives its recipient instructions (%s)", strings.Join(verbs, ", "))
	return []hit{{Flag, 0.8, reason, []string{"PG-1.4", "PG-2.1"}}}
}

// actionAmountRule: an external or deleting action above the amount limit
// goes to a human (EC-2.1).
func actionAmountRule(r Request) []hit {
	effect := strings.ToLower(strings.TrimSpace(r.Effect))
	if r.Subject != SubjectAction || (effect != "external" && effect != "delete") || !(r.Amount > ActionAmountLimit) {
		return nil
	}
	reason := fmt.Sprintf("rules: %s action %q for %.2f is above %d", effect, r.Tool, r.Amount, ActionAmountLimit)
	return []hit{{Flag, 1, reason, []string{"EC-2.1", "EC-2.5"}}}
}

// isAgentGenerated reports whether a provenance source is an agent.
func isAgentGenerated(source string) bool {
	s := strings.NewReplacer("_", "-", " ", "-").Replace(strings.ToLower(strings.TrimSpace(source)))
	return s == "agent-generated" || s == "agent" || s == "agent-output"
}

// subjectText is the text the scanner and the heuristics read: the content
// and, for an action, its arguments.
func subjectText(r Request) string {
	if r.Args == "" {
		return r.Text
	}
	return r.Text + "\n" + r.Args
}

// short abbreviates a hash for a reason.
func short(h string) string {
	if len(h) > 16 {
		h = h[:16] + "…"
	}
	return strconv.Quote(h)
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// verdictOf folds the hits of one tier into its verdict: the most severe
// decision, with the highest confidence among the hits that reached it.
func verdictOf(tier string, hits []hit) Verdict {
	v := Verdict{Decision: Approve, Tier: tier}
	for _, h := range hits {
		switch {
		case h.decision.rank() > v.Decision.rank():
			v.Decision, v.Confidence = h.decision, h.confidence
		case h.decision == v.Decision:
			v.Confidence = max(v.Confidence, h.confidence)
		}
		v.Reasons = append(v.Reasons, h.reason)
		v.Controls = addControls(v.Controls, h.controls...)
	}
	return v
}

// addControls appends the controls not yet in list.
func addControls(list []string, controls ...string) []string {
	for _, c := range controls {
		if !slices.Contains(list, c) {
			list = append(list, c)
		}
	}
	return list
}
