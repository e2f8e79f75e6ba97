package claims

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// decisionText is the wording of each decision in a letter.
var decisionText = map[string]string{
	DecisionCovered:         "Your claim is covered by your policy.",
	DecisionBelowDeductible: "Your claim is covered by your policy, but the amount claimed does not exceed your deductible, so no payment is due.",
	DecisionDenied:          "We are unable to accept your claim under your policy.",
}

// DraftLetter writes the plain-text letter to the claimant about an
// assessment: the decision, the preliminary amount and the reasons, with a
// note that the amount is preliminary and subject to review.
func DraftLetter(a Assessment) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\n", a.Claimant)
	fmt.Fprintf(&b, "Re: claim %s under policy %s (%s, incident on %s)\n\n", a.ClaimID, a.PolicyNumber, a.Type, a.IncidentDate)
	fmt.Fprintf(&b, "Thank you for your claim of %s. We have assessed it against the terms of your policy.\n\n", formatUSD(a.AmountClaimed))
	text, ok := decisionText[a.Decision]
	if !ok {
		text = "Decision: " + a.Decision + "."
	}
	fmt.Fprintf(&b, "Decision: %s\n%s\n\n", a.Decision, text)
	fmt.Fprintf(&b, "Preliminary amount: %s\n\n", formatUSD(a.Amount))
	b.WriteString("Reasons:\n")
	for _, r := range a.Reasons {
		fmt.Fprintf(&b, "  - %s\n", r)
	}
	b.WriteString("\nThis amount is preliminary and subject to review by a claims handler; " +
		"it is not a commitment to pay until the review is complete.\n")
	if a.ReviewRequired {
		fmt.Fprintf(&b, "Because it exceeds %s, a claims supervisor must also approve it.\n", formatUSD(ReviewThreshold))
	}
	b.WriteString("\nYours sincerely,\nClaims Department\n")
	return b.String()
}

// formatUSD formats a dollar amount with thousands separators and cents,
// such as "$12,345.60".
func formatUSD(x float64) string {
	cents := int64(math.Round(math.Abs(x) * 100))
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	if x < 0 && cents != 0 {
		b.WriteByte('-')
	}
	b.WriteByte('$')
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	fmt.Fprintf(&b, ".%02d", cents%100)
	return b.String()
}
