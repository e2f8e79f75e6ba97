package judge

import (
	"fmt"
	"strings"
)

// Thresholds of the heuristics tier.
const (
	// flagScore: a combined score at or above it flags.
	flagScore = 0.5
	// blockScore: a blockable signal (injection, coercion) at or above it
	// blocks.
	blockScore = 0.85
	// reportScore: signals below it are not named in the reasons.
	reportScore = 0.1
)

// heuristics runs the heuristics tier: it scores the signals that apply to
// the request and combines them (noisy-or).
func heuristics(r Request) Verdict {
	sigs := signalsFor(r)
	combined, top := 0.0, 0.0
	for _, s := range sigs {
		combined = orScores(combined, s.score)
		if s.blockable && s.score >= blockScore {
			top = max(top, s.score)
		}
	}
	v := Verdict{Tier: TierHeuristics}
	switch {
	case top > 0:
		v.Decision, v.Confidence = Block, top
	case combined >= flagScore:
		v.Decision, v.Confidence = Flag, combined
	default:
		return Verdict{Decision: Approve, Confidence: 1 - combined, Tier: TierHeuristics}
	}
	for _, s := range sigs {
		if s.score < reportScore {
			continue
		}
		v.Reasons = append(v.Reasons, fmt.Sprintf("heuristics: %s %.2f (%s)", s.name, s.score, strings.Join(s.detail, "; ")))
		v.Controls = addControls(v.Controls, s.controls...)
	}
	return v
}

// signalsFor picks the signals for a request. Actions are not scored for
// drift, imperatives or stated confidence: a rendered action is an order
// by nature and its goal is checked by the rules.
func signalsFor(r Request) []signal {
	text := subjectText(r)
	sigs := []signal{injectionSignal(text), urgencySignal(text), amountSignal(r, text)}
	if r.Subject == SubjectAction {
		return sigs
	}
	sigs = append(sigs, confidenceSignal(r.Text))
	if isInstructionKind(r.Kind) {
		sigs = append(sigs, driftSignal(r))
	}
	if !strings.EqualFold(r.Kind, "data") {
		// A data message's imperatives are the rules tier's (PG-1.4).
		sigs = append(sigs, imperativeSignal(r))
	}
	return sigs
}
