package claims

import (
	"errors"
	"strings"
	"testing"

	"github.com/maso-runtime/maso/actors"
)

func TestCommunicationStagesAndCompletes(t *testing.T) {
	w := New()
	msg := registeredMsg(t, w, validClaim())
	actx := newFakeCtx(t, "analysis", w)
	if err := build(t, w, BehaviourAnalysis).Receive(actx, msg); err != nil {
		t.Fatal(err)
	}
	ctx := newFakeCtx(t, "communication", w)
	if err := build(t, w, BehaviourCommunication).Receive(ctx, actx.sent[0].message("analysis")); err != nil {
		t.Fatal(err)
	}
	if len(ctx.calls) != 1 || ctx.calls[0] != ToolStageLetter || len(ctx.sent) != 0 {
		t.Fatalf("tool calls %v, sent %d; want [stage_letter] and no message", ctx.calls, len(ctx.sent))
	}
	if len(ctx.completed) != 1 {
		t.Fatalf("completed %d times", len(ctx.completed))
	}
	res := ctx.completed[0]
	letters := w.Letters()
	if len(letters) != 1 {
		t.Fatalf("%d letters staged", len(letters))
	}
	l := letters[0]
	if res["claim_id"] != "CLM-000001" || res["letter_id"] != l.ID || res["decision"] != DecisionCovered ||
		res["amount"] != 2700.0 || res["letter"] != l.Body {
		t.Fatalf("result %v, staged %+v", res, l)
	}
	if l.To != "Alice Moreau" || l.Email != "alice.moreau@example.com" || l.ClaimID != "CLM-000001" {
		t.Fatalf("staged %+v", l)
	}
	for _, want := range []string{"Dear Alice Moreau,", "CLM-000001", "Decision: covered", "$2,700.00", "subject to review"} {
		if !strings.Contains(l.Body, want) {
			t.Errorf("letter lacks %q:\n%s", want, l.Body)
		}
	}
}

func TestCommunicationRefusesData(t *testing.T) {
	w := New()
	ctx := newFakeCtx(t, "communication", w)
	msg := actors.Message{From: "analysis", Kind: actors.KindData, PayloadType: PayloadAssessed, Payload: []byte(`{}`)}
	err := build(t, w, BehaviourCommunication).Receive(ctx, msg)
	if !errors.Is(err, ErrUnexpectedMessage) || !strings.Contains(err.Error(), "data message") {
		t.Fatalf("err = %v", err)
	}
	if len(ctx.calls)+len(ctx.completed) != 0 {
		t.Fatal("data acted on")
	}
}

func TestCommunicationRejectsBadAssessments(t *testing.T) {
	tests := map[string]string{
		"no claim id":      `{"claimant":"A","decision":"covered"}`,
		"no claimant":      `{"claim_id":"CLM-000001","decision":"covered"}`,
		"unknown decision": `{"claim_id":"CLM-000001","claimant":"A","decision":"maybe"}`,
		"not JSON":         `{`,
	}
	for name, payload := range tests {
		t.Run(name, func(t *testing.T) {
			w := New()
			ctx := newFakeCtx(t, "communication", w)
			msg := actors.Message{From: "analysis", Kind: actors.KindClaim, PayloadType: PayloadAssessed, Payload: []byte(payload)}
			if err := build(t, w, BehaviourCommunication).Receive(ctx, msg); !errors.Is(err, ErrUnexpectedMessage) {
				t.Fatalf("err = %v, want ErrUnexpectedMessage", err)
			}
			if len(ctx.calls)+len(ctx.completed) != 0 {
				t.Fatal("bad assessment acted on")
			}
		})
	}
}

func TestCommunicationUnregisteredClaimFails(t *testing.T) {
	w := New()
	ctx := newFakeCtx(t, "communication", w)
	msg := actors.Message{From: "analysis", Kind: actors.KindClaim, PayloadType: PayloadAssessed,
		Payload: []byte(`{"claim_id":"CLM-000404","claimant":"A","decision":"denied","reasons":["x"]}`)}
	err := build(t, w, BehaviourCommunication).Receive(ctx, msg)
	if !errors.Is(err, ErrUnknownClaim) || len(ctx.completed) != 0 {
		t.Fatalf("err = %v, completed %d; want ErrUnknownClaim and no completion", err, len(ctx.completed))
	}
}
