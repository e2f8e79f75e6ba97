package judge

import "time"

// Decision is the outcome of an evaluation.
type Decision string

// The three decisions, from the most to the least permissive. A later tier
// of the cascade may move a decision down this list, never up.
const (
	// Approve lets the message be delivered or the action run.
	Approve Decision = "approve"
	// Flag escalates to a human (EC-2.1 "escalate").
	Flag Decision = "flag"
	// Block stops the message or action.
	Block Decision = "block"
)

// rank orders decisions by severity; an unknown decision ranks as Flag so
// that it can never pass for an approval.
func (d Decision) rank() int {
	switch d {
	case Approve:
		return 0
	case Block:
		return 2
	}
	return 1
}

// valid reports whether d is one of the three decisions.
func (d Decision) valid() bool { return d == Approve || d == Flag || d == Block }

// Subject says what is under evaluation.
type Subject string

// Subjects.
const (
	// SubjectMessage is an inter-agent message (PG-2.1).
	SubjectMessage Subject = "message"
	// SubjectAction is a proposed tool action (EC-2.5).
	SubjectAction Subject = "action"
)

// Tiers of the cascade, as reported in Verdict.Tier.
const (
	TierRules      = "rules"
	TierHeuristics = "heuristics"
	TierLLM        = "llm"
	// TierFailsafe marks a verdict forced by a tier that failed: the LLM
	// was unavailable, over budget or answered something unreadable.
	TierFailsafe = "failsafe"
)

// Provenance says where a claim or a piece of evidence came from (PG-2.5):
// Source is "tool", "rag", "agent-generated", "human", ...
type Provenance struct {
	Source   string
	Verified bool
}

// Request is one item to evaluate: an inter-agent message or a proposed
// tool action.
//
// Confidence and UpstreamConfidence are compared by the PG-2.7 rule. Set
// them to math.NaN() when there is no figure: their zero value is a real
// confidence of 0, so a Request that sets Confidence but leaves
// UpstreamConfidence at zero is read as an agent raising 0 to Confidence.
type Request struct {
	Subject Subject
	// Agent is the sender of the message or the agent proposing the
	// action. Blocks are counted per Agent; an empty Agent is not counted.
	Agent string
	// To is the recipient of a message.
	To string
	// Kind is the message kind: data, instruction, claim, delegation, ...
	Kind string
	// Text is the content under evaluation: the payload of a message or
	// the rendered action.
	Text string
	// TaskObjective is the original, signed task specification (PG-1.3).
	TaskObjective string
	// TaskSpecHash is the hash the task was created with; when set, the
	// item must carry the same hash in ClaimedSpecHash (PG-3.2).
	TaskSpecHash    string
	ClaimedSpecHash string
	// Provenance is that of the claim (PG-2.5).
	Provenance Provenance
	// Confidence is the confidence the item states, NaN if none.
	Confidence float64
	// UpstreamConfidence is the confidence of the input the agent built
	// on, NaN if none.
	UpstreamConfidence float64
	// Evidence lists the sources a claim rests on (PG-2.6).
	Evidence []Provenance
	// Tool, Effect, Args and Amount describe a proposed action. Effect is
	// the tool's declared effect ("read", "write", "external", "delete").
	Tool, Effect string
	Args         string
	Amount       float64
}

// Verdict is the result of an evaluation.
type Verdict struct {
	Decision Decision
	// Reasons explain the decision, the failure of a tier included.
	Reasons []string
	// Controls are the MASO controls behind a flag or a block.
	Controls []string
	// Confidence is the deciding tier's confidence in Decision, 0..1.
	Confidence float64
	// Tier is the tier whose decision stands: TierRules, TierHeuristics,
	// TierLLM or TierFailsafe.
	Tier string
	// Latency is how long the evaluation took, by the judge's clock.
	Latency time.Duration
}
