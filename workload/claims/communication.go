package claims

import (
	"encoding/json"
	"fmt"

	"github.com/maso-runtime/maso/actors"
)

// communication drafts the letter to the claimant about an assessment,
// stages it for review and completes the task.
type communication struct{}

func newCommunication(spec actors.AgentSpec) (actors.Behaviour, error) {
	if err := requireTool(spec, BehaviourCommunication, ToolStageLetter); err != nil {
		return nil, err
	}
	return communication{}, nil
}

// Receive handles one assessment (draft and stage the letter) or, as the
// entry of the "send" workflow, an instruction to send a staged letter;
// an error fails the task.
func (communication) Receive(ctx actors.Context, msg actors.Message) error {
	if raw, ok := msg.Instruction(); ok && msg.From == actors.Orchestrator {
		return send(ctx, raw)
	}
	if msg.Kind != actors.KindClaim || msg.PayloadType != PayloadAssessed {
		return refuse(ctx, msg, "a "+PayloadAssessed+" claim")
	}
	a, err := readAssessment(msg)
	if err != nil {
		return err
	}
	letter := DraftLetter(a)
	id, err := stage(ctx, a, letter)
	if err != nil {
		return err
	}
	ctx.Logger().Info("letter staged", "claim_id", a.ClaimID, "letter_id", id, "decision", a.Decision)
	return ctx.Complete(map[string]any{
		"claim_id":  a.ClaimID,
		"letter_id": id,
		"decision":  a.Decision,
		"amount":    a.Amount,
		"letter":    letter,
	})
}

// readAssessment decodes and checks an assessment.
func readAssessment(msg actors.Message) (Assessment, error) {
	var a Assessment
	if err := msg.Decode(&a); err != nil {
		return Assessment{}, fmt.Errorf("%w: %w", ErrUnexpectedMessage, err)
	}
	switch {
	case a.ClaimID == "":
		return Assessment{}, fmt.Errorf("%w: assessment from %s has no claim id", ErrUnexpectedMessage, msg.From)
	case a.Claimant == "":
		return Assessment{}, fmt.Errorf("%w: assessment of claim %s names no claimant", ErrUnexpectedMessage, a.ClaimID)
	}
	if _, ok := decisionText[a.Decision]; !ok {
		return Assessment{}, fmt.Errorf("%w: assessment of claim %s has unknown decision %q", ErrUnexpectedMessage, a.ClaimID, a.Decision)
	}
	return a, nil
}

// stage calls stage_letter and returns the letter id.
func stage(ctx actors.Context, a Assessment, letter string) (string, error) {
	out, err := ctx.CallTool(ToolStageLetter, stageArgs{ClaimID: a.ClaimID, To: a.Claimant, Email: a.Email, Body: letter})
	if err != nil {
		return "", fmt.Errorf("claims: communication: stage letter for claim %s: %w", a.ClaimID, err)
	}
	var ref letterRef
	if err := json.Unmarshal(out, &ref); err != nil {
		return "", fmt.Errorf("claims: communication: %s returned an unreadable result: %w", ToolStageLetter, err)
	}
	if ref.LetterID == "" {
		return "", fmt.Errorf("claims: communication: %s returned no letter id", ToolStageLetter)
	}
	return ref.LetterID, nil
}

// send sends a staged letter to its claimant. send_letter is an external
// action: it always waits for a human (EC-1.1).
func send(ctx actors.Context, raw []byte) error {
	var a sendArgs
	if err := json.Unmarshal(raw, &a); err != nil || a.LetterID == "" {
		return fmt.Errorf("%w: a send task needs {\"letter_id\": \"LTR-...\"}", ErrUnexpectedMessage)
	}
	out, err := ctx.CallTool(ToolSendLetter, a)
	if err != nil {
		return fmt.Errorf("claims: communication: send letter %s: %w", a.LetterID, err)
	}
	return ctx.Complete(json.RawMessage(out))
}
