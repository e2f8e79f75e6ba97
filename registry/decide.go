package registry

import (
	"context"
	"fmt"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// maxDecideAttempts bounds Decide's compare-and-swap retries.
const maxDecideAttempts = 4

// Decide approves or denies pending approval id on behalf of by, and
// returns the record as stored. The change is a compare-and-swap on the
// record, so of two concurrent deciders exactly one wins; the other gets
// ErrAlreadyDecided. A missing approval is ErrNotFound. An approval past
// its ExpiresAt is marked expired and Decide returns ErrExpired (with the
// expired record).
func (r *Registry) Decide(ctx context.Context, id string, approve bool, by, reason string) (Approval, error) {
	if strings.TrimSpace(by) == "" {
		return Approval{}, fmt.Errorf("%w: decide approval %s: decided_by is required", ErrInvalid, id)
	}
	op := "decide approval " + id + " refused"
	for range maxDecideAttempts {
		a, modRev, _, err := r.readApproval(ctx, op, id)
		if err != nil {
			return Approval{}, err
		}
		if err := decidedErr(a); err != nil {
			return a, err
		}
		next := r.decision(a, approve, by, reason)
		ok, err := r.casApproval(ctx, op, next, modRev)
		if err != nil {
			return Approval{}, err
		}
		if !ok {
			continue // someone else wrote first; the re-read says who
		}
		if next.State == ApprovalExpired {
			return next, fmt.Errorf("%w: approval %s expired at %s", ErrExpired, id, next.ExpiresAt.Format(time.RFC3339))
		}
		r.log.Info("approval decided", "approval", id, "state", next.State, "by", by)
		return next, nil
	}
	return Approval{}, fmt.Errorf("%w: approval %s kept changing while deciding", ErrConflict, id)
}

// decidedErr returns the error for deciding a again, or nil if a is
// still pending in the store.
func decidedErr(a Approval) error {
	switch a.State {
	case ApprovalPending:
		return nil
	case ApprovalExpired:
		return fmt.Errorf("%w: approval %s expired at %s", ErrExpired, a.ID, a.ExpiresAt.Format(time.RFC3339))
	default:
		return fmt.Errorf("%w: approval %s was %s by %s", ErrAlreadyDecided, a.ID, a.State, a.DecidedBy)
	}
}

// decision returns the record Decide writes for pending a: expired when
// the clock is past ExpiresAt, otherwise approved or denied.
func (r *Registry) decision(a Approval, approve bool, by, reason string) Approval {
	now := r.now()
	if !a.pendingAt(now) {
		a.State = ApprovalExpired
		return a
	}
	a.State = ApprovalDenied
	if approve {
		a.State = ApprovalApproved
	}
	a.DecidedBy, a.Reason, a.DecidedAt = by, reason, now
	return a
}

// casApproval writes a if the stored record still has modRev.
func (r *Registry) casApproval(ctx context.Context, op string, a Approval, modRev int64) (bool, error) {
	val, err := encodeJSON(a)
	if err != nil {
		return false, err
	}
	key := r.key(dirApprovals, a.ID)
	return r.txn(ctx, op, []clientv3.Cmp{clientv3.Compare(clientv3.ModRevision(key), "=", modRev)},
		clientv3.OpPut(key, string(val)))
}
