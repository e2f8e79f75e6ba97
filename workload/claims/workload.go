package claims

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/maso-runtime/maso/actors"
)

// Behaviour names, as agents give them in `behaviour:`.
const (
	BehaviourIntake        = "claims.intake"
	BehaviourAnalysis      = "claims.analysis"
	BehaviourCommunication = "claims.communication"
)

// Tool names, as the configuration declares them.
const (
	ToolRegisterClaim = "register_claim"
	ToolLookupPolicy  = "lookup_policy"
	ToolStageLetter   = "stage_letter"
)

// Payload types of the messages the agents exchange.
const (
	PayloadRegistered = "claims.registered"
	PayloadAssessed   = "claims.assessed"
)

// StagedLetter is a letter staged for review before it is sent.
type StagedLetter struct {
	ID       string     `json:"letter_id"`
	ClaimID  string     `json:"claim_id"`
	To       string     `json:"to"`
	Email    string     `json:"email,omitempty"`
	Body     string     `json:"body"`
	StagedBy string     `json:"staged_by,omitempty"`
	TaskID   string     `json:"task_id,omitempty"`
	SentAt   *time.Time `json:"sent_at,omitempty"`
}

// Workload is the claims workload: its behaviours, its tools and the
// in-memory stores the tools write (the claims registry and the staged
// letters). It is safe for concurrent use.
type Workload struct {
	mu         sync.Mutex
	claims     map[string]Registered
	letters    []StagedLetter
	lastClaim  int
	lastLetter int
}

// New returns a workload with empty stores.
func New() *Workload {
	return &Workload{claims: map[string]Registered{}}
}

// Behaviours returns the behaviour factories by behaviour name.
func (w *Workload) Behaviours() map[string]actors.BehaviourFactory {
	return map[string]actors.BehaviourFactory{
		BehaviourIntake:        newIntake,
		BehaviourAnalysis:      newAnalysis,
		BehaviourCommunication: newCommunication,
	}
}

// Claim returns the registered claim with the given id.
func (w *Workload) Claim(id string) (Registered, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	r, ok := w.claims[id]
	return r, ok
}

// Letters returns the staged letters in the order they were staged.
func (w *Workload) Letters() []StagedLetter {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.letters)
}

// register stores r under a fresh claim id and returns the stored record.
func (w *Workload) register(r Registered) Registered {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lastClaim++
	r.ID = fmt.Sprintf("CLM-%06d", w.lastClaim)
	w.claims[r.ID] = r
	return r
}

// stage stores l under a fresh letter id, provided its claim is registered.
func (w *Workload) stage(l StagedLetter) (StagedLetter, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	r, ok := w.claims[l.ClaimID]
	if !ok {
		return StagedLetter{}, fmt.Errorf("%w: %q", ErrUnknownClaim, l.ClaimID)
	}
	if l.To != r.Claimant {
		return StagedLetter{}, fmt.Errorf("%w: letter for claim %s is addressed to %q, but the claimant is %q",
			ErrToolArgs, l.ClaimID, l.To, r.Claimant)
	}
	w.lastLetter++
	l.ID = fmt.Sprintf("LTR-%06d", w.lastLetter)
	w.letters = append(w.letters, l)
	return l, nil
}
