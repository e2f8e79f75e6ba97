package claims

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/maso-runtime/maso/actors"
)

// registeredMsg registers c in w and returns the message intake would send.
func registeredMsg(t *testing.T, w *Workload, c Claim) actors.Message {
	t.Helper()
	ctx := newFakeCtx(t, "intake", w)
	if err := build(t, w, BehaviourIntake).Receive(ctx, instruction(t, c)); err != nil {
		t.Fatal(err)
	}
	return ctx.sent[0].message("intake")
}

func analyse(t *testing.T, w *Workload, msg actors.Message) (*fakeCtx, Assessment) {
	t.Helper()
	ctx := newFakeCtx(t, "analysis", w)
	if err := build(t, w, BehaviourAnalysis).Receive(ctx, msg); err != nil {
		t.Fatal(err)
	}
	if len(ctx.sent) != 1 {
		t.Fatalf("%d messages sent, want 1", len(ctx.sent))
	}
	var a Assessment
	if err := json.Unmarshal(ctx.sent[0].Payload, &a); err != nil {
		t.Fatal(err)
	}
	return ctx, a
}

func TestAnalysisCovered(t *testing.T) {
	w := New()
	ctx, a := analyse(t, w, registeredMsg(t, w, validClaim()))
	if len(ctx.calls) != 2 || ctx.calls[0] != ToolLookupPolicy || ctx.calls[1] != ToolRecordAssessment {
		t.Fatalf("tool calls %v, want [lookup_policy record_assessment]", ctx.calls)
	}
	if r, _ := w.Claim(a.ClaimID); r.Decision != a.Decision || r.Amount != a.Amount {
		t.Fatalf("assessment not recorded on the claim: %+v", r)
	}
	want := sentMsg{To: "communication", Kind: actors.KindClaim, Type: PayloadAssessed, Class: actors.Confidential,
		Prov: actors.Provenance{Source: "agent-generated"}, Confidence: ConfidenceCovered, HasConfidence: true}
	if !equalSent(ctx.sent[0], want) {
		t.Fatalf("sent %+v\nwant %+v", ctx.sent[0], want)
	}
	if a.ClaimID != "CLM-000001" || a.Decision != DecisionCovered || a.Amount != 2700 || len(a.Reasons) == 0 {
		t.Fatalf("assessment %+v", a)
	}
}

func TestAnalysisDenied(t *testing.T) {
	w := New()
	c := validClaim()
	c.Type = TypeHealth
	ctx, a := analyse(t, w, registeredMsg(t, w, c))
	m := ctx.sent[0]
	if a.Decision != DecisionDenied || a.Amount != 0 || m.Confidence != ConfidenceDenied || m.Class != actors.Restricted {
		t.Fatalf("uncovered health claim: decision %s amount %v confidence %v class %s", a.Decision, a.Amount, m.Confidence, m.Class)
	}
}

func TestAnalysisUnknownPolicyIsDenied(t *testing.T) {
	w := New()
	c := validClaim()
	c.PolicyNumber = "POL-999999"
	_, a := analyse(t, w, registeredMsg(t, w, c))
	if a.Decision != DecisionDenied || !strings.Contains(a.Reasons[0], "no policy POL-999999 is on record") {
		t.Fatalf("assessment %+v", a)
	}
}

func TestAnalysisNeverDowngrades(t *testing.T) {
	w := New()
	msg := registeredMsg(t, w, validClaim())
	msg.Classification = actors.Restricted
	ctx, _ := analyse(t, w, msg)
	if c := ctx.sent[0].Class; c != actors.Restricted {
		t.Fatalf("restricted message assessed as %s", c)
	}
}

func TestAnalysisRefusesData(t *testing.T) {
	w := New()
	msg := registeredMsg(t, w, validClaim())
	tests := []struct {
		name string
		edit func(*actors.Message)
		want string
	}{
		{"data", func(m *actors.Message) { m.Kind = actors.KindData }, "data message"},
		{"instruction", func(m *actors.Message) { m.Kind = actors.KindInstruction }, "instruction message"},
		{"other claim type", func(m *actors.Message) { m.PayloadType = "claims.other" }, `type "claims.other"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := msg
			tt.edit(&m)
			ctx := newFakeCtx(t, "analysis", w)
			err := build(t, w, BehaviourAnalysis).Receive(ctx, m)
			if !errors.Is(err, ErrUnexpectedMessage) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrUnexpectedMessage saying %q", err, tt.want)
			}
			if len(ctx.calls)+len(ctx.sent) != 0 {
				t.Fatalf("refused message reached tools %v or was passed on", ctx.calls)
			}
			if !strings.Contains(ctx.logs.String(), "PG-1.4") {
				t.Fatalf("refusal not logged: %q", ctx.logs.String())
			}
		})
	}
}

func TestAnalysisRejectsMalformedClaims(t *testing.T) {
	w := New()
	bad := Registered{ID: "CLM-000007", Claim: validClaim(), Severity: SeverityLow, Classification: "confidential"}
	bad.AmountClaimed = -5
	b, _ := json.Marshal(bad)
	msg := actors.Message{From: "intake", Kind: actors.KindClaim, PayloadType: PayloadRegistered, Payload: b, Confidence: math.NaN()}
	ctx := newFakeCtx(t, "analysis", w)
	err := build(t, w, BehaviourAnalysis).Receive(ctx, msg)
	if !errors.Is(err, ErrInvalidClaim) || len(ctx.sent) != 0 {
		t.Fatalf("err = %v, sent %d; want ErrInvalidClaim and nothing sent", err, len(ctx.sent))
	}
	msg.Payload = []byte(`{"claimant":"x"}`)
	if err := build(t, w, BehaviourAnalysis).Receive(ctx, msg); !errors.Is(err, ErrUnexpectedMessage) {
		t.Fatalf("claim without id: err = %v", err)
	}
}
