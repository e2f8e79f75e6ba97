package claims

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/maso-runtime/maso/actors"
)

// analysis assesses a registered claim against its policy and hands the
// assessment on for communication.
type analysis struct {
	next   string
	record bool // holds record_assessment (a read-only backup does not)
}

func newAnalysis(spec actors.AgentSpec) (actors.Behaviour, error) {
	if err := requireTool(spec, BehaviourAnalysis, ToolLookupPolicy); err != nil {
		return nil, err
	}
	// A backup analysis runs read-only (PACE Alternate): it assesses but
	// does not hold record_assessment, so its assessments go on unrecorded.
	return &analysis{next: nextAgent(spec, "communication"), record: slices.Contains(spec.Tools, ToolRecordAssessment)}, nil
}

// Receive handles one registered claim; an error fails the task.
func (b *analysis) Receive(ctx actors.Context, msg actors.Message) error {
	if msg.Kind != actors.KindClaim || msg.PayloadType != PayloadRegistered {
		return refuse(ctx, msg, "a "+PayloadRegistered+" claim")
	}
	r, class, err := readRegistered(msg)
	if err != nil {
		return err
	}
	a, err := b.assess(ctx, r)
	if err != nil {
		return err
	}
	// Recording the decision is the consequential write: above $50,000 it
	// waits for a human (a denial ends the task: no letter is drafted).
	if b.record {
		if _, err := ctx.CallTool(ToolRecordAssessment, assessmentArgs{ClaimID: a.ClaimID, Decision: a.Decision,
			Amount: a.Amount, Reasons: a.Reasons}); err != nil {
			return fmt.Errorf("claims: analysis: record assessment of claim %s: %w", a.ClaimID, err)
		}
	}
	ctx.Logger().Info("claim assessed", "claim_id", a.ClaimID, "decision", a.Decision, "review_required", a.ReviewRequired)
	return ctx.Send(b.next, actors.KindClaim, a,
		actors.WithType(PayloadAssessed),
		actors.WithProvenance("agent-generated", false),
		actors.WithClassification(class),
		actors.WithConfidence(a.Confidence()))
}

// readRegistered decodes and checks a registered claim and returns the
// classification to send the assessment with: the higher of the message's
// and the record's, so data is never downgraded (DP-1.1).
func readRegistered(msg actors.Message) (Registered, actors.Classification, error) {
	var r Registered
	if err := msg.Decode(&r); err != nil {
		return Registered{}, 0, fmt.Errorf("%w: %w", ErrUnexpectedMessage, err)
	}
	if r.ID == "" {
		return Registered{}, 0, fmt.Errorf("%w: registered claim from %s has no claim id", ErrUnexpectedMessage, msg.From)
	}
	if err := r.Claim.Validate(); err != nil {
		return Registered{}, 0, fmt.Errorf("claims: analysis: claim %s: %w", r.ID, err)
	}
	class, err := actors.ParseClassification(r.Classification)
	if err != nil {
		return Registered{}, 0, fmt.Errorf("%w: claim %s: %w", ErrUnexpectedMessage, r.ID, err)
	}
	return r, max(class, msg.Classification), nil
}

// assess looks the policy up and decides coverage. A policy that is not on
// record denies the claim rather than failing the task.
func (b *analysis) assess(ctx actors.Context, r Registered) (Assessment, error) {
	out, err := ctx.CallTool(ToolLookupPolicy, lookupArgs{PolicyNumber: r.PolicyNumber})
	if errors.Is(err, ErrUnknownPolicy) {
		return assessUnknownPolicy(r), nil
	}
	if err != nil {
		return Assessment{}, fmt.Errorf("claims: analysis: look up policy %s: %w", r.PolicyNumber, err)
	}
	var p Policy
	if err := json.Unmarshal(out, &p); err != nil {
		return Assessment{}, fmt.Errorf("claims: analysis: %s returned an unreadable policy: %w", ToolLookupPolicy, err)
	}
	if p.Number != r.PolicyNumber {
		return Assessment{}, fmt.Errorf("claims: analysis: asked for policy %s, %s returned %q", r.PolicyNumber, ToolLookupPolicy, p.Number)
	}
	return Assess(r, p), nil
}
