package claims

import (
	"fmt"
	"slices"
)

// Policy statuses.
const (
	StatusActive = "active"
	StatusLapsed = "lapsed"
)

// Policy is one insurance policy of the built-in policy table.
type Policy struct {
	Number     string   `json:"policy_number"`
	Holder     string   `json:"holder"`
	Covers     []string `json:"covers"`     // covered claim types
	Limit      float64  `json:"limit"`      // maximum paid per claim
	Deductible float64  `json:"deductible"` // taken off every claim
	Status     string   `json:"status"`     // active or lapsed
	Start      string   `json:"start"`      // first day of the policy period, YYYY-MM-DD
	End        string   `json:"end"`        // last day of the policy period, YYYY-MM-DD
}

// policies is the fixed policy table the lookup_policy tool reads. It mixes
// broad and narrow cover, small and large limits, one lapsed policy and one
// whose period is a single year, so every coverage decision occurs.
var policies = []Policy{
	{"POL-100001", "Alice Moreau", []string{TypeAuto, TypeTravel}, 25_000, 500, StatusActive, "2024-01-01", "2026-12-31"},
	{"POL-100002", "Ben Okafor", []string{TypeProperty}, 250_000, 2_500, StatusActive, "2023-06-01", "2026-05-31"},
	{"POL-100003", "Chen Wei", []string{TypeHealth, TypeTravel}, 100_000, 1_000, StatusActive, "2024-01-01", "2026-12-31"},
	{"POL-100004", "Dana Kowalski", []string{TypeAuto, TypeProperty}, 50_000, 1_000, StatusLapsed, "2022-01-01", "2023-12-31"},
	{"POL-100005", "Emeka Nwosu", []string{TypeAuto, TypeProperty, TypeHealth, TypeTravel}, 1_000_000, 5_000, StatusActive, "2024-01-01", "2027-12-31"},
	{"POL-100006", "Fatima Haddad", []string{TypeTravel}, 10_000, 250, StatusActive, "2025-01-01", "2025-12-31"},
	{"POL-100007", "Gustav Lind", []string{TypeHealth}, 500_000, 2_000, StatusActive, "2023-01-01", "2026-12-31"},
	{"POL-100008", "Hana Sato", []string{TypeProperty}, 2_000_000, 10_000, StatusActive, "2024-07-01", "2027-06-30"},
}

// Policies returns a copy of the policy table.
func Policies() []Policy {
	out := make([]Policy, len(policies))
	for i, p := range policies {
		p.Covers = slices.Clone(p.Covers)
		out[i] = p
	}
	return out
}

// LookupPolicy returns the policy with the given number, or an error
// wrapping [ErrUnknownPolicy].
func LookupPolicy(number string) (Policy, error) {
	for _, p := range policies {
		if p.Number == number {
			p.Covers = slices.Clone(p.Covers)
			return p, nil
		}
	}
	return Policy{}, fmt.Errorf("%w: no policy %q on record", ErrUnknownPolicy, number)
}

// CoversType reports whether the policy covers the claim type.
func (p Policy) CoversType(claimType string) bool {
	return slices.Contains(p.Covers, claimType)
}

// InPeriod reports whether date (YYYY-MM-DD) lies within the policy period,
// both ends included. ISO dates order like strings.
func (p Policy) InPeriod(date string) bool {
	return date >= p.Start && date <= p.End
}
