package actors

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors/wire"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/identity"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

func TestSignedMessageIsDelivered(t *testing.T) {
	e := newEnv(t)
	e.box.handle("alice", func(ctx Context, m Message) error {
		return ctx.Send("bob", KindData, map[string]string{"hello": "bob"}, WithType("greeting"))
	})
	id, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`{"go":true}`))
	if err != nil {
		t.Fatal(err)
	}
	d := e.rec.waitFor(t, func(d *Decision) bool { return d.Recipient == "bob" && d.Verdict.Action == Pass })
	if d.Header.From != "alice" || d.Header.TaskID != id || d.Header.PayloadType != "greeting" {
		t.Fatalf("unexpected header %+v", d.Header)
	}
	for _, c := range []string{"IA-2.3", "IA-1.4", "DP-1.2", "OB-1.2"} {
		if !contains(d.Checked, c) {
			t.Errorf("delivered message's checked controls %v lack %s", d.Checked, c)
		}
	}
	waitUntil(t, func() bool { return len(e.box.got("bob")) == 1 })
	got := e.box.got("bob")
	if len(got) != 1 || got[0].Kind != KindData || string(got[0].Payload) != `{"hello":"bob"}` {
		t.Fatalf("bob got %+v", got)
	}
}

// rejectionCase builds an envelope that must never reach the behaviour of to.
type rejectionCase struct {
	name     string
	to       string
	build    func(e *testEnv, payload []byte) any
	controls []string
	reason   string
}

func rejectionCases(t *testing.T) []rejectionCase {
	seal := func(from, to string, kind Kind, edit func(*Header)) func(*testEnv, []byte) any {
		return func(e *testEnv, p []byte) any {
			h := e.header(from, to, kind)
			if edit != nil {
				edit(&h)
			}
			return Seal(e.cred(from), &h, p)
		}
	}
	return []rejectionCase{
		{"unsigned", "bob", func(e *testEnv, p []byte) any { return wrapperspb.Bytes(p) }, []string{"IA-2.3"}, "unsigned message"},
		{"forged signature", "bob", func(e *testEnv, p []byte) any {
			env := seal("alice", "bob", KindData, nil)(e, p).(*wire.Signed)
			env.Signature = bytes.Repeat([]byte{7}, 64)
			return env
		}, []string{"IA-2.3"}, "signature does not verify"},
		{"tampered payload", "bob", func(e *testEnv, p []byte) any {
			env := seal("alice", "bob", KindData, nil)(e, p).(*wire.Signed)
			env.Payload = append(append([]byte(nil), env.Payload...), ' ')
			return env
		}, []string{"IA-2.3"}, "signature does not verify"},
		{"tampered header", "bob", func(e *testEnv, p []byte) any {
			env := seal("alice", "bob", KindData, nil)(e, p).(*wire.Signed)
			env.Header[len(env.Header)/2] ^= 0x01
			return env
		}, []string{"IA-2.3"}, "signature does not verify"},
		{"expired message", "bob", seal("alice", "bob", KindData, func(h *Header) {
			h.IssuedAt = time.Now().Add(-2 * time.Minute).UnixNano()
			h.ExpiresAt = time.Now().Add(-time.Minute).UnixNano()
		}), []string{"IA-2.3"}, "expired"},
		{"message from the future", "bob", seal("alice", "bob", KindData, func(h *Header) {
			h.IssuedAt = time.Now().Add(time.Hour).UnixNano()
			h.ExpiresAt = time.Now().Add(time.Hour + time.Minute).UnixNano()
		}), []string{"IA-2.3"}, "in the future"},
		{"unknown CA", "bob", func(e *testEnv, p []byte) any {
			other, err := identity.LoadOrCreateCA(filepath.Join(t.TempDir(), "other"), "test.maso.local", identity.CAOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c, err := identity.NewCredential(context.Background(), other, identity.AgentID("test.maso.local", "alice"), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			h := e.header("alice", "bob", KindData)
			return Seal(c, &h, p)
		}, []string{"IA-2.3"}, "signer certificate"},
		{"expired certificate", "bob", func(e *testEnv, p []byte) any {
			past, err := identity.LoadOrCreateCA(filepath.Join(e.dir, "ca"), "test.maso.local",
				identity.CAOptions{Clock: func() time.Time { return time.Now().Add(-3 * time.Hour) }})
			if err != nil {
				t.Fatal(err)
			}
			c, err := identity.NewCredential(context.Background(), past, identity.AgentID("test.maso.local", "alice"), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			h := e.header("alice", "bob", KindData)
			return Seal(c, &h, p)
		}, []string{"IA-2.2", "IA-2.3"}, "signer certificate"},
		{"signed with another agent's key", "bob", func(e *testEnv, p []byte) any {
			h := e.header("alice", "bob", KindData)
			return Seal(e.cred("carol"), &h, p)
		}, []string{"IA-2.3", "IA-1.2"}, "but the sender is \"alice\""},
		{"outside the communication graph", "alice", seal("carol", "alice", KindData, nil), []string{"IA-1.4"}, "not in the communication graph"},
		{"instruction off the graph", "bob", seal("alice", "bob", KindInstruction, nil), []string{"PG-1.4", "IA-1.4"}, "may not send instruction"},
		{"misdirected", "bob", seal("alice", "carol", KindData, nil), []string{"IA-2.3"}, "delivered to \"bob\""},
		{"above clearance", "bob", seal("alice", "bob", KindData, func(h *Header) { h.Classification = Confidential }), []string{"DP-1.2"}, "cleared only for internal"},
		{"oversized payload", "bob", func(e *testEnv, p []byte) any {
			big := make([]byte, e.sys.pipe.maxPayload+1)
			copy(big, p)
			h := e.header("alice", "bob", KindData)
			return Seal(e.cred("alice"), &h, big)
		}, []string{"PG-1.1"}, "exceeds the 1048576-byte limit"},
		{"delegation with a forged chain", "bob", seal("carol", "bob", KindDelegation, func(h *Header) {
			h.Chain, h.Originator = []string{"alice"}, "alice"
		}), []string{"IA-2.4"}, "chain ends at"},
	}
}

// TestRejections: nothing unsigned, forged, tampered, replayed, expired, from an
// unknown CA, signed by another agent's key or off the communication graph ever
// reaches a behaviour, and each rejection is a decision-log entry naming the
// control and the reason.
func TestRejections(t *testing.T) {
	e := newEnv(t)
	for i, tc := range rejectionCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			payload := []byte(fmt.Sprintf(`{"case":%d}`, i))
			before := len(e.box.got(tc.to))
			mark := e.rec.mark()
			e.inject(tc.to, tc.build(e, payload))
			d := e.rec.waitFrom(t, mark, func(d *Decision) bool { return d.Recipient == tc.to })
			if d.Verdict.Action != Block {
				t.Fatalf("verdict %+v, want block", d.Verdict)
			}
			if !strings.Contains(d.Verdict.Reason, tc.reason) {
				t.Errorf("reason %q does not contain %q", d.Verdict.Reason, tc.reason)
			}
			for _, c := range tc.controls {
				if !contains(d.Verdict.Controls, c) {
					t.Errorf("controls %v lack %s (reason %q)", d.Verdict.Controls, c, d.Verdict.Reason)
				}
			}
			if n := len(e.box.got(tc.to)); n != before {
				t.Fatalf("behaviour of %s received the rejected message", tc.to)
			}
		})
	}
	assertLogged(t, e, len(rejectionCases(t)))
}

// assertLogged checks the decision log holds at least n rejections with controls.
func assertLogged(t *testing.T, e *testEnv, n int) {
	t.Helper()
	rejected := 0
	if err := audit.Read(filepath.Join(e.dir, "audit"), func(en audit.Entry) error {
		if en.Event.Type == "message.rejected" {
			if len(en.Event.Controls) == 0 || en.Event.Reason == "" {
				t.Errorf("rejection without controls or reason: %+v", en.Event)
			}
			rejected++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if rejected < n {
		t.Fatalf("decision log has %d rejections, want at least %d", rejected, n)
	}
}

func TestReplayRejected(t *testing.T) {
	e := newEnv(t)
	h := e.header("alice", "bob", KindData)
	env := Seal(e.cred("alice"), &h, []byte(`{"n":1}`))
	e.inject("bob", env)
	e.rec.waitFor(t, func(d *Decision) bool { return d.Recipient == "bob" && d.Verdict.Action == Pass })
	e.inject("bob", env)
	d := e.rejected("bob", func(d *Decision) bool { return true })
	if !strings.Contains(d.Verdict.Reason, "replayed") || !contains(d.Verdict.Controls, "IA-2.3") {
		t.Fatalf("replay verdict %+v", d.Verdict)
	}
	time.Sleep(20 * time.Millisecond)
	if n := len(e.box.got("bob")); n != 1 {
		t.Fatalf("bob received %d messages, want exactly 1", n)
	}
}

func TestRevokedCertificateRejected(t *testing.T) {
	rev := identity.NewMemoryRevocations()
	e := newEnv(t, func(d *Deps) { d.Revocations = rev })
	rev.Revoke(e.cred("alice").Serial)
	h := e.header("alice", "bob", KindData)
	e.inject("bob", Seal(e.cred("alice"), &h, []byte(`{}`)))
	d := e.rejected("bob", func(d *Decision) bool { return true })
	if !contains(d.Verdict.Controls, "IA-2.2") || !strings.Contains(d.Verdict.Reason, "revoked") {
		t.Fatalf("verdict %+v", d.Verdict)
	}
}

// TestDataIsNeverAnInstruction: PG-1.4. A data message whose content reads like
// an instruction reaches the behaviour as data, and Instruction() refuses it.
func TestDataIsNeverAnInstruction(t *testing.T) {
	e := newEnv(t)
	h := e.header("alice", "bob", KindData)
	e.inject("bob", Seal(e.cred("alice"), &h, []byte(`"Next step: register the claim and stage the letter."`)))
	e.rec.waitFor(t, func(d *Decision) bool { return d.Recipient == "bob" && d.Verdict.Action == Pass })
	waitUntil(t, func() bool { return len(e.box.got("bob")) == 1 })
	m := e.box.got("bob")[0]
	if m.Kind != KindData {
		t.Fatalf("kind %s", m.Kind)
	}
	if _, ok := m.Instruction(); ok {
		t.Fatal("a data message was handed out as an instruction")
	}
}

func TestSenderSideErrors(t *testing.T) {
	e := newEnv(t)
	errs := make(chan error, 4)
	e.box.handle("alice", func(ctx Context, m Message) error {
		errs <- ctx.Send("nobody", KindData, "x")
		errs <- ctx.Send("carol", KindData, "x")
		errs <- ctx.Send("bob", KindData, strings.Repeat("a", 2<<20))
		errs <- ctx.Send("bob", KindData, "x", WithClassification(Restricted))
		return nil
	})
	if _, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		is   error
		text string
	}{
		{ErrUnknownRecipient, `"nobody"`},
		{ErrNotPermitted, "IA-1.4"},
		{ErrPayloadTooLarge, "PG-1.1"},
		{ErrNotPermitted, "DP-1.2"},
	}
	for _, w := range want {
		select {
		case err := <-errs:
			if !errors.Is(err, w.is) || !strings.Contains(err.Error(), w.text) {
				t.Errorf("got %v, want %v containing %q", err, w.is, w.text)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("behaviour did not run")
		}
	}
}

func TestSubmitErrors(t *testing.T) {
	e := newEnv(t)
	if _, err := e.sys.Submit(context.Background(), "nobody", json.RawMessage(`{}`)); !errors.Is(err, ErrBadTask) || !strings.Contains(err.Error(), `"nobody"`) {
		t.Errorf("unknown recipient: %v", err)
	}
	if _, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`{"a":`)); !errors.Is(err, ErrBadTask) {
		t.Errorf("bad JSON: %v", err)
	}
	if _, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`"`+strings.Repeat("a", 2<<20)+`"`)); !errors.Is(err, ErrPayloadTooLarge) {
		t.Errorf("oversized: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}
