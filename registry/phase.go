package registry

import (
	"context"
	"fmt"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Phase is a PACE phase.
type Phase string

// The four PACE phases, in escalation order.
const (
	PhasePrimary     Phase = "primary"
	PhaseAlternate   Phase = "alternate"
	PhaseContingency Phase = "contingency"
	PhaseEmergency   Phase = "emergency"
)

// Valid reports whether p is one of the four phases.
func (p Phase) Valid() bool {
	switch p {
	case PhasePrimary, PhaseAlternate, PhaseContingency, PhaseEmergency:
		return true
	}
	return false
}

// PhaseState is the cluster's PACE phase and how it got there. Epoch
// counts transitions; a fresh registry is at {primary, 0}.
type PhaseState struct {
	Phase  Phase     `json:"phase"`
	Epoch  uint64    `json:"epoch"`
	Since  time.Time `json:"since"`
	Reason string    `json:"reason,omitempty"`
	Who    string    `json:"who,omitempty"`
	Role   string    `json:"role,omitempty"`
	// Agent is the anomalous agent that triggered Alternate.
	Agent string `json:"agent,omitempty"`
	// Auto is true for a transition made by the monitoring layer rather
	// than a person.
	Auto bool `json:"auto,omitempty"`
}

// initialPhase is the state of a registry that has never changed phase.
func initialPhase() PhaseState {
	return PhaseState{Phase: PhasePrimary}
}

// Phase returns the current phase: {primary, epoch 0} when none was
// ever written.
func (r *Registry) Phase(ctx context.Context) (PhaseState, error) {
	st, _, err := r.readPhase(ctx, "read phase")
	return st, err
}

// readPhase returns the current phase and its mod revision (0 if unset);
// op names the operation in errors.
func (r *Registry) readPhase(ctx context.Context, op string) (PhaseState, int64, error) {
	kv, _, err := r.getOne(ctx, op, r.key(keyPhase))
	if err != nil || kv == nil {
		return initialPhase(), 0, err
	}
	var st PhaseState
	if err := decodeJSON(kv.key, kv.value, &st); err != nil {
		return PhaseState{}, 0, err
	}
	return st, kv.modRev, nil
}

// CASPhase moves the phase from cur to next. next.Epoch must be
// cur.Epoch+1; a zero next.Since is set from the clock. The write and
// its history record (phase/history/<epoch>) commit in one transaction,
// and only if the stored epoch is still cur.Epoch; otherwise ErrConflict.
// When etcd cannot confirm the change within OpTimeout the error wraps
// ErrUnavailable and says the change was refused.
func (r *Registry) CASPhase(ctx context.Context, cur, next PhaseState) error {
	if err := checkTransition(cur, next); err != nil {
		return err
	}
	if next.Since.IsZero() {
		next.Since = r.now()
	}
	val, err := encodeJSON(next)
	if err != nil {
		return err
	}
	op := fmt.Sprintf("phase change to %s (epoch %d) refused", next.Phase, next.Epoch)
	stored, modRev, err := r.readPhase(ctx, op)
	if err != nil {
		return err
	}
	if stored.Epoch != cur.Epoch {
		return fmt.Errorf("%w: phase is %s at epoch %d, not epoch %d", ErrConflict, stored.Phase, stored.Epoch, cur.Epoch)
	}
	phaseKey, histKey := r.key(keyPhase), r.key(dirPhaseHistory, epochSegment(next.Epoch))
	ok, err := r.txn(ctx, op,
		[]clientv3.Cmp{clientv3.Compare(clientv3.ModRevision(phaseKey), "=", modRev), absent(histKey)},
		clientv3.OpPut(phaseKey, string(val)), clientv3.OpPut(histKey, string(val)))
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: phase moved past epoch %d while changing to %s", ErrConflict, cur.Epoch, next.Phase)
	}
	r.log.Info("phase changed", "from", cur.Phase, "to", next.Phase, "epoch", next.Epoch,
		"who", next.Who, "auto", next.Auto, "reason", next.Reason)
	return nil
}

func checkTransition(cur, next PhaseState) error {
	if !next.Phase.Valid() {
		return fmt.Errorf("%w: unknown phase %q", ErrInvalid, next.Phase)
	}
	if next.Epoch != cur.Epoch+1 {
		return fmt.Errorf("%w: next epoch %d must be %d", ErrInvalid, next.Epoch, cur.Epoch+1)
	}
	return nil
}

// PhaseHistory returns every recorded transition, oldest first.
func (r *Registry) PhaseHistory(ctx context.Context) ([]PhaseState, error) {
	return r.phaseHistoryFrom(ctx, 1, 0)
}

// phaseHistoryFrom returns the history records with from <= epoch, and
// epoch <= to unless to is 0.
func (r *Registry) phaseHistoryFrom(ctx context.Context, from, to uint64) ([]PhaseState, error) {
	octx, cancel := r.opCtx(ctx)
	defer cancel()
	start := r.key(dirPhaseHistory, epochSegment(from))
	end := clientv3.GetPrefixRangeEnd(r.key(dirPhaseHistory))
	if to != 0 {
		end = r.key(dirPhaseHistory, epochSegment(to+1))
	}
	resp, err := r.cli.Get(octx, start, clientv3.WithRange(end))
	if err != nil {
		return nil, r.fail(ctx, octx, "read phase history", err)
	}
	out := make([]PhaseState, 0, len(resp.Kvs))
	for _, kv := range resp.Kvs {
		var st PhaseState
		if err := decodeJSON(string(kv.Key), kv.Value, &st); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}
