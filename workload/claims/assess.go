package claims

import (
	"fmt"
	"math"
	"strings"
)

// Coverage decisions.
const (
	// DecisionCovered: the policy covers the claim and something is payable.
	DecisionCovered = "covered"
	// DecisionBelowDeductible: the policy covers the claim, but the amount
	// claimed does not exceed the deductible, so nothing is payable.
	DecisionBelowDeductible = "below_deductible"
	// DecisionDenied: the policy does not cover the claim.
	DecisionDenied = "denied"
)

// ReviewThreshold is the preliminary amount above which a claims supervisor
// must approve the payment (the Tier 2 worked example's escalation rule).
const ReviewThreshold = 50_000

// Confidence the analysis agent states with its assessment (PG-2.7). A denial
// follows mechanically from the policy record (type, status, period), so it is
// stated with more confidence than an award, whose amount still rests on the
// claimant's own figure until a handler has checked the evidence. Neither is
// 1: the assessment is the agent's conclusion, not a verified fact.
const (
	ConfidenceCovered = 0.9
	ConfidenceDenied  = 0.95
)

// Registered is a claim as the claims registry holds it: the claim with its
// registry id and classification. It is also the payload intake sends on.
type Registered struct {
	ID string `json:"claim_id"`
	Claim
	Severity       string `json:"severity"`
	Classification string `json:"classification"`
	RegisteredBy   string `json:"registered_by,omitempty"`
	TaskID         string `json:"task_id,omitempty"`
	// Decision and Amount are recorded by analysis (record_assessment).
	Decision string  `json:"decision,omitempty"`
	Amount   float64 `json:"assessed_amount,omitempty"`
}

// Assessment is the analysis agent's coverage decision for one claim.
type Assessment struct {
	ClaimID        string   `json:"claim_id"`
	Claimant       string   `json:"claimant"`
	Email          string   `json:"email,omitempty"`
	PolicyNumber   string   `json:"policy_number"`
	Type           string   `json:"type"`
	IncidentDate   string   `json:"incident_date"`
	Classification string   `json:"classification"`
	AmountClaimed  float64  `json:"amount_claimed"`
	Decision       string   `json:"decision"`
	Amount         float64  `json:"preliminary_amount"`
	ReviewRequired bool     `json:"review_required"`
	Reasons        []string `json:"reasons"`
}

// Confidence is the confidence to state with the assessment.
func (a Assessment) Confidence() float64 {
	if a.Decision == DecisionCovered {
		return ConfidenceCovered
	}
	return ConfidenceDenied
}

// PreliminaryAmount is min(claimed - deductible, limit), floored at 0 and
// rounded to cents.
func PreliminaryAmount(claimed, deductible, limit float64) float64 {
	return roundCents(max(0, min(claimed-deductible, limit)))
}

func roundCents(x float64) float64 { return math.Round(x*100) / 100 }

// Assess decides coverage of a registered claim under its policy: the policy
// must be active, cover the claim type and have been in force on the
// incident date. Every reason for the decision is listed.
func Assess(r Registered, p Policy) Assessment {
	a := newAssessment(r)
	if denials := denialReasons(r.Claim, p); len(denials) > 0 {
		a.Decision, a.Reasons = DecisionDenied, denials
		return a
	}
	a.Amount = PreliminaryAmount(r.AmountClaimed, p.Deductible, p.Limit)
	a.Reasons = coverReasons(r.Claim, p)
	a.Decision = DecisionCovered
	if a.Amount == 0 {
		a.Decision = DecisionBelowDeductible
	}
	a.ReviewRequired = a.Amount > ReviewThreshold
	return a
}

// assessUnknownPolicy denies a claim whose policy is not on record.
func assessUnknownPolicy(r Registered) Assessment {
	a := newAssessment(r)
	a.Decision = DecisionDenied
	a.Reasons = []string{fmt.Sprintf("no policy %s is on record", r.PolicyNumber)}
	return a
}

func newAssessment(r Registered) Assessment {
	return Assessment{ClaimID: r.ID, Claimant: r.Claimant, Email: r.Email, PolicyNumber: r.PolicyNumber,
		Type: r.Type, IncidentDate: r.IncidentDate, Classification: r.Classification,
		AmountClaimed: r.AmountClaimed, Reasons: []string{}}
}

// denialReasons lists why p does not cover c; empty when it does.
func denialReasons(c Claim, p Policy) []string {
	var out []string
	if p.Status != StatusActive {
		out = append(out, fmt.Sprintf("policy %s is %s", p.Number, p.Status))
	}
	if !p.CoversType(c.Type) {
		out = append(out, fmt.Sprintf("policy %s does not cover %s claims (it covers %s)",
			p.Number, c.Type, strings.Join(p.Covers, ", ")))
	}
	if !p.InPeriod(c.IncidentDate) {
		out = append(out, fmt.Sprintf("the incident on %s is outside the policy period %s to %s",
			c.IncidentDate, p.Start, p.End))
	}
	return out
}

// coverReasons explains a covered claim and how its amount was computed.
func coverReasons(c Claim, p Policy) []string {
	out := []string{
		fmt.Sprintf("policy %s is active and covers %s claims", p.Number, c.Type),
		fmt.Sprintf("the incident on %s is within the policy period %s to %s", c.IncidentDate, p.Start, p.End),
	}
	if c.AmountClaimed <= p.Deductible {
		return append(out, fmt.Sprintf("the amount claimed, %s, does not exceed the deductible of %s, so nothing is payable",
			formatUSD(c.AmountClaimed), formatUSD(p.Deductible)))
	}
	out = append(out, fmt.Sprintf("the deductible of %s is taken off the amount claimed, %s",
		formatUSD(p.Deductible), formatUSD(c.AmountClaimed)))
	if c.AmountClaimed-p.Deductible > p.Limit {
		out = append(out, fmt.Sprintf("the amount is capped at the per-claim limit of %s", formatUSD(p.Limit)))
	}
	return out
}
