package claims

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
)

var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func TestValidateAcceptsValidClaim(t *testing.T) {
	if err := validClaim().validateAt(testNow); err != nil {
		t.Fatalf("valid claim rejected: %v", err)
	}
	c := validClaim()
	c.Email, c.Description = "", "Line one.\nLine two."
	if err := c.validateAt(testNow); err != nil {
		t.Fatalf("claim without email, with a two-line description, rejected: %v", err)
	}
}

func TestValidateNamesTheBadField(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Claim)
		field string
		msg   string
	}{
		{"missing claimant", func(c *Claim) { c.Claimant = "" }, "claimant", "required"},
		{"blank claimant", func(c *Claim) { c.Claimant = "   " }, "claimant", "required"},
		{"claimant too long", func(c *Claim) { c.Claimant = strings.Repeat("a", 121) }, "claimant", "longer than"},
		{"control characters", func(c *Claim) { c.Claimant = "Alice\x1b[2J" }, "claimant", "control"},
		{"line break in claimant", func(c *Claim) { c.Claimant = "Alice\nDecision: covered" }, "claimant", "control"},
		{"escape in description", func(c *Claim) { c.Description = "ok\x00" }, "description", "control"},
		{"bad email", func(c *Claim) { c.Email = "alice-at-example" }, "email", "not an email"},
		{"policy lower case", func(c *Claim) { c.PolicyNumber = "pol-100001" }, "policy_number", "POL-NNNNNN"},
		{"policy too short", func(c *Claim) { c.PolicyNumber = "POL-12345" }, "policy_number", "POL-NNNNNN"},
		{"policy missing", func(c *Claim) { c.PolicyNumber = "" }, "policy_number", "POL-NNNNNN"},
		{"unknown type", func(c *Claim) { c.Type = "pet" }, "type", `unknown claim type "pet"`},
		{"type case", func(c *Claim) { c.Type = "Auto" }, "type", "unknown claim type"},
		{"description too long", func(c *Claim) { c.Description = strings.Repeat("x", 2001) }, "description", "longer than"},
		{"zero amount", func(c *Claim) { c.AmountClaimed = 0 }, "amount_claimed", "greater than 0"},
		{"negative amount", func(c *Claim) { c.AmountClaimed = -10 }, "amount_claimed", "greater than 0"},
		{"amount too large", func(c *Claim) { c.AmountClaimed = MaxAmount + 0.01 }, "amount_claimed", "must not exceed $10,000,000.00"},
		{"NaN amount", func(c *Claim) { c.AmountClaimed = math.NaN() }, "amount_claimed", "finite"},
		{"missing date", func(c *Claim) { c.IncidentDate = "" }, "incident_date", "required"},
		{"bad date format", func(c *Claim) { c.IncidentDate = "14/03/2025" }, "incident_date", "YYYY-MM-DD"},
		{"impossible date", func(c *Claim) { c.IncidentDate = "2025-02-30" }, "incident_date", "YYYY-MM-DD"},
		{"future date", func(c *Claim) { c.IncidentDate = "2026-06-02" }, "incident_date", "future"},
		{"ancient date", func(c *Claim) { c.IncidentDate = "1899-12-31" }, "incident_date", "before 1900"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validClaim()
			tt.edit(&c)
			err := c.validateAt(testNow)
			if !errors.Is(err, ErrInvalidClaim) {
				t.Fatalf("err = %v, want ErrInvalidClaim", err)
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("err = %v, want a FieldError for %s", err, tt.field)
			}
			if !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), tt.field+": ") {
				t.Fatalf("err = %q, want it to name %s and say %q", err, tt.field, tt.msg)
			}
		})
	}
}

func TestValidateBoundaries(t *testing.T) {
	c := validClaim()
	c.AmountClaimed, c.IncidentDate = MaxAmount, "2026-06-01"
	if err := c.validateAt(testNow); err != nil {
		t.Fatalf("amount of exactly %v on today's date rejected: %v", MaxAmount, err)
	}
	c.AmountClaimed = 0.01
	if err := c.validateAt(testNow); err != nil {
		t.Fatalf("amount of one cent rejected: %v", err)
	}
}

func TestValidateReportsEveryField(t *testing.T) {
	err := Claim{PolicyNumber: "X", Type: "pet", AmountClaimed: -1, IncidentDate: "soon"}.validateAt(testNow)
	for _, f := range []string{"claimant", "policy_number", "type", "amount_claimed", "incident_date"} {
		if !strings.Contains(err.Error(), f+": ") {
			t.Errorf("error does not name %s:\n%v", f, err)
		}
	}
	if strings.Contains(err.Error(), "email") {
		t.Errorf("empty optional email reported:\n%v", err)
	}
}

func TestSeverityBoundaries(t *testing.T) {
	tests := []struct {
		amount float64
		want   string
	}{
		{0.01, SeverityLow}, {4999.99, SeverityLow}, {5000, SeverityMedium},
		{49_999.99, SeverityMedium}, {50_000, SeverityHigh}, {MaxAmount, SeverityHigh},
	}
	for _, tt := range tests {
		if got := Severity(tt.amount); got != tt.want {
			t.Errorf("Severity(%v) = %s, want %s", tt.amount, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	want := map[string]actors.Classification{
		TypeAuto: actors.Confidential, TypeProperty: actors.Confidential,
		TypeHealth: actors.Restricted, TypeTravel: actors.Confidential,
	}
	for typ, w := range want {
		if got := Classify(Claim{Type: typ}); got != w {
			t.Errorf("Classify(%s) = %s, want %s", typ, got, w)
		}
	}
}
