package registry

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// ApprovalState is where an approval request stands (EC-1.1).
type ApprovalState string

// Approval states. Expired is also what a pending approval past its
// ExpiresAt reads as, whether or not the record says so yet.
const (
	ApprovalPending  ApprovalState = "pending"
	ApprovalApproved ApprovalState = "approved"
	ApprovalDenied   ApprovalState = "denied"
	ApprovalExpired  ApprovalState = "expired"
)

// Approval is a request for a human to approve one exact action. Action
// holds the canonical action bytes and ArgsHash their ActionHash, so an
// approval cannot be replayed for different arguments.
type Approval struct {
	ID        string          `json:"id"`
	TaskID    string          `json:"task_id"`
	Agent     string          `json:"agent"`
	Tool      string          `json:"tool"`
	ArgsHash  string          `json:"args_hash"`
	Action    json.RawMessage `json:"action"`
	State     ApprovalState   `json:"state"`
	CreatedAt time.Time       `json:"created_at"`
	ExpiresAt time.Time       `json:"expires_at"`
	DecidedBy string          `json:"decided_by,omitempty"`
	Reason    string          `json:"reason,omitempty"`
	DecidedAt time.Time       `json:"decided_at,omitzero"`
}

// actionDomain separates action hashes from every other SHA-256 use.
const actionDomain = "maso.action.v1\n"

// ActionHash returns the lowercase hex SHA-256 of action, domain-separated
// with "maso.action.v1\n".
func ActionHash(action []byte) string {
	h := sha256.New()
	h.Write([]byte(actionDomain))
	h.Write(action)
	return hex.EncodeToString(h.Sum(nil))
}

// pendingAt reports whether a is still awaiting a decision at now.
func (a Approval) pendingAt(now time.Time) bool {
	return a.State == ApprovalPending && now.Before(a.ExpiresAt)
}

// asOf returns a as it reads at now: pending past its expiry is expired.
func (a Approval) asOf(now time.Time) Approval {
	if a.State == ApprovalPending && !now.Before(a.ExpiresAt) {
		a.State = ApprovalExpired
	}
	return a
}

// CreateApproval stores a new pending approval and returns it as stored.
// An empty ID gets a UUIDv7, an empty State becomes pending, a zero
// CreatedAt is set from the clock. Action must be compact JSON whose
// ActionHash equals ArgsHash, and ExpiresAt must be after CreatedAt;
// otherwise ErrInvalid. An existing ID is refused with ErrConflict.
func (r *Registry) CreateApproval(ctx context.Context, a Approval) (Approval, error) {
	a, err := r.newApproval(a)
	if err != nil {
		return Approval{}, err
	}
	val, err := encodeJSON(a)
	if err != nil {
		return Approval{}, err
	}
	key := r.key(dirApprovals, a.ID)
	ok, err := r.txn(ctx, "create approval refused", []clientv3.Cmp{absent(key)}, clientv3.OpPut(key, string(val)))
	if err != nil {
		return Approval{}, err
	}
	if !ok {
		return Approval{}, fmt.Errorf("%w: approval %s already exists", ErrConflict, a.ID)
	}
	r.log.Info("approval requested", "approval", a.ID, "agent", a.Agent, "tool", a.Tool, "expires", a.ExpiresAt)
	return a, nil
}

// newApproval fills in a's defaults and checks it.
func (r *Registry) newApproval(a Approval) (Approval, error) {
	if a.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return Approval{}, fmt.Errorf("registry: approval id: %w", err)
		}
		a.ID = id.String()
	}
	if a.State == "" {
		a.State = ApprovalPending
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = r.now()
	}
	return a, checkNewApproval(a)
}

func checkNewApproval(a Approval) error {
	if err := checkSegment("approval id", a.ID); err != nil {
		return err
	}
	if a.State != ApprovalPending {
		return fmt.Errorf("%w: approval %s: a new approval must be pending, not %q", ErrInvalid, a.ID, a.State)
	}
	if !a.ExpiresAt.After(a.CreatedAt) {
		return fmt.Errorf("%w: approval %s: expires_at must be after created_at", ErrInvalid, a.ID)
	}
	if !json.Valid(a.Action) {
		return fmt.Errorf("%w: approval %s: action is not valid JSON", ErrInvalid, a.ID)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, a.Action); err != nil || !bytes.Equal(compact.Bytes(), a.Action) {
		return fmt.Errorf("%w: approval %s: action must be compact canonical JSON", ErrInvalid, a.ID)
	}
	if want := ActionHash(a.Action); a.ArgsHash != want {
		return fmt.Errorf("%w: approval %s: args_hash %q does not match the action (want %s)", ErrInvalid, a.ID, a.ArgsHash, want)
	}
	return nil
}

// decodeApproval decodes a stored approval and checks that its action
// still matches its hash.
func decodeApproval(key string, data []byte) (Approval, error) {
	var a Approval
	if err := decodeJSON(key, data, &a); err != nil {
		return Approval{}, err
	}
	if ActionHash(a.Action) != a.ArgsHash {
		return Approval{}, fmt.Errorf("%w: %s: action does not match args_hash", ErrCorrupt, key)
	}
	return a, nil
}

// Approval returns approval id as of now: a pending approval past its
// ExpiresAt reads as expired (fail closed). A missing one is ErrNotFound.
func (r *Registry) Approval(ctx context.Context, id string) (Approval, error) {
	a, _, _, err := r.readApproval(ctx, "read approval "+id, id)
	if err != nil {
		return Approval{}, err
	}
	return a.asOf(r.now()), nil
}

// readApproval returns the stored approval (not adjusted for expiry),
// its mod revision and the revision of the read.
func (r *Registry) readApproval(ctx context.Context, op, id string) (Approval, int64, int64, error) {
	if err := checkSegment("approval id", id); err != nil {
		return Approval{}, 0, 0, err
	}
	kv, rev, err := r.getOne(ctx, op, r.key(dirApprovals, id))
	if err != nil {
		return Approval{}, 0, 0, err
	}
	if kv == nil {
		return Approval{}, 0, rev, fmt.Errorf("%w: approval %s", ErrNotFound, id)
	}
	a, err := decodeApproval(kv.key, kv.value)
	return a, kv.modRev, rev, err
}

// Approvals lists approvals in creation order, as of now. An empty state
// lists all of them; otherwise only those in state (expiry computed on
// read). Records that do not decode are logged and skipped.
func (r *Registry) Approvals(ctx context.Context, state ApprovalState) ([]Approval, error) {
	kvs, _, err := r.getPrefix(ctx, "list approvals", dirApprovals)
	if err != nil {
		return nil, err
	}
	now := r.now()
	out := make([]Approval, 0, len(kvs))
	for _, kv := range kvs {
		a, err := decodeApproval(kv.key, kv.value)
		if err != nil {
			r.log.Error("undecodable approval skipped", "err", err)
			continue
		}
		if a = a.asOf(now); state == "" || a.State == state {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(x, y Approval) int { return x.CreatedAt.Compare(y.CreatedAt) })
	return out, nil
}
