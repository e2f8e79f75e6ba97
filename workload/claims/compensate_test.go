package claims

import (
	"context"
	"testing"
)

func TestWithdrawLetters(t *testing.T) {
	w := New()
	w.letters = append(w.letters, StagedLetter{ID: "LTR-000001"}, StagedLetter{ID: "LTR-000002"})
	detail, err := w.Compensations()[CompensationWithdrawLetters](context.Background())
	if err != nil || detail != "2 staged letters withdrawn" {
		t.Fatalf("%q %v", detail, err)
	}
	if len(w.Letters()) != 0 {
		t.Fatal("letters left after withdrawal")
	}
}
