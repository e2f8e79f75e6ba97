package registry

import (
	"context"
	"fmt"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Review is the formal post-incident review that Emergency → Primary
// recovery requires (Tier 2 PACE, "Recovery (E→P)").
type Review struct {
	RootCause        string    `json:"root_cause"`
	Remediation      string    `json:"remediation"`
	Approver         string    `json:"approver"`
	BaselinesUpdated bool      `json:"baselines_updated"`
	RecordedAt       time.Time `json:"recorded_at"`
	RecordedBy       string    `json:"recorded_by"`
}

// PutReview records the review for the incident at phase epoch epoch.
// Reviews are immutable: a second review for the same epoch is refused
// with ErrConflict. RootCause, Remediation and Approver are required; a
// zero RecordedAt is set from the clock.
func (r *Registry) PutReview(ctx context.Context, epoch uint64, review Review) error {
	if err := checkReview(epoch, review); err != nil {
		return err
	}
	if review.RecordedAt.IsZero() {
		review.RecordedAt = r.now()
	}
	val, err := encodeJSON(review)
	if err != nil {
		return err
	}
	key := r.key(dirReviews, epochSegment(epoch))
	ok, err := r.txn(ctx, fmt.Sprintf("record review for epoch %d refused", epoch),
		[]clientv3.Cmp{absent(key)}, clientv3.OpPut(key, string(val)))
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: a review for epoch %d is already recorded", ErrConflict, epoch)
	}
	return nil
}

func checkReview(epoch uint64, rv Review) error {
	if epoch == 0 {
		return fmt.Errorf("%w: review epoch must be positive", ErrInvalid)
	}
	required := []struct{ name, v string }{
		{"root cause", rv.RootCause}, {"remediation", rv.Remediation}, {"approver", rv.Approver},
	}
	for _, f := range required {
		if strings.TrimSpace(f.v) == "" {
			return fmt.Errorf("%w: review %s is required", ErrInvalid, f.name)
		}
	}
	return nil
}

// Review returns the review recorded for epoch, if any.
func (r *Registry) Review(ctx context.Context, epoch uint64) (Review, bool, error) {
	kv, _, err := r.getOne(ctx, "read review", r.key(dirReviews, epochSegment(epoch)))
	if err != nil || kv == nil {
		return Review{}, false, err
	}
	var rv Review
	if err := decodeJSON(kv.key, kv.value, &rv); err != nil {
		return Review{}, false, err
	}
	return rv, true, nil
}
