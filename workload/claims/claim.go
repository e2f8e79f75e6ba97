package claims

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Claim is an insurance claim as a claimant submits it: the task payload the
// intake agent receives.
type Claim struct {
	Claimant      string  `json:"claimant"`
	Email         string  `json:"email,omitempty"`
	PolicyNumber  string  `json:"policy_number"`
	Type          string  `json:"type"`
	Description   string  `json:"description,omitempty"`
	AmountClaimed float64 `json:"amount_claimed"`
	IncidentDate  string  `json:"incident_date"` // YYYY-MM-DD
}

// Claim types.
const (
	TypeAuto     = "auto"
	TypeProperty = "property"
	TypeHealth   = "health"
	TypeTravel   = "travel"
)

// ClaimTypes are the claim types the workload handles.
var ClaimTypes = []string{TypeAuto, TypeProperty, TypeHealth, TypeTravel}

// Limits of the claim fields.
const (
	// MaxAmount is the largest amount a single claim may ask for.
	MaxAmount = 10_000_000
	// DateLayout is the layout of incident dates.
	DateLayout = "2006-01-02"

	maxClaimantLen    = 120
	maxDescriptionLen = 2000
)

var (
	policyRE = regexp.MustCompile(`^POL-[0-9]{6}$`)
	emailRE  = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	// earliestIncident bounds incident dates from below; older ones are typos.
	earliestIncident = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Validate checks every field and returns all problems joined, each a
// [*FieldError]; nil when the claim is valid. Incident dates may not lie
// in the future.
func (c Claim) Validate() error {
	return c.validateAt(time.Now().UTC())
}

func (c Claim) validateAt(now time.Time) error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if msg := checkText(c.Claimant, maxClaimantLen, true, false); msg != "" {
		add("claimant", "%s", msg)
	}
	if c.Email != "" && !emailRE.MatchString(c.Email) {
		add("email", "%q is not an email address", c.Email)
	}
	if !policyRE.MatchString(c.PolicyNumber) {
		add("policy_number", "%q does not match the format POL-NNNNNN (six digits)", c.PolicyNumber)
	}
	if !slices.Contains(ClaimTypes, c.Type) {
		add("type", "unknown claim type %q (want %s)", c.Type, strings.Join(ClaimTypes, ", "))
	}
	if msg := checkText(c.Description, maxDescriptionLen, false, true); msg != "" {
		add("description", "%s", msg)
	}
	if msg := checkAmount(c.AmountClaimed); msg != "" {
		add("amount_claimed", "%s", msg)
	}
	if msg := checkDate(c.IncidentDate, now); msg != "" {
		add("incident_date", "%s", msg)
	}
	return errors.Join(errs...)
}

// checkText checks a free-text field; it returns a message or "". Only
// multiline fields may hold line breaks; other control characters are never
// allowed, so text cannot forge lines of a letter or a log.
func checkText(s string, limit int, required, multiline bool) string {
	switch {
	case required && strings.TrimSpace(s) == "":
		return "required"
	case len(s) > limit:
		return fmt.Sprintf("longer than %d bytes", limit)
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && (r != '\n' || !multiline) }):
		return "contains control characters"
	}
	return ""
}

// checkAmount checks a claimed amount; it returns a message or "".
func checkAmount(a float64) string {
	switch {
	case math.IsNaN(a) || math.IsInf(a, 0):
		return "must be a finite number"
	case a <= 0:
		return fmt.Sprintf("must be greater than 0, got %g", a)
	case a > MaxAmount:
		return fmt.Sprintf("must not exceed %s, got %s", formatUSD(MaxAmount), formatUSD(a))
	}
	return ""
}

// checkDate checks an incident date; it returns a message or "".
func checkDate(s string, now time.Time) string {
	d, err := time.Parse(DateLayout, s)
	switch {
	case s == "":
		return "required (YYYY-MM-DD)"
	case err != nil:
		return fmt.Sprintf("%q is not a date in the form YYYY-MM-DD", s)
	case d.Before(earliestIncident):
		return fmt.Sprintf("%s is before %s", s, earliestIncident.Format(DateLayout))
	case d.After(now):
		return fmt.Sprintf("%s is in the future", s)
	}
	return ""
}
