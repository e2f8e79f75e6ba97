package registry_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/maso-runtime/maso/registry"
)

// fakeClock is a settable clock for expiry tests.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

const testAction = `{"tool":"claims.write","args":{"claim":"C-1","amount":1200,"note":"<ok> & done"}}`

func newApproval(ttl time.Duration, now time.Time) registry.Approval {
	return registry.Approval{
		TaskID:    "task-1",
		Agent:     "alpha",
		Tool:      "claims.write",
		Action:    []byte(testAction),
		ArgsHash:  registry.ActionHash([]byte(testAction)),
		ExpiresAt: now.Add(ttl),
	}
}

func testApprovals(t *testing.T, eps []string) {
	ctx := ctxT(t, 20*time.Second)
	r := connect(t, eps)
	a, err := r.CreateApproval(ctx, newApproval(time.Minute, time.Now()))
	must(t, err)
	if id, err := uuid.Parse(a.ID); err != nil || id.Version() != 7 {
		t.Fatalf("approval ID %q is not a UUIDv7: %v", a.ID, err)
	}
	if a.State != registry.ApprovalPending || a.CreatedAt.IsZero() {
		t.Fatalf("created approval = %+v", a)
	}
	got, err := r.Approval(ctx, a.ID)
	if err != nil || string(got.Action) != testAction || got.ArgsHash != a.ArgsHash {
		t.Fatalf("Approval = %+v, %v; want the exact action back", got, err)
	}
	b, err := r.CreateApproval(ctx, newApproval(time.Minute, time.Now()))
	must(t, err)
	pending, err := r.Approvals(ctx, registry.ApprovalPending)
	if err != nil || len(pending) != 2 || pending[0].ID != a.ID || pending[1].ID != b.ID {
		t.Fatalf("pending = %+v, %v; want [a b]", pending, err)
	}

	dec, err := r.Decide(ctx, a.ID, true, "supervisor-1", "checked")
	if err != nil || dec.State != registry.ApprovalApproved || dec.DecidedBy != "supervisor-1" || dec.DecidedAt.IsZero() {
		t.Fatalf("approve = %+v, %v", dec, err)
	}
	if _, err := r.Decide(ctx, a.ID, false, "supervisor-2", "late"); !errors.Is(err, registry.ErrAlreadyDecided) {
		t.Fatalf("second decision: %v, want ErrAlreadyDecided", err)
	}
	if dec, err := r.Decide(ctx, b.ID, false, "supervisor-1", "wrong claim"); err != nil || dec.State != registry.ApprovalDenied {
		t.Fatalf("deny = %+v, %v", dec, err)
	}
	if _, err := r.Decide(ctx, "no-such-id", true, "s", ""); !errors.Is(err, registry.ErrNotFound) {
		t.Fatalf("decide unknown: %v, want ErrNotFound", err)
	}
	if _, err := r.Approval(ctx, "no-such-id"); !errors.Is(err, registry.ErrNotFound) {
		t.Fatalf("read unknown: %v, want ErrNotFound", err)
	}
	if p, _ := r.Approvals(ctx, registry.ApprovalPending); len(p) != 0 {
		t.Fatalf("pending after decisions = %+v", p)
	}
	if all, _ := r.Approvals(ctx, ""); len(all) != 2 {
		t.Fatalf("all approvals = %d, want 2", len(all))
	}
	dup := newApproval(time.Minute, time.Now())
	dup.ID = a.ID
	if _, err := r.CreateApproval(ctx, dup); !errors.Is(err, registry.ErrConflict) {
		t.Fatalf("create with an existing ID: %v, want ErrConflict", err)
	}
	testApprovalRefusals(ctx, t, r)
}

func testApprovalRefusals(ctx context.Context, t *testing.T, r *registry.Registry) {
	bad := newApproval(time.Minute, time.Now())
	bad.ArgsHash = registry.ActionHash([]byte(`{"tool":"claims.write","args":{"claim":"C-2"}}`))
	if _, err := r.CreateApproval(ctx, bad); !errors.Is(err, registry.ErrInvalid) || !strings.Contains(err.Error(), "args_hash") {
		t.Fatalf("ArgsHash mismatch: %v, want ErrInvalid about args_hash", err)
	}
	loose := newApproval(time.Minute, time.Now())
	loose.Action = []byte(`{ "tool": "x" }`)
	loose.ArgsHash = registry.ActionHash(loose.Action)
	if _, err := r.CreateApproval(ctx, loose); !errors.Is(err, registry.ErrInvalid) {
		t.Fatalf("non-compact action: %v, want ErrInvalid", err)
	}
	if _, err := r.CreateApproval(ctx, newApproval(-time.Second, time.Now())); !errors.Is(err, registry.ErrInvalid) {
		t.Fatalf("already-expired approval: %v, want ErrInvalid", err)
	}
}

// testApprovalExpiry drives expiry with an injected clock.
func testApprovalExpiry(t *testing.T, eps []string) {
	ctx := ctxT(t, 20*time.Second)
	clock := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	r := connect(t, eps, func(c *registry.Config) { c.Clock = clock.Now })
	a, err := r.CreateApproval(ctx, newApproval(time.Minute, clock.Now()))
	must(t, err)
	clock.Advance(59 * time.Second)
	if got, _ := r.Approval(ctx, a.ID); got.State != registry.ApprovalPending {
		t.Fatalf("state before expiry = %s", got.State)
	}
	clock.Advance(time.Second)
	if got, err := r.Approval(ctx, a.ID); err != nil || got.State != registry.ApprovalExpired {
		t.Fatalf("state at expiry = %s, %v; want expired (fail closed)", got.State, err)
	}
	if ex, _ := r.Approvals(ctx, registry.ApprovalExpired); len(ex) != 1 {
		t.Fatalf("expired list = %+v", ex)
	}
	if p, _ := r.Approvals(ctx, registry.ApprovalPending); len(p) != 0 {
		t.Fatalf("pending list holds an expired approval: %+v", p)
	}
	dec, err := r.Decide(ctx, a.ID, true, "supervisor-1", "too late")
	if !errors.Is(err, registry.ErrExpired) || dec.State != registry.ApprovalExpired {
		t.Fatalf("decide after expiry = %+v, %v; want ErrExpired", dec, err)
	}
	raw, err := r.Client().Get(ctx, testPrefix(t)+"approvals/"+a.ID)
	if err != nil || len(raw.Kvs) != 1 || !strings.Contains(string(raw.Kvs[0].Value), `"state":"expired"`) {
		t.Fatalf("stored record after expired decision = %v, %v; want state expired", raw, err)
	}
	if _, err := r.Decide(ctx, a.ID, true, "supervisor-1", "again"); !errors.Is(err, registry.ErrExpired) {
		t.Fatalf("decide expired record: %v, want ErrExpired", err)
	}
}

func testAwaitDecision(t *testing.T, eps []string) {
	ctx := ctxT(t, 20*time.Second)
	r := connect(t, eps)
	a, err := r.CreateApproval(ctx, newApproval(time.Minute, time.Now()))
	must(t, err)
	done := make(chan registry.Approval, 1)
	go func() {
		got, err := r.Await(ctx, a.ID)
		if err != nil {
			t.Errorf("Await: %v", err)
		}
		done <- got
	}()
	time.Sleep(200 * time.Millisecond)
	select {
	case got := <-done:
		t.Fatalf("Await returned %+v before any decision", got)
	default:
	}
	_, err = r.Decide(ctx, a.ID, false, "supervisor-1", "no")
	must(t, err)
	select {
	case got := <-done:
		if got.State != registry.ApprovalDenied || got.DecidedBy != "supervisor-1" {
			t.Fatalf("Await = %+v, want denied by supervisor-1", got)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Await did not return within 2s of the decision")
	}
	cctx, cancel := context.WithCancel(ctx)
	b, err := r.CreateApproval(ctx, newApproval(time.Minute, time.Now()))
	must(t, err)
	time.AfterFunc(100*time.Millisecond, cancel)
	if _, err := r.Await(cctx, b.ID); !errors.Is(err, context.Canceled) {
		t.Fatalf("Await with a cancelled ctx: %v, want context.Canceled", err)
	}
}

func testAwaitExpiry(t *testing.T, eps []string) {
	ctx := ctxT(t, 20*time.Second)
	r := connect(t, eps)
	a, err := r.CreateApproval(ctx, newApproval(time.Second, time.Now()))
	must(t, err)
	start := time.Now()
	got, err := r.Await(ctx, a.ID)
	if err != nil || got.State != registry.ApprovalExpired {
		t.Fatalf("Await = %+v, %v; want expired", got, err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Await returned %s after a 1s expiry", d)
	}
}
