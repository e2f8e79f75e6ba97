package claims

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestPreliminaryAmount(t *testing.T) {
	tests := []struct {
		claimed, deductible, limit, want float64
	}{
		{3200, 500, 25_000, 2700},            // deductible taken off
		{100_000, 500, 25_000, 25_000},       // capped at the limit
		{25_500, 500, 25_000, 25_000},        // exactly at the limit
		{25_500.01, 500, 25_000, 25_000},     // just over the limit
		{400, 500, 25_000, 0},                // deductible larger than claim
		{500, 500, 25_000, 0},                // deductible equal to claim
		{1234.567, 0.5, 10_000, 1234.07},     // rounded to cents
		{10_000_000, 10_000, 2_000_000, 2e6}, // large claim, large limit
	}
	for _, tt := range tests {
		if got := PreliminaryAmount(tt.claimed, tt.deductible, tt.limit); got != tt.want {
			t.Errorf("PreliminaryAmount(%v, %v, %v) = %v, want %v", tt.claimed, tt.deductible, tt.limit, got, tt.want)
		}
	}
}

// registered returns a registered claim against policy with the given type,
// amount and date.
func registered(policy, typ string, amount float64, date string) Registered {
	c := validClaim()
	c.PolicyNumber, c.Type, c.AmountClaimed, c.IncidentDate = policy, typ, amount, date
	return Registered{ID: "CLM-000042", Claim: c, Severity: Severity(amount), Classification: Classify(c).String()}
}

func mustPolicy(t *testing.T, number string) Policy {
	t.Helper()
	p, err := LookupPolicy(number)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAssessDecisions(t *testing.T) {
	tests := []struct {
		name     string
		r        Registered
		decision string
		amount   float64
		reason   string
	}{
		{"covered", registered("POL-100001", TypeAuto, 3200, "2025-03-14"), DecisionCovered, 2700,
			"deductible of $500.00 is taken off the amount claimed, $3,200.00"},
		{"capped at limit", registered("POL-100001", TypeTravel, 40_000, "2025-03-14"), DecisionCovered, 25_000,
			"capped at the per-claim limit of $25,000.00"},
		{"uncovered type", registered("POL-100001", TypeHealth, 3200, "2025-03-14"), DecisionDenied, 0,
			"does not cover health claims (it covers auto, travel)"},
		{"lapsed policy", registered("POL-100004", TypeAuto, 3200, "2023-03-14"), DecisionDenied, 0,
			"policy POL-100004 is lapsed"},
		{"before the period", registered("POL-100006", TypeTravel, 3200, "2024-12-31"), DecisionDenied, 0,
			"the incident on 2024-12-31 is outside the policy period 2025-01-01 to 2025-12-31"},
		{"after the period", registered("POL-100002", TypeProperty, 3200, "2026-06-01"), DecisionDenied, 0,
			"outside the policy period 2023-06-01 to 2026-05-31"},
		{"first day of the period", registered("POL-100006", TypeTravel, 3200, "2025-01-01"), DecisionCovered, 2950,
			"within the policy period"},
		{"last day of the period", registered("POL-100006", TypeTravel, 3200, "2025-12-31"), DecisionCovered, 2950,
			"within the policy period"},
		{"deductible larger than claim", registered("POL-100008", TypeProperty, 4000, "2025-03-14"), DecisionBelowDeductible, 0,
			"does not exceed the deductible of $10,000.00, so nothing is payable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Assess(tt.r, mustPolicy(t, tt.r.PolicyNumber))
			if a.Decision != tt.decision || a.Amount != tt.amount {
				t.Fatalf("decision %s amount %v, want %s %v (reasons %q)", a.Decision, a.Amount, tt.decision, tt.amount, a.Reasons)
			}
			if !slices.ContainsFunc(a.Reasons, func(r string) bool { return strings.Contains(r, tt.reason) }) {
				t.Fatalf("reasons %q do not say %q", a.Reasons, tt.reason)
			}
			if a.ClaimID != "CLM-000042" || a.Claimant != "Alice Moreau" || a.AmountClaimed != tt.r.AmountClaimed {
				t.Fatalf("assessment does not carry the claim: %+v", a)
			}
		})
	}
}

func TestAssessListsEveryDenialReason(t *testing.T) {
	a := Assess(registered("POL-100004", TypeHealth, 3200, "2025-03-14"), mustPolicy(t, "POL-100004"))
	if a.Decision != DecisionDenied || len(a.Reasons) != 3 {
		t.Fatalf("want a denial with three reasons (lapsed, type, period), got %s %q", a.Decision, a.Reasons)
	}
}

func TestAssessReviewThreshold(t *testing.T) {
	p := mustPolicy(t, "POL-100005") // deductible 5,000, limit 1,000,000
	if a := Assess(registered(p.Number, TypeAuto, 55_000, "2025-03-14"), p); a.Amount != 50_000 || a.ReviewRequired {
		t.Fatalf("amount %v at the threshold: review required = %v, want false", a.Amount, a.ReviewRequired)
	}
	if a := Assess(registered(p.Number, TypeAuto, 55_000.01, "2025-03-14"), p); !a.ReviewRequired {
		t.Fatalf("amount %v above the threshold does not require review", a.Amount)
	}
}

func TestAssessmentConfidence(t *testing.T) {
	for decision, want := range map[string]float64{
		DecisionCovered: ConfidenceCovered, DecisionDenied: ConfidenceDenied, DecisionBelowDeductible: ConfidenceDenied,
	} {
		got := Assessment{Decision: decision}.Confidence()
		if got != want || got >= 1 || got <= 0 {
			t.Errorf("Confidence(%s) = %v, want %v in (0,1)", decision, got, want)
		}
	}
}

func TestPolicyTable(t *testing.T) {
	ps := Policies()
	if len(ps) != 8 {
		t.Fatalf("%d policies, want 8", len(ps))
	}
	var lapsed int
	for _, p := range ps {
		if !policyRE.MatchString(p.Number) || p.Holder == "" || len(p.Covers) == 0 || p.Limit <= 0 || p.Deductible < 0 || p.Start > p.End {
			t.Errorf("malformed policy %+v", p)
		}
		if p.Status == StatusLapsed {
			lapsed++
		}
	}
	if lapsed == 0 {
		t.Error("no lapsed policy: the lapsed decision never occurs")
	}
	ps[0].Covers[0] = "changed"
	if p := mustPolicy(t, ps[0].Number); p.Covers[0] == "changed" {
		t.Fatal("Policies returned the table's own slices")
	}
	if _, err := LookupPolicy("POL-999999"); !errors.Is(err, ErrUnknownPolicy) {
		t.Fatalf("unknown policy: err = %v, want ErrUnknownPolicy", err)
	}
}
