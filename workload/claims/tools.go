package claims

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/maso-runtime/maso/actors"
)

// maxLetterBytes caps a staged letter.
const maxLetterBytes = 16 << 10

// registerArgs are the arguments of register_claim.
type registerArgs struct {
	Claim          Claim  `json:"claim"`
	Severity       string `json:"severity"`
	Classification string `json:"classification"`
}

// lookupArgs are the arguments of lookup_policy.
type lookupArgs struct {
	PolicyNumber string `json:"policy_number"`
}

// stageArgs are the arguments of stage_letter.
type stageArgs struct {
	ClaimID string `json:"claim_id"`
	To      string `json:"to"`
	Email   string `json:"email,omitempty"`
	Body    string `json:"body"`
}

// letterRef is the result of stage_letter.
type letterRef struct {
	LetterID string `json:"letter_id"`
}

// Tools returns the tool implementations by tool name.
func (w *Workload) Tools() map[string]actors.ToolFunc {
	return map[string]actors.ToolFunc{
		ToolRegisterClaim:    w.registerClaim,
		ToolLookupPolicy:     lookupPolicy,
		ToolStageLetter:      w.stageLetter,
		ToolRecordAssessment: w.recordAssessment,
		ToolSendLetter:       w.sendLetter,
	}
}

// registerClaim (write) validates a classified claim, stores it in the
// registry and returns the [Registered] record with its new id.
func (w *Workload) registerClaim(ctx context.Context, call actors.ToolCall) (any, error) {
	var a registerArgs
	if err := decodeArgs(ctx, call, &a); err != nil {
		return nil, err
	}
	if err := a.Claim.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrToolArgs, call.Tool, err)
	}
	if want := Severity(a.Claim.AmountClaimed); a.Severity != want {
		return nil, fmt.Errorf("%w: %s: severity %q does not match the amount claimed (want %q)", ErrToolArgs, call.Tool, a.Severity, want)
	}
	if want := Classify(a.Claim).String(); a.Classification != want {
		return nil, fmt.Errorf("%w: %s: classification %q does not match a %s claim (want %q)",
			ErrToolArgs, call.Tool, a.Classification, a.Claim.Type, want)
	}
	return w.register(Registered{Claim: a.Claim, Severity: a.Severity, Classification: a.Classification,
		RegisteredBy: call.Agent, TaskID: call.TaskID}), nil
}

// lookupPolicy (read) returns the [Policy] with the given number.
func lookupPolicy(ctx context.Context, call actors.ToolCall) (any, error) {
	var a lookupArgs
	if err := decodeArgs(ctx, call, &a); err != nil {
		return nil, err
	}
	if !policyRE.MatchString(a.PolicyNumber) {
		return nil, fmt.Errorf("%w: %s: policy_number %q does not match the format POL-NNNNNN", ErrToolArgs, call.Tool, a.PolicyNumber)
	}
	return LookupPolicy(a.PolicyNumber)
}

// stageLetter (write) stores a letter to the claimant of a registered claim
// for review and returns its letter id.
func (w *Workload) stageLetter(ctx context.Context, call actors.ToolCall) (any, error) {
	var a stageArgs
	if err := decodeArgs(ctx, call, &a); err != nil {
		return nil, err
	}
	switch {
	case strings.TrimSpace(a.Body) == "":
		return nil, fmt.Errorf("%w: %s: body is required", ErrToolArgs, call.Tool)
	case len(a.Body) > maxLetterBytes:
		return nil, fmt.Errorf("%w: %s: body of %d bytes exceeds %d", ErrToolArgs, call.Tool, len(a.Body), maxLetterBytes)
	case a.Email != "" && !emailRE.MatchString(a.Email):
		return nil, fmt.Errorf("%w: %s: email %q is not an email address", ErrToolArgs, call.Tool, a.Email)
	}
	l, err := w.stage(StagedLetter{ClaimID: a.ClaimID, To: a.To, Email: a.Email, Body: a.Body,
		StagedBy: call.Agent, TaskID: call.TaskID})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", call.Tool, err)
	}
	return letterRef{LetterID: l.ID}, nil
}

// decodeArgs decodes a tool's JSON arguments strictly into v, refusing
// unknown fields, and refuses a call whose context is already done.
func decodeArgs(ctx context.Context, call actors.ToolCall, v any) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", call.Tool, err)
	}
	dec := json.NewDecoder(bytes.NewReader(call.Args))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrToolArgs, call.Tool, err)
	}
	return nil
}
