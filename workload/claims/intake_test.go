package claims

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/maso-runtime/maso/actors"
)

func TestBehavioursAreRegistered(t *testing.T) {
	bs := New().Behaviours()
	for _, name := range []string{BehaviourIntake, BehaviourAnalysis, BehaviourCommunication} {
		if bs[name] == nil {
			t.Errorf("behaviour %s missing", name)
		}
	}
	if len(bs) != 3 {
		t.Errorf("%d behaviours, want 3", len(bs))
	}
}

func TestFactoriesRequireTheirTool(t *testing.T) {
	for name, factory := range New().Behaviours() {
		_, err := factory(actors.AgentSpec{Name: "x", Tools: []string{"other"}})
		if !errors.Is(err, ErrBadSpec) || !strings.Contains(err.Error(), agentTools[name][0]) {
			t.Errorf("%s without its tool: err = %v, want ErrBadSpec naming %s", name, err, agentTools[name][0])
		}
	}
}

func TestIntakeRegistersAndSends(t *testing.T) {
	w := New()
	ctx := newFakeCtx(t, "intake", w)
	c := validClaim()
	c.Type, c.PolicyNumber, c.AmountClaimed = TypeHealth, "POL-100003", 5000
	if err := build(t, w, BehaviourIntake).Receive(ctx, instruction(t, c)); err != nil {
		t.Fatal(err)
	}
	if len(ctx.calls) != 1 || ctx.calls[0] != ToolRegisterClaim {
		t.Fatalf("tool calls %v, want [register_claim]", ctx.calls)
	}
	if len(ctx.sent) != 1 {
		t.Fatalf("%d messages sent, want 1", len(ctx.sent))
	}
	m := ctx.sent[0]
	want := sentMsg{To: "analysis", Kind: actors.KindClaim, Payload: m.Payload, Type: PayloadRegistered,
		Class: actors.Restricted, Prov: actors.Provenance{Source: "tool", Verified: true}, Confidence: 1, HasConfidence: true}
	if !equalSent(m, want) {
		t.Fatalf("sent %+v\nwant %+v", m, want)
	}
	var r Registered
	if err := json.Unmarshal(m.Payload, &r); err != nil {
		t.Fatal(err)
	}
	stored, ok := w.Claim(r.ID)
	if !ok || stored != r || r.Claim != c || r.Severity != SeverityMedium || r.Classification != "restricted" {
		t.Fatalf("sent %+v, registry holds %+v (%v)", r, stored, ok)
	}
	if len(ctx.completed)+len(ctx.failed) != 0 {
		t.Fatal("intake ended the task")
	}
}

func equalSent(a, b sentMsg) bool {
	return a.To == b.To && a.Kind == b.Kind && a.Type == b.Type && a.Class == b.Class && a.Prov == b.Prov &&
		a.Confidence == b.Confidence && a.HasConfidence == b.HasConfidence
}

func TestIntakeConfidentialClaim(t *testing.T) {
	w := New()
	ctx := newFakeCtx(t, "intake", w)
	if err := build(t, w, BehaviourIntake).Receive(ctx, instruction(t, validClaim())); err != nil {
		t.Fatal(err)
	}
	if c := ctx.sent[0].Class; c != actors.Confidential {
		t.Fatalf("auto claim sent as %s, want confidential", c)
	}
}

func TestIntakeRejectsInvalidClaims(t *testing.T) {
	tests := []struct {
		name    string
		payload any
		field   string
	}{
		{"missing claimant", func() Claim { c := validClaim(); c.Claimant = ""; return c }(), "claimant"},
		{"bad policy number", func() Claim { c := validClaim(); c.PolicyNumber = "P-1"; return c }(), "policy_number"},
		{"amount too large", func() Claim { c := validClaim(); c.AmountClaimed = 2e7; return c }(), "amount_claimed"},
		{"unknown type", func() Claim { c := validClaim(); c.Type = "boat"; return c }(), "type"},
		{"bad date", func() Claim { c := validClaim(); c.IncidentDate = "2025-13-01"; return c }(), "incident_date"},
		{"misspelt field", map[string]any{"claimant": "A", "ammount_claimed": 5}, "ammount_claimed"},
		{"not an object", "a claim", "not a claim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := New()
			ctx := newFakeCtx(t, "intake", w)
			err := build(t, w, BehaviourIntake).Receive(ctx, instruction(t, tt.payload))
			if !errors.Is(err, ErrInvalidClaim) || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("err = %v, want ErrInvalidClaim naming %s", err, tt.field)
			}
			if len(ctx.calls)+len(ctx.sent) != 0 {
				t.Fatalf("invalid claim reached tools %v or was sent %d times", ctx.calls, len(ctx.sent))
			}
		})
	}
}

func TestIntakeRefusesData(t *testing.T) {
	w := New()
	ctx := newFakeCtx(t, "intake", w)
	msg := instruction(t, validClaim())
	msg.Kind, msg.From = actors.KindData, "analysis"
	err := build(t, w, BehaviourIntake).Receive(ctx, msg)
	if !errors.Is(err, ErrUnexpectedMessage) || !strings.Contains(err.Error(), "data message") {
		t.Fatalf("err = %v, want ErrUnexpectedMessage naming the data kind", err)
	}
	if len(ctx.calls)+len(ctx.sent) != 0 {
		t.Fatal("data acted on as an instruction")
	}
}

func TestNextSetting(t *testing.T) {
	w := New()
	b, err := w.Behaviours()[BehaviourIntake](actors.AgentSpec{Name: "intake", Tools: []string{ToolRegisterClaim},
		Settings: map[string]string{SettingNext: "triage"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := newFakeCtx(t, "intake", w)
	if err := b.Receive(ctx, instruction(t, validClaim())); err != nil {
		t.Fatal(err)
	}
	if to := ctx.sent[0].To; to != "triage" {
		t.Fatalf("sent to %s, want the configured next agent triage", to)
	}
}
