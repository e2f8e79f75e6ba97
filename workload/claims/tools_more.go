package claims

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/maso-runtime/maso/actors"
)

// More tool names.
const (
	// ToolRecordAssessment (write) records analysis's decision and amount;
	// amounts above $50,000 wait for a human (the high-value rule).
	ToolRecordAssessment = "record_assessment"
	// ToolSendLetter (external) sends a staged letter to the claimant;
	// an external action always waits for a human.
	ToolSendLetter = "send_letter"
)

// ErrUnknownLetter reports a letter id that is not staged.
var ErrUnknownLetter = errors.New("claims: unknown letter")

// assessmentArgs are the arguments of record_assessment.
type assessmentArgs struct {
	ClaimID  string   `json:"claim_id"`
	Decision string   `json:"decision"`
	Amount   float64  `json:"amount"`
	Reasons  []string `json:"reasons"`
}

// sendArgs are the arguments of send_letter.
type sendArgs struct {
	LetterID string `json:"letter_id"`
}

// recordAssessment stores the assessment on the registered claim.
func (w *Workload) recordAssessment(ctx context.Context, call actors.ToolCall) (any, error) {
	var a assessmentArgs
	if err := decodeArgs(ctx, call, &a); err != nil {
		return nil, err
	}
	if _, ok := decisionText[a.Decision]; !ok {
		return nil, fmt.Errorf("%w: %s: unknown decision %q", ErrToolArgs, call.Tool, a.Decision)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	r, ok := w.claims[a.ClaimID]
	if !ok {
		return nil, fmt.Errorf("%w: %s: %q", ErrUnknownClaim, call.Tool, a.ClaimID)
	}
	r.Decision, r.Amount = a.Decision, a.Amount
	w.claims[a.ClaimID] = r
	return map[string]any{"claim_id": a.ClaimID, "recorded": true}, nil
}

// sendLetter marks a staged letter sent to its claimant (the send itself is
// the external effect; here the workload records it).
func (w *Workload) sendLetter(ctx context.Context, call actors.ToolCall) (any, error) {
	var a sendArgs
	if err := decodeArgs(ctx, call, &a); err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := range w.letters {
		if w.letters[i].ID == a.LetterID {
			if w.letters[i].SentAt != nil {
				return nil, fmt.Errorf("%w: %s: letter %s was already sent", ErrToolArgs, call.Tool, a.LetterID)
			}
			now := time.Now().UTC()
			w.letters[i].SentAt = &now
			return map[string]any{"letter_id": a.LetterID, "sent_to": w.letters[i].To, "sent_at": now}, nil
		}
	}
	return nil, fmt.Errorf("%w: %s: %q is not staged", ErrUnknownLetter, call.Tool, a.LetterID)
}
