package actors

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"math"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors/wire"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/identity"
)

const testYAML = `
trust_domain: test.maso.local
node: node-1
bus:
  message_ttl: 30s
tools:
  - name: read_x
    effect: read
  - name: write_y
    effect: write
agents:
  - name: alice
    role: a
    behaviour: recorder
    tools: [read_x, write_y]
    clearance: confidential
    talks_to:
      - agent: bob
        kinds: [data, claim, delegation]
  - name: bob
    role: b
    behaviour: recorder
    tools: [read_x, write_y]
    clearance: internal
    talks_to:
      - agent: alice
        kinds: [data]
  - name: carol
    role: c
    behaviour: recorder
    tools: [read_x]
    clearance: restricted
    talks_to:
      - agent: bob
        kinds: [delegation, data]
workflows:
  - name: wf
    entry: alice
    agents: [alice, bob, carol]
    timeout: 30s
`

// capture is a Recorder that writes the real decision log and also hands every
// decision to the test.
type capture struct {
	*LogRecorder
	mu        sync.Mutex
	decisions []Decision
	notify    chan struct{}
}

func (c *capture) Record(ctx context.Context, d *Decision) error {
	if err := c.LogRecorder.Record(ctx, d); err != nil {
		return err
	}
	c.mu.Lock()
	c.decisions = append(c.decisions, *d)
	c.mu.Unlock()
	select {
	case c.notify <- struct{}{}:
	default:
	}
	return nil
}

// mark returns the number of decisions so far, for waitFrom.
func (c *capture) mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.decisions)
}

// waitFor returns the first decision matching pred.
func (c *capture) waitFor(t testing.TB, pred func(*Decision) bool) Decision {
	t.Helper()
	return c.waitFrom(t, 0, pred)
}

// waitFrom returns the first decision at or after index from matching pred.
func (c *capture) waitFrom(t testing.TB, from int, pred func(*Decision) bool) Decision {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		c.mu.Lock()
		for i := from; i < len(c.decisions); i++ {
			if pred(&c.decisions[i]) {
				d := c.decisions[i]
				c.mu.Unlock()
				return d
			}
		}
		c.mu.Unlock()
		select {
		case <-c.notify:
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			t.Fatalf("no matching decision within 5s")
		}
	}
}

// inbox records what reaches each behaviour.
type inbox struct {
	mu   sync.Mutex
	msgs map[string][]Message
	on   map[string]func(Context, Message) error
}

func (b *inbox) factory(spec AgentSpec) (Behaviour, error) {
	return BehaviourFunc(func(ctx Context, m Message) error {
		b.mu.Lock()
		b.msgs[spec.Name] = append(b.msgs[spec.Name], m)
		f := b.on[spec.Name]
		b.mu.Unlock()
		if f != nil {
			return f(ctx, m)
		}
		return nil
	}), nil
}

func (b *inbox) got(name string) []Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Message(nil), b.msgs[name]...)
}

func (b *inbox) handle(name string, f func(Context, Message) error) {
	b.mu.Lock()
	b.on[name] = f
	b.mu.Unlock()
}

type testEnv struct {
	t     testing.TB
	sys   *System
	ca    *identity.BuiltinCA
	log   *audit.Log
	rec   *capture
	box   *inbox
	dir   string
	tools *toolLog
}

type toolLog struct {
	mu    sync.Mutex
	calls []ToolCall
}

func (l *toolLog) fn(ctx context.Context, c ToolCall) (any, error) {
	l.mu.Lock()
	l.calls = append(l.calls, c)
	l.mu.Unlock()
	return map[string]string{"tool": c.Tool, "agent": c.Agent}, nil
}

func (l *toolLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.calls)
}

// newEnv starts a full system (real CA, real decision log) from testYAML.
func newEnv(t testing.TB, edit ...func(*Deps)) *testEnv {
	t.Helper()
	cfg, err := config.Parse("test.yaml", []byte(testYAML))
	if err != nil {
		t.Fatal(err)
	}
	return newEnvFrom(t, cfg, edit...)
}

// newEnvFrom starts a full system from cfg.
func newEnvFrom(t testing.TB, cfg *config.Config, edit ...func(*Deps)) *testEnv {
	t.Helper()
	e, deps := prepareEnv(t, cfg, edit...)
	sys, err := New(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	if err := sys.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.sys = sys
	t.Cleanup(func() { _ = sys.Stop(context.Background()) })
	return e
}

// prepareEnv builds the CA, decision log and deps of a test system.
func prepareEnv(t testing.TB, cfg *config.Config, edit ...func(*Deps)) (*testEnv, Deps) {
	t.Helper()
	dir := t.TempDir()
	ca, err := identity.LoadOrCreateCA(filepath.Join(dir, "ca"), cfg.TrustDomain, identity.CAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lg, err := audit.Open(filepath.Join(dir, "audit"), audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lg.Close() })
	tasks := NewTaskStore(0)
	e := &testEnv{t: t, ca: ca, log: lg, dir: dir, box: &inbox{msgs: map[string][]Message{}, on: map[string]func(Context, Message) error{}}, tools: &toolLog{}}
	e.rec = &capture{LogRecorder: &LogRecorder{Log: lg, Tasks: tasks, Node: cfg.Node}, notify: make(chan struct{}, 1)}
	deps := Deps{Issuer: ca, Bundle: identity.NewMemoryBundle(ca.Certificate()), Recorder: e.rec, Tasks: tasks,
		Behaviours: map[string]BehaviourFactory{"recorder": e.box.factory},
		Tools:      map[string]ToolFunc{"read_x": e.tools.fn, "write_y": e.tools.fn},
		Logger:     quietLogger()}
	for _, f := range edit {
		f(&deps)
	}
	return e, deps
}

// quietLogger discards logs unless the tests run with -v.
func quietLogger() *slog.Logger {
	if testing.Verbose() {
		return slog.Default()
	}
	return slog.New(slog.DiscardHandler)
}

// cred returns the live credential of a principal.
func (e *testEnv) cred(name string) *identity.Credential {
	c, ok := e.sys.Credential(name)
	if !ok {
		e.t.Fatalf("no credential for %s", name)
	}
	return c
}

// header returns a well-formed header from one principal to another.
func (e *testEnv) header(from, to string, kind Kind) Header {
	now := time.Now()
	return Header{ID: newID(), From: from, To: to, Kind: kind, Classification: Internal,
		Confidence: math.NaN(), IssuedAt: now.UnixNano(), ExpiresAt: now.Add(30 * time.Second).UnixNano(), Seq: 1}
}

// inject delivers env to the actor named to, bypassing the sending side, as an
// attacker on the transport would.
func (e *testEnv) inject(to string, msg any) {
	pid, err := e.sys.dir.Lookup(to)
	if err != nil {
		e.t.Fatal(err)
	}
	e.sys.as.Root.Send(pid, msg)
}

func signRaw(key ed25519.PrivateKey, env *wire.Signed) {
	env.Signature = ed25519.Sign(key, pae(nil, env.Header, env.Payload))
}

// rejectedWith waits for the rejection of message id at recipient.
func (e *testEnv) rejected(recipient string, match func(*Decision) bool) Decision {
	return e.rec.waitFor(e.t, func(d *Decision) bool {
		return d.Recipient == recipient && d.Verdict.Action == Block && match(d)
	})
}
