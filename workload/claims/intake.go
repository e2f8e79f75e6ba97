package claims

import (
	"encoding/json"
	"fmt"

	"github.com/maso-runtime/maso/actors"
)

// intake receives a claim as the task instruction, validates and classifies
// it, registers it and hands the registered claim on for analysis.
type intake struct {
	next string
}

func newIntake(spec actors.AgentSpec) (actors.Behaviour, error) {
	if err := requireTool(spec, BehaviourIntake, ToolRegisterClaim); err != nil {
		return nil, err
	}
	return &intake{next: nextAgent(spec, "analysis")}, nil
}

// Receive handles one task instruction; an error fails the task.
func (b *intake) Receive(ctx actors.Context, msg actors.Message) error {
	raw, ok := msg.Instruction()
	if !ok {
		return refuse(ctx, msg, "a task instruction")
	}
	c, err := parseClaim(raw)
	if err != nil {
		return err
	}
	class := Classify(c)
	r, err := b.register(ctx, c, class)
	if err != nil {
		return err
	}
	ctx.Logger().Info("claim registered", "claim_id", r.ID, "type", r.Type, "severity", r.Severity)
	return ctx.Send(b.next, actors.KindClaim, r,
		actors.WithType(PayloadRegistered),
		actors.WithProvenance("tool", true),
		actors.WithClassification(class),
		actors.WithConfidence(1))
}

// parseClaim decodes and validates a claim.
func parseClaim(raw []byte) (Claim, error) {
	var c Claim
	if err := decodeStrict(raw, &c); err != nil {
		return Claim{}, fmt.Errorf("%w: the task payload is not a claim: %w", ErrInvalidClaim, err)
	}
	if err := c.Validate(); err != nil {
		return Claim{}, err
	}
	return c, nil
}

// register calls register_claim and returns the registry's record.
func (b *intake) register(ctx actors.Context, c Claim, class actors.Classification) (Registered, error) {
	out, err := ctx.CallTool(ToolRegisterClaim, registerArgs{Claim: c, Severity: Severity(c.AmountClaimed), Classification: class.String()})
	if err != nil {
		return Registered{}, fmt.Errorf("claims: intake: register claim: %w", err)
	}
	var r Registered
	if err := json.Unmarshal(out, &r); err != nil {
		return Registered{}, fmt.Errorf("claims: intake: %s returned an unreadable record: %w", ToolRegisterClaim, err)
	}
	if r.ID == "" {
		return Registered{}, fmt.Errorf("claims: intake: %s returned no claim id", ToolRegisterClaim)
	}
	return r, nil
}
