package registry

import (
	"context"
	"errors"
	"fmt"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// errStopWatch ends a watch from inside its callback.
var errStopWatch = errors.New("registry: stop watch")

// Await blocks until approval id is decided or expires, or ctx ends, and
// returns the final record (a pending approval that ran out of time comes
// back with State expired). It follows the record with a watch, resumed
// from the last seen revision after errors and etcd restarts; it does not
// poll.
func (r *Registry) Await(ctx context.Context, id string) (Approval, error) {
	a, _, rev, err := r.readApproval(ctx, "await approval "+id, id)
	if err != nil {
		return Approval{}, err
	}
	next, bo := rev+1, newBackoff()
	for {
		if !a.pendingAt(r.now()) {
			return a.asOf(r.now()), nil
		}
		st := r.awaitStep(ctx, a, next)
		a, next = st.a, st.next
		switch {
		case ctx.Err() != nil:
			return a.asOf(r.now()), fmt.Errorf("registry: await approval %s: %w", id, ctx.Err())
		case r.cli.Ctx().Err() != nil:
			return a.asOf(r.now()), fmt.Errorf("registry: await approval %s: registry closed: %w", id, r.cli.Ctx().Err())
		case st.deleted:
			return Approval{}, fmt.Errorf("%w: approval %s was deleted", ErrNotFound, id)
		case st.timedOut:
			return r.awaitExpired(ctx, a), nil
		case st.err != nil && a.pendingAt(r.now()):
			r.log.Warn("approval watch interrupted; resuming", "approval", id, "err", st.err)
			a, next = r.awaitResync(ctx, a, next, st.err, bo)
		}
	}
}

// awaitState is the outcome of one watch attempt in Await.
type awaitState struct {
	a        Approval
	next     int64
	deleted  bool
	timedOut bool // the time left until ExpiresAt elapsed
	err      error
}

// awaitStep watches a's key from revision next until a is no longer
// pending, the time left until a.ExpiresAt elapses, or the watch fails.
func (r *Registry) awaitStep(ctx context.Context, a Approval, next int64) awaitState {
	wctx, cancel := context.WithTimeout(ctx, a.ExpiresAt.Sub(r.now()))
	defer cancel()
	st := awaitState{a: a}
	key := r.key(dirApprovals, a.ID)
	st.next, st.err = r.watchFrom(wctx, key, nil, next, func(evs []*clientv3.Event) error {
		for _, ev := range evs {
			if ev.Type == mvccpb.DELETE {
				st.deleted = true
				return errStopWatch
			}
			na, err := decodeApproval(key, ev.Kv.Value)
			if err != nil {
				r.log.Error("undecodable approval update ignored", "err", err)
				continue
			}
			st.a = na
		}
		if !st.a.pendingAt(r.now()) {
			return errStopWatch
		}
		return nil
	})
	st.timedOut = ctx.Err() == nil && errors.Is(wctx.Err(), context.DeadlineExceeded)
	if errors.Is(st.err, errStopWatch) {
		st.err = nil
	}
	return st
}

// awaitExpired is called when a's time ran out: it re-reads the record
// (a decision may have landed just before expiry) and otherwise returns
// a as expired. If etcd cannot be read it fails closed: expired.
func (r *Registry) awaitExpired(ctx context.Context, a Approval) Approval {
	cur, _, _, err := r.readApproval(ctx, "await approval "+a.ID, a.ID)
	if err == nil {
		a = cur
	}
	if a.State == ApprovalPending {
		a.State = ApprovalExpired
	}
	return a
}

// awaitResync recovers from a failed watch: after a compaction it
// re-reads the record; otherwise it waits out the backoff and resumes
// from next.
func (r *Registry) awaitResync(ctx context.Context, a Approval, next int64, werr error, bo *backoffState) (Approval, int64) {
	if !sleepCtx(ctx, bo.next()) || !errors.Is(werr, errCompacted) {
		return a, next
	}
	cur, _, rev, err := r.readApproval(ctx, "await approval "+a.ID, a.ID)
	if err != nil {
		r.log.Warn("approval re-read failed", "approval", a.ID, "err", err)
		return a, next
	}
	return cur, rev + 1
}
