package claims

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// syntheticStart is the first incident date of synthetic claims; they spread
// over the following year, which lies within every active policy's period.
var syntheticStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// descriptions are synthetic incident descriptions by claim type.
var descriptions = map[string][]string{
	TypeAuto:     {"Rear-ended at a junction.", "Windscreen cracked by debris.", "Side mirror damaged while parked."},
	TypeProperty: {"Water damage from a burst pipe.", "Storm damage to the roof.", "Break-in with stolen electronics."},
	TypeHealth:   {"Emergency treatment after a fall.", "Outpatient surgery.", "Physiotherapy after an injury."},
	TypeTravel:   {"Flight cancelled, trip rebooked.", "Luggage lost in transit.", "Medical care while abroad."},
}

// Synthetic returns synthetic claim number i of the series given by seed,
// for load generation. The same seed and i always give the same claim. Every
// claim is valid and names a policy of the table, with the policy holder as
// claimant; about one in ten asks for a type its policy does not cover.
// Amounts are about half low and half medium severity: load generation stays
// under the $50,000 at which an assessment waits for a human (the
// high-value rule), so a load test never parks agents on approvals.
// HighValue gives claims above it.
func Synthetic(seed int64, i int) Claim {
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(i)))
	p := policies[rng.IntN(len(policies))]
	typ := syntheticType(rng, p)
	texts := descriptions[typ]
	return Claim{
		Claimant:      p.Holder,
		Email:         emailFor(p.Holder),
		PolicyNumber:  p.Number,
		Type:          typ,
		Description:   texts[rng.IntN(len(texts))],
		AmountClaimed: syntheticAmount(rng),
		IncidentDate:  syntheticStart.AddDate(0, 0, rng.IntN(365)).Format(DateLayout),
	}
}

// syntheticType picks a type the policy covers, or one time in ten a type
// it does not cover (when there is one).
func syntheticType(rng *rand.Rand, p Policy) string {
	var uncovered []string
	for _, t := range ClaimTypes {
		if !slices.Contains(p.Covers, t) {
			uncovered = append(uncovered, t)
		}
	}
	if len(uncovered) > 0 && rng.IntN(10) == 0 {
		return uncovered[rng.IntN(len(uncovered))]
	}
	return p.Covers[rng.IntN(len(p.Covers))]
}

// syntheticAmount draws an amount in whole cents from a severity band.
func syntheticAmount(rng *rand.Rand) float64 {
	lo, hi := int64(50_00), int64(MediumFrom*100-1) // low
	if rng.IntN(10) >= 5 {
		lo, hi = MediumFrom*100, HighFrom*100-1
	}
	return float64(lo+rng.Int64N(hi-lo+1)) / 100
}

// HighValue returns a valid, covered auto claim on policy POL-100005 whose
// preliminary amount is amount (above $50,000 it escalates to a human).
func HighValue(amount float64) Claim {
	p, _ := LookupPolicy("POL-100005")
	return Claim{Claimant: p.Holder, Email: emailFor(p.Holder), PolicyNumber: p.Number, Type: "auto",
		Description: "Vehicle written off after a collision.", AmountClaimed: amount + p.Deductible,
		IncidentDate: "2025-06-01"}
}

// emailFor derives an example.com address from a name.
func emailFor(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com"
}
