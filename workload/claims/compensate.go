package claims

import (
	"context"
	"fmt"
)

// CompensationWithdrawLetters is the compensating action the workload
// registers for PACE Emergency.
const CompensationWithdrawLetters = "withdraw_staged_letters"

// Compensations returns the workload's compensating actions: in an
// Emergency every staged letter that has not been sent is withdrawn, so no
// draft produced by possibly compromised agents reaches a claimant.
func (w *Workload) Compensations() map[string]func(context.Context) (string, error) {
	return map[string]func(context.Context) (string, error){
		CompensationWithdrawLetters: func(context.Context) (string, error) {
			n := w.WithdrawLetters()
			return fmt.Sprintf("%d staged letters withdrawn", n), nil
		},
	}
}

// WithdrawLetters removes every staged letter and reports how many there were.
func (w *Workload) WithdrawLetters() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(w.letters)
	w.letters = nil
	return n
}
