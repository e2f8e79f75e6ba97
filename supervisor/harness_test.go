package supervisor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
)

// paceYAML: front (the entry, and the contingency agent) records every task
// with a write tool and hands it to worker; worker looks it up (a read) and
// completes the task. A task with {"rogue":true} makes worker try a tool it
// does not hold: a guard block the circuit breaker counts.
const paceYAML = `
trust_domain: pace.maso.local
tools:
  - {name: lookup, effect: read}
  - {name: record, effect: write}
agents:
  - name: front
    behaviour: front
    tools: [record]
    talks_to: [{agent: worker, kinds: [claim]}]
  - name: worker
    behaviour: worker
    tools: [lookup]
    backup: {tools: [lookup]}
workflows:
  - {name: flow, entry: front, agents: [front, worker]}
  - {name: direct, entry: worker, agents: [worker]}
pace:
  contingency_agent: front
  approval_timeout: 20s
limits:
  rate_per_hour: 1000000   # the load tests run thousands of tasks
classification:
  rules:
    # front's records are pre-approved internal writes: auto in Primary
    # (the phase floors still make them wait for a human in A and C).
    - {name: records-preapproved, when: 'tool == "record"', decision: auto}
`

type fakeClock struct{ off atomic.Int64 }

func (c *fakeClock) Now() time.Time          { return time.Now().Add(time.Duration(c.off.Load())) }
func (c *fakeClock) Advance(d time.Duration) { c.off.Add(int64(d)) }

type hooks struct {
	mu     sync.Mutex
	events []supervisor.WebhookEvent
}

func (h *hooks) handler(w http.ResponseWriter, r *http.Request) {
	var ev supervisor.WebhookEvent
	_ = json.NewDecoder(r.Body).Decode(&ev)
	h.mu.Lock()
	h.events = append(h.events, ev)
	h.mu.Unlock()
}

func (h *hooks) got() []supervisor.WebhookEvent {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]supervisor.WebhookEvent(nil), h.events...)
}

type paceEnv struct {
	t     testing.TB
	n     *node.Node
	dir   string
	clock *fakeClock
	hooks *hooks
	comp  atomic.Int32
	opts  node.Options
}

func behaviours() map[string]actors.BehaviourFactory {
	front := func(ctx actors.Context, m actors.Message) error {
		if _, ok := m.Instruction(); !ok {
			return nil
		}
		if _, err := ctx.CallTool("record", m.Payload); err != nil {
			return err
		}
		return ctx.Send("worker", actors.KindClaim, json.RawMessage(m.Payload))
	}
	worker := func(ctx actors.Context, m actors.Message) error {
		var in struct{ Rogue bool }
		_ = m.Decode(&in)
		if in.Rogue {
			_, err := ctx.CallTool("record", m.Payload) // not in worker's scope: blocked (EC-1.2)
			return err
		}
		if _, err := ctx.CallTool("lookup", m.Payload); err != nil {
			return err
		}
		return ctx.Complete(map[string]string{"done_by": ctx.Self()})
	}
	wrap := func(f actors.BehaviourFunc) actors.BehaviourFactory {
		return func(actors.AgentSpec) (actors.Behaviour, error) { return f, nil }
	}
	return map[string]actors.BehaviourFactory{"front": wrap(front), "worker": wrap(worker)}
}

func tools() map[string]actors.ToolFunc {
	ok := func(ctx context.Context, c actors.ToolCall) (any, error) { return map[string]string{"ok": c.Tool}, nil }
	return map[string]actors.ToolFunc{"lookup": ok, "record": ok}
}

func quiet() *slog.Logger {
	if testing.Verbose() {
		return slog.Default()
	}
	return slog.New(slog.DiscardHandler)
}

// startPACE starts a node running paceYAML with a webhook receiver, a fast
// PACE tick and a movable PACE clock.
func startPACE(t testing.TB, edit ...func(*node.Options)) *paceEnv {
	t.Helper()
	e := &paceEnv{t: t, dir: t.TempDir(), clock: &fakeClock{}, hooks: &hooks{}}
	srv := httptest.NewServer(http.HandlerFunc(e.hooks.handler))
	t.Cleanup(srv.Close)
	cfg, err := config.Parse("pace.yaml", []byte(paceYAML))
	if err != nil {
		t.Fatal(err)
	}
	cfg.PACE.Webhook = srv.URL
	e.opts = node.Options{Config: cfg, DataDir: e.dir, Behaviours: behaviours(), Tools: tools(), Logger: quiet(),
		Telemetry: io.Discard, PACETick: 10 * time.Millisecond, PACEClock: e.clock.Now,
		Compensations: map[string]supervisor.Compensation{"undo-records": func(context.Context) (string, error) {
			e.comp.Add(1)
			return "records withdrawn", nil
		}}}
	for _, f := range edit {
		f(&e.opts)
	}
	e.start()
	return e
}

func (e *paceEnv) start() {
	e.t.Helper()
	n, err := node.Start(context.Background(), e.opts)
	if err != nil {
		e.t.Fatal(err)
	}
	e.n = n
	e.t.Cleanup(func() { _ = n.Stop(context.Background()) })
}

var (
	security = supervisor.Actor{Name: "sec-team", Role: supervisor.Security}
	ciso     = supervisor.Actor{Name: "the-ciso", Role: supervisor.CISO}
	operator = supervisor.Actor{Name: "op", Role: supervisor.Operator}
)

func (e *paceEnv) submit(to string, payload string) (string, error) {
	return e.n.Submit(context.Background(), to, json.RawMessage(payload))
}

func (e *paceEnv) wait(id string) actors.TaskView {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	v, err := e.n.Sys.WaitTask(ctx, id)
	if err != nil {
		e.t.Fatalf("task %s: %v (%+v)", id, err, v)
	}
	return v
}

func (e *paceEnv) waitPhase(p registry.Phase) registry.PhaseState {
	e.t.Helper()
	waitFor(e.t, fmt.Sprintf("phase %s", p), func() bool { return e.n.Control().Current().Phase == p })
	return e.n.Control().Current()
}

func (e *paceEnv) state(agent string) string {
	a, _ := e.n.Agent(agent)
	return a.State
}

// pending waits for one pending approval and returns it.
func (e *paceEnv) pending() registry.Approval {
	e.t.Helper()
	var got []registry.Approval
	waitFor(e.t, "a pending approval", func() bool {
		got, _ = e.n.Approvals(context.Background(), registry.ApprovalPending)
		return len(got) > 0
	})
	return got[0]
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func isForbidden(err error, role supervisor.Role) bool {
	var ae *supervisor.AuthorityError
	return errors.As(err, &ae) && ae.Required == role
}

var _ = bytes.NewReader
