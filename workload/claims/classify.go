package claims

import "github.com/maso-runtime/maso/actors"

// Severity levels, by amount claimed.
const (
	SeverityLow    = "low"
	SeverityMedium = "medium"
	SeverityHigh   = "high"
)

// Severity thresholds: low < MediumFrom <= medium < HighFrom <= high.
const (
	MediumFrom = 5_000
	HighFrom   = 50_000
)

// Severity grades a claim by the amount claimed.
func Severity(amount float64) string {
	switch {
	case amount >= HighFrom:
		return SeverityHigh
	case amount >= MediumFrom:
		return SeverityMedium
	default:
		return SeverityLow
	}
}

// Classify returns the data classification of a claim (DP-1.1): health
// claims carry medical information and are restricted; every other claim
// holds personal and financial data and is confidential.
func Classify(c Claim) actors.Classification {
	if c.Type == TypeHealth {
		return actors.Restricted
	}
	return actors.Confidential
}
