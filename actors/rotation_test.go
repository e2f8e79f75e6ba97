package actors

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/identity"
)

// flakyIssuer is the real CA behind a switch, to take the issuer away (an
// outage) and bring it back.
type flakyIssuer struct {
	ca   identity.Issuer
	down atomic.Bool
	n    atomic.Int64
}

func (f *flakyIssuer) Issue(ctx context.Context, req identity.IssueRequest) (*identity.Issued, error) {
	if f.down.Load() {
		return nil, errors.New("issuer unavailable")
	}
	f.n.Add(1)
	return f.ca.Issue(ctx, req)
}

// shortLived sets every agent's certificate lifetime and fast retries.
func shortLived(ttl time.Duration, iss *flakyIssuer) func(*Deps) {
	return func(d *Deps) {
		iss.ca = d.Issuer
		d.Issuer = iss
		d.RetryInitial, d.RetryMax = 20*time.Millisecond, 100*time.Millisecond
	}
}

func withTTL(t *testing.T, e *testEnv, ttl time.Duration) {
	t.Helper()
	for i := range e.sys.cfg.Agents {
		e.sys.cfg.Agents[i].CertTTL = config.Duration{Duration: ttl}
	}
	for i := range e.sys.defs {
		e.sys.defs[i].CertTTL = ttl
	}
	for _, d := range e.sys.defs {
		if err := e.sys.Reissue(context.Background(), d.Name); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRotationUnderTraffic: certificates with a 3-second life rotate at least
// three times while alice sends to bob continuously; not one message is
// rejected or lost, because the old certificate stays valid until it expires.
func TestRotationUnderTraffic(t *testing.T) {
	iss := &flakyIssuer{}
	e := newEnv(t, shortLived(3*time.Second, iss))
	withTTL(t, e, 3*time.Second)
	first := e.cred("alice").Serial
	serials := map[string]bool{first: true}
	alice := e.sys.principals["alice"]
	sent := 0
	deadline := time.Now().Add(8 * time.Second)
	for time.Now().Before(deadline) {
		o := &outbound{from: alice, to: "bob", kind: KindData, payload: []byte(`{"n":1}`)}
		if err := e.sys.send(context.Background(), o, nil); err != nil {
			t.Fatalf("send %d: %v", sent, err)
		}
		sent++
		serials[e.cred("alice").Serial] = true
		time.Sleep(5 * time.Millisecond)
	}
	waitUntil(t, func() bool { return len(e.box.got("bob")) == sent })
	if len(serials) < 4 {
		t.Fatalf("alice's certificate rotated %d times in 8s, want at least 3", len(serials)-1)
	}
	e.rec.mu.Lock()
	defer e.rec.mu.Unlock()
	for _, d := range e.rec.decisions {
		if d.Verdict.Action != Pass {
			t.Fatalf("rejected during rotation: %+v", d.Verdict)
		}
	}
	t.Logf("%d messages, %d certificates, 0 rejected", sent, len(serials))
}

// TestExpiredCredentialLosesAccess is the Tier 2 "credential expiry test":
// the issuer is down, alice's certificate expires, and at once she can
// neither send nor call tools, is paused, and a message signed with the
// expired certificate is refused by its receiver. When the issuer returns
// she gets a fresh certificate and resumes.
func TestExpiredCredentialLosesAccess(t *testing.T) {
	iss := &flakyIssuer{}
	e := newEnv(t, shortLived(2*time.Second, iss))
	withTTL(t, e, 2*time.Second)
	old := e.cred("alice")
	iss.down.Store(true)
	waitUntil(t, func() bool { return time.Now().After(old.NotAfter()) })
	alice := e.sys.principals["alice"]
	err := e.sys.send(context.Background(), &outbound{from: alice, to: "bob", kind: KindData, payload: []byte(`{}`)}, nil)
	if !errors.Is(err, ErrNoCredential) || !strings.Contains(err.Error(), "IA-2.2") {
		t.Fatalf("send with an expired certificate: %v", err)
	}
	if _, err := e.sys.tools.call(context.Background(), "alice", Task{}, "read_x", nil); !errors.Is(err, ErrToolDenied) || !strings.Contains(err.Error(), "IA-2.2") {
		t.Fatalf("tool call with an expired certificate: %v", err)
	}
	waitUntil(t, func() bool { return e.sys.StateOf("alice") == StatePaused })
	h := e.header("alice", "bob", KindData)
	mark := e.rec.mark()
	e.inject("bob", Seal(old, &h, []byte(`{}`)))
	d := e.rec.waitFrom(t, mark, func(d *Decision) bool { return d.Recipient == "bob" })
	if d.Verdict.Action != Block || !contains(d.Verdict.Controls, "IA-2.2") {
		t.Fatalf("receiver verdict on an expired certificate: %+v", d.Verdict)
	}
	iss.down.Store(false)
	waitUntil(t, func() bool { return e.sys.StateOf("alice") == StateActive })
	if e.cred("alice").Serial == old.Serial {
		t.Fatal("resumed without a fresh certificate")
	}
	if err := e.sys.send(context.Background(), &outbound{from: alice, to: "bob", kind: KindData, payload: []byte(`{}`)}, nil); err != nil {
		t.Fatalf("send after renewal: %v", err)
	}
}
