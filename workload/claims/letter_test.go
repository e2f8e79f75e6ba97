package claims

import (
	"strings"
	"testing"
)

func TestFormatUSD(t *testing.T) {
	tests := map[float64]string{
		0: "$0.00", 0.5: "$0.50", 12.345: "$12.35", 999.999: "$1,000.00", 1000: "$1,000.00",
		12_345.6: "$12,345.60", 1_000_000: "$1,000,000.00", -2500: "-$2,500.00", 100_000: "$100,000.00",
	}
	for in, want := range tests {
		if got := formatUSD(in); got != want {
			t.Errorf("formatUSD(%v) = %s, want %s", in, got, want)
		}
	}
}

func TestDraftLetterCovered(t *testing.T) {
	a := Assess(registered("POL-100001", TypeAuto, 3200, "2025-03-14"), mustPolicy(t, "POL-100001"))
	letter := DraftLetter(a)
	for _, want := range []string{
		"Dear Alice Moreau,",
		"claim CLM-000042 under policy POL-100001",
		"Decision: covered",
		"Preliminary amount: $2,700.00",
		"  - the deductible of $500.00 is taken off the amount claimed, $3,200.00",
		"preliminary and subject to review",
	} {
		if !strings.Contains(letter, want) {
			t.Errorf("letter lacks %q:\n%s", want, letter)
		}
	}
	if strings.Contains(letter, "supervisor") {
		t.Errorf("letter for a small amount mentions supervisor approval:\n%s", letter)
	}
}

func TestDraftLetterDenied(t *testing.T) {
	a := Assess(registered("POL-100004", TypeAuto, 3200, "2023-03-14"), mustPolicy(t, "POL-100004"))
	letter := DraftLetter(a)
	for _, want := range []string{"Decision: denied", "unable to accept", "Preliminary amount: $0.00", "  - policy POL-100004 is lapsed"} {
		if !strings.Contains(letter, want) {
			t.Errorf("letter lacks %q:\n%s", want, letter)
		}
	}
}

func TestDraftLetterReview(t *testing.T) {
	a := Assess(registered("POL-100005", TypeAuto, 200_000, "2025-03-14"), mustPolicy(t, "POL-100005"))
	letter := DraftLetter(a)
	if !strings.Contains(letter, "Preliminary amount: $195,000.00") || !strings.Contains(letter, "a claims supervisor must also approve it") {
		t.Errorf("large award letter lacks the amount or the supervisor note:\n%s", letter)
	}
}
