package registry

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestActionHashDomainSeparated(t *testing.T) {
	action := []byte(`{"tool":"x"}`)
	plain := sha256.Sum256(action)
	sep := sha256.Sum256(append([]byte("maso.action.v1\n"), action...))
	got := ActionHash(action)
	if got != hex.EncodeToString(sep[:]) {
		t.Fatalf("ActionHash = %s, want sha256(domain || action)", got)
	}
	if got == hex.EncodeToString(plain[:]) {
		t.Fatal("ActionHash is not domain-separated")
	}
}

func TestCheckSegment(t *testing.T) {
	for _, s := range []string{"node-1", "a.b_c", "01a2000f-e9ec-749a"} {
		if err := checkSegment("x", s); err != nil {
			t.Errorf("checkSegment(%q) = %v", s, err)
		}
	}
	for _, s := range []string{"", "a/b", "a b", "tab\t", "nl\n", strings.Repeat("a", 254)} {
		if err := checkSegment("x", s); !errors.Is(err, ErrInvalid) {
			t.Errorf("checkSegment(%q) = %v, want ErrInvalid", s, err)
		}
	}
}

func TestNormalizeSerial(t *testing.T) {
	good := map[string]string{"0A:0b": "0a:0b", " ff ": "ff", "-01": "-01"}
	for in, want := range good {
		if got, err := normalizeSerial(in); err != nil || got != want {
			t.Errorf("normalizeSerial(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "a", "0g", "0a:", "0a::0b", "0a/0b"} {
		if _, err := normalizeSerial(in); !errors.Is(err, ErrInvalid) {
			t.Errorf("normalizeSerial(%q) = %v, want ErrInvalid", in, err)
		}
	}
}

func TestBackoffCapped(t *testing.T) {
	b := newBackoff()
	prev := time.Duration(0)
	for i := range 20 {
		d := b.next()
		if d < watchBackoffMin || d > watchBackoffMax+watchBackoffMax/5 {
			t.Fatalf("step %d: %s outside [%s, %s+20%%]", i, d, watchBackoffMin, watchBackoffMax)
		}
		if i < 3 && d <= prev-prev/5 {
			t.Fatalf("step %d: %s does not grow from %s", i, d, prev)
		}
		prev = d
	}
	b.reset()
	if d := b.next(); d > watchBackoffMin+watchBackoffMin/5 {
		t.Fatalf("after reset: %s", d)
	}
}

func TestIsUnavailable(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{context.DeadlineExceeded, true},
		{fmt.Errorf("wrapped: %w", context.DeadlineExceeded), true},
		{rpctypes.ErrNoLeader, true},
		{rpctypes.ErrTimeout, true},
		{rpctypes.ErrTimeoutDueToLeaderFail, true},
		{status.Error(codes.Unavailable, "connection refused"), true},
		{status.Error(codes.Unknown, "context deadline exceeded"), true},
		{status.Error(codes.Unknown, "something else"), false},
		{rpctypes.ErrLeaseNotFound, false},
		{rpctypes.ErrCompacted, false},
		{context.Canceled, false},
		{errors.New("boom"), false},
	}
	for _, c := range cases {
		if got := isUnavailable(c.err); got != c.want {
			t.Errorf("isUnavailable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestFailClassifies(t *testing.T) {
	r := &Registry{opTimeout: time.Second}
	expired, cancel := context.WithTimeout(context.Background(), -time.Second)
	defer cancel()
	live := context.Background()
	// A deadline on the op context means unavailable, whatever the wire
	// error says.
	err := r.fail(live, expired, "create approval refused", status.Error(codes.Unknown, "context deadline exceeded"))
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "create approval refused") {
		t.Fatalf("fail = %v", err)
	}
	gone, stop := context.WithCancel(context.Background())
	stop()
	if err := r.fail(gone, gone, "x", context.Canceled); errors.Is(err, ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Fatalf("caller cancel = %v, want context.Canceled, not ErrUnavailable", err)
	}
	if err := r.fail(live, live, "x", rpctypes.ErrLeaseNotFound); errors.Is(err, ErrUnavailable) {
		t.Fatalf("lease not found classified unavailable: %v", err)
	}
}

func TestConfigDefaults(t *testing.T) {
	c := DefaultConfig("http://127.0.0.1:2379")
	if c.DialTimeout != 5*time.Second || c.OpTimeout != 3*time.Second || c.Prefix != "/maso/" || c.Logger == nil || c.Clock == nil {
		t.Fatalf("defaults = %+v", c)
	}
	if got := (Config{Prefix: "/x"}).withDefaults().Prefix; got != "/x/" {
		t.Fatalf("prefix = %q, want a trailing slash added", got)
	}
	if err := (Config{}).Validate(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Validate(no endpoints) = %v", err)
	}
}

func TestZapToSlog(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	z := newZapLogger(l, "etcd").With(zap.String("member", "m1"))
	z.Info("chatty", zap.Int("n", 3))
	z.Warn("lease lost", zap.Error(errors.New("no leader")))
	var lines []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 {
		t.Fatalf("%d records, want 2: %s", len(lines), buf.Bytes())
	}
	if lines[0]["level"] != "DEBUG" || lines[0]["n"] != float64(3) || lines[0]["member"] != "m1" || lines[0]["component"] != "etcd" {
		t.Errorf("info record = %v", lines[0])
	}
	if lines[1]["level"] != "WARN" || lines[1]["error"] != "no leader" {
		t.Errorf("warn record = %v", lines[1])
	}
	quiet := newZapLogger(slog.New(slog.NewJSONHandler(&buf, nil)), "etcd")
	if quiet.Core().Enabled(zap.InfoLevel) {
		t.Error("etcd info enabled on an info-level slog handler; it should map to debug")
	}
}

func TestApprovalAsOf(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := Approval{State: ApprovalPending, ExpiresAt: now.Add(time.Second)}
	if a.asOf(now).State != ApprovalPending || !a.pendingAt(now) {
		t.Fatal("pending before expiry")
	}
	if a.asOf(now.Add(time.Second)).State != ApprovalExpired || a.pendingAt(now.Add(time.Second)) {
		t.Fatal("not expired at ExpiresAt")
	}
	a.State = ApprovalApproved
	if a.asOf(now.Add(time.Hour)).State != ApprovalApproved {
		t.Fatal("a decided approval changed state on expiry")
	}
}

func TestEncodeJSONKeepsRawBytes(t *testing.T) {
	action := json.RawMessage(`{"note":"<a> & b"}`)
	out, err := encodeJSON(struct {
		A json.RawMessage `json:"a"`
	}{action})
	if err != nil || !bytes.Contains(out, action) {
		t.Fatalf("encodeJSON = %s, %v; want the raw action unchanged", out, err)
	}
}
