package judge

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// highConfidence: a block at or above it is final, and the later tiers
// are skipped. A flag never is (a later tier may still block), and neither
// is an approval: that no pattern matched proves nothing.
const highConfidence = 0.95

// Judge is the LLM-as-Judge evaluation cascade. It is safe for concurrent
// use.
type Judge struct {
	scanner  Scanner
	llm      *LLMConfig
	sampling map[string]float64
	budget   time.Duration
	clock    func() time.Time
	log      *slog.Logger
	blocks   *blockCounter

	randMu sync.Mutex
	rand   func() float64
}

// New returns a judge for c, or an error wrapping ErrInvalidConfig.
func New(c Config) (*Judge, error) {
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	j := &Judge{
		scanner:  c.Scanner,
		sampling: c.Sampling,
		budget:   c.Budget,
		clock:    c.Clock,
		log:      c.Logger.With("component", "judge"),
		blocks:   newBlockCounter(c.BlockWindow, c.BlockThreshold, c.OnThreshold),
		rand:     c.Rand,
	}
	if c.LLM != nil {
		l := *c.LLM
		j.llm = &l
	}
	return j, nil
}

// Evaluate runs the cascade on r: rules, then heuristics, then the LLM
// tier when one is configured. A tier is skipped once an earlier one has
// blocked with high confidence. Each tier can only keep or tighten the
// decision before it.
//
// Evaluate never approves when a tier it needed failed: an LLM that is
// unavailable, answers an HTTP error, exceeds Config.Budget or answers
// anything but the strict verdict JSON turns an approval into a flag with
// Tier TierFailsafe and the cause in Reasons (an earlier flag or block
// stands, with the cause added). A block is counted against r.Agent for
// the OnThreshold callback.
func (j *Judge) Evaluate(ctx context.Context, r Request) Verdict {
	start := j.clock()
	v := j.cascade(ctx, r)
	v.Latency = j.clock().Sub(start)
	j.logVerdict(ctx, r, v)
	if v.Decision == Block {
		if n := j.blocks.record(r.Agent, start); n > 0 {
			j.log.WarnContext(ctx, "judge: block threshold crossed", "agent", r.Agent, "blocks", n)
		}
	}
	return v
}

func (j *Judge) cascade(ctx context.Context, r Request) Verdict {
	v := j.rules(r)
	if final(v) {
		return v
	}
	v = combine(v, heuristics(r))
	if final(v) || j.llm == nil {
		return v
	}
	return j.consultLLM(ctx, r, v)
}

// final reports whether later tiers can no longer change v.
func final(v Verdict) bool { return v.Decision == Block && v.Confidence >= highConfidence }

// combine folds the verdict of a later tier into the current one. The
// more severe decision wins; on a tie the earlier tier keeps the credit.
// Reasons and controls accumulate.
func combine(cur, next Verdict) Verdict {
	out := cur
	switch {
	case next.Decision.rank() > cur.Decision.rank(),
		next.Decision == Approve && cur.Decision == Approve:
		out.Decision, out.Confidence, out.Tier = next.Decision, next.Confidence, next.Tier
	case next.Decision == cur.Decision:
		out.Confidence = max(cur.Confidence, next.Confidence)
	}
	out.Reasons = append(slices.Clip(cur.Reasons), next.Reasons...)
	out.Controls = addControls(slices.Clip(cur.Controls), next.Controls...)
	return out
}

// consultLLM runs the LLM tier on top of cur.
func (j *Judge) consultLLM(ctx context.Context, r Request, cur Verdict) Verdict {
	ans, err := j.askLLM(ctx, r)
	if err != nil {
		return j.failsafe(ctx, r, cur, err)
	}
	if ans.Decision.rank() < cur.Decision.rank() {
		cur.Reasons = append(slices.Clip(cur.Reasons), fmt.Sprintf("llm: answered %s (confidence %.2f); the %s of the %s tier stands", ans.Decision, ans.Confidence, cur.Decision, cur.Tier))
		return cur
	}
	return combine(cur, ans)
}

// failsafe is the verdict when the LLM tier failed: never an approval.
func (j *Judge) failsafe(ctx context.Context, r Request, cur Verdict, err error) Verdict {
	j.log.WarnContext(ctx, "judge: llm tier failed, escalating", "agent", r.Agent, "subject", r.Subject, "kind", r.Kind, "error", err)
	reason := fmt.Sprintf("failsafe: %v", err)
	out := cur
	out.Reasons = append(slices.Clip(cur.Reasons), reason)
	out.Controls = addControls(slices.Clip(cur.Controls), "EC-2.5")
	if cur.Decision == Block {
		return out
	}
	if cur.Decision == Approve {
		out.Confidence = 0
	}
	out.Decision, out.Tier = Flag, TierFailsafe
	return out
}

// logVerdict records the verdict, never the evaluated text.
func (j *Judge) logVerdict(ctx context.Context, r Request, v Verdict) {
	level := slog.LevelDebug
	if v.Decision != Approve {
		level = slog.LevelInfo
	}
	j.log.Log(ctx, level, "judge: verdict",
		"agent", r.Agent, "subject", r.Subject, "kind", r.Kind, "tool", r.Tool,
		"decision", v.Decision, "tier", v.Tier, "confidence", v.Confidence,
		"controls", v.Controls, "latency", v.Latency)
}
