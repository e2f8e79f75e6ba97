package claims

import (
	"testing"
)

func TestSyntheticIsDeterministic(t *testing.T) {
	for i := range 50 {
		if a, b := Synthetic(7, i), Synthetic(7, i); a != b {
			t.Fatalf("Synthetic(7, %d) differs between calls: %+v vs %+v", i, a, b)
		}
	}
	same := 0
	for i := range 50 {
		if Synthetic(7, i) == Synthetic(8, i) {
			same++
		}
	}
	if same > 5 {
		t.Fatalf("%d of 50 claims equal across seeds 7 and 8", same)
	}
}

func TestSyntheticClaimsAreValidAndVaried(t *testing.T) {
	severities := map[string]int{}
	decisions := map[string]int{}
	policiesSeen := map[string]bool{}
	const n = 1000
	for i := range n {
		c := Synthetic(42, i)
		if err := c.validateAt(testNow); err != nil {
			t.Fatalf("Synthetic(42, %d) is invalid: %v", i, err)
		}
		severities[Severity(c.AmountClaimed)]++
		policiesSeen[c.PolicyNumber] = true
		p, err := LookupPolicy(c.PolicyNumber)
		if err != nil {
			t.Fatalf("Synthetic(42, %d): %v", i, err)
		}
		if c.Claimant != p.Holder {
			t.Fatalf("Synthetic(42, %d): claimant %q is not the holder %q", i, c.Claimant, p.Holder)
		}
		if !p.CoversType(c.Type) {
			decisions["uncovered"]++
		}
		decisions[Assess(Registered{Claim: c}, p).Decision]++
	}
	for _, s := range []string{SeverityLow, SeverityMedium} {
		if severities[s] < n/10 {
			t.Errorf("only %d of %d synthetic claims are %s", severities[s], n, s)
		}
	}
	if u := decisions["uncovered"]; u == 0 || u > n/5 {
		t.Errorf("%d of %d synthetic claims are of an uncovered type, want a few", u, n)
	}
	if decisions[DecisionCovered] < n/2 {
		t.Errorf("only %d of %d synthetic claims are covered, want most", decisions[DecisionCovered], n)
	}
	if decisions[DecisionBelowDeductible] == 0 {
		t.Error("no synthetic claim falls below its deductible")
	}
	if len(policiesSeen) != len(policies) {
		t.Errorf("synthetic claims use %d of %d policies", len(policiesSeen), len(policies))
	}
}

func TestSyntheticClaimsRunThroughThePipeline(t *testing.T) {
	w := New()
	for i := range 100 {
		c := Synthetic(3, i)
		res := runPipeline(t, w, c)
		r, ok := w.Claim(res["claim_id"].(string))
		if !ok || r.Claim != c {
			t.Fatalf("claim %d: registry holds %+v (%v), want %+v", i, r, ok, c)
		}
		p, _ := LookupPolicy(c.PolicyNumber)
		if want := Assess(r, p); res["decision"] != want.Decision || res["amount"] != want.Amount {
			t.Fatalf("claim %d: result %v, want %s %v", i, res, want.Decision, want.Amount)
		}
	}
	if n := len(w.Letters()); n != 100 {
		t.Fatalf("%d letters staged, want 100", n)
	}
}
