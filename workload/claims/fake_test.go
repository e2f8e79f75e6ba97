package claims

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
)

// sentMsg is one message a behaviour sent through fakeCtx, with its options
// applied.
type sentMsg struct {
	To            string
	Kind          actors.Kind
	Payload       []byte
	Type          string
	Class         actors.Classification
	Prov          actors.Provenance
	Confidence    float64
	HasConfidence bool
}

// message turns a sent message into the message its recipient would see.
func (s sentMsg) message(from string) actors.Message {
	conf := math.NaN()
	if s.HasConfidence {
		conf = s.Confidence
	}
	return actors.Message{ID: "m-" + from, From: from, To: s.To, Kind: s.Kind, TaskID: "task-1",
		Classification: s.Class, Provenance: s.Prov, Confidence: conf, PayloadType: s.Type, Payload: s.Payload}
}

// fakeCtx is a test double of actors.Context: it records what a behaviour
// sends, the tools it calls and how it ends the task, and runs tool calls
// against the workload's tool implementations.
type fakeCtx struct {
	t         testing.TB
	self      string
	tools     map[string]actors.ToolFunc
	sent      []sentMsg
	calls     []string
	completed []map[string]any
	failed    []string
	logs      bytes.Buffer
	mem       fakeMemory
}

func newFakeCtx(t testing.TB, self string, w *Workload) *fakeCtx {
	return &fakeCtx{t: t, self: self, tools: w.Tools(), mem: fakeMemory{}}
}

func (f *fakeCtx) Self() string         { return f.self }
func (f *fakeCtx) Ctx() context.Context { return context.Background() }
func (f *fakeCtx) Task() actors.Task    { return actors.Task{ID: "task-1"} }
func (f *fakeCtx) Memory() actors.Memory {
	return f.mem
}

func (f *fakeCtx) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(&f.logs, nil)).With("agent", f.self)
}

func (f *fakeCtx) Send(to string, kind actors.Kind, payload any, opts ...actors.SendOption) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("fake send: %w", err)
	}
	m := sentMsg{To: to, Kind: kind, Payload: b}
	for _, o := range opts {
		applyOption(f.t, o, &m)
	}
	f.sent = append(f.sent, m)
	return nil
}

func (f *fakeCtx) Request(string, actors.Kind, any, time.Duration, ...actors.SendOption) (actors.Message, error) {
	return actors.Message{}, errors.New("fake: Request not supported")
}

func (f *fakeCtx) Reply(any, ...actors.SendOption) error {
	return errors.New("fake: Reply not supported")
}

func (f *fakeCtx) Delegate(string, any, ...actors.SendOption) error {
	return errors.New("fake: Delegate not supported")
}

func (f *fakeCtx) CallTool(name string, args any) (json.RawMessage, error) {
	f.calls = append(f.calls, name)
	tool, ok := f.tools[name]
	if !ok {
		return nil, fmt.Errorf("fake: unknown tool %q", name)
	}
	raw, err := json.Marshal(args)
	if err != nil {
		return nil, fmt.Errorf("fake: args: %w", err)
	}
	out, err := tool(context.Background(), actors.ToolCall{Agent: f.self, TaskID: "task-1", Tool: name, Args: raw})
	if err != nil {
		return nil, fmt.Errorf("fake: tool %s failed: %w", name, err)
	}
	return json.Marshal(out)
}

func (f *fakeCtx) Complete(result any) error {
	b, err := json.Marshal(result)
	if err != nil {
		return fmt.Errorf("fake complete: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("fake complete: %w", err)
	}
	f.completed = append(f.completed, m)
	return nil
}

func (f *fakeCtx) Fail(reason string) error {
	f.failed = append(f.failed, reason)
	return nil
}

// applyOption applies a send option to a fresh option set of the SDK and
// reads the result back by field type: the payload type is its only string,
// the confidence its only float64, and classification and provenance have
// their own types. The test fails if that shape changes.
func applyOption(t testing.TB, o actors.SendOption, m *sentMsg) {
	t.Helper()
	fn := reflect.ValueOf(o)
	opts := reflect.New(fn.Type().In(0).Elem())
	fn.Call([]reflect.Value{opts})
	v := opts.Elem()
	found := map[string]int{}
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Type() == reflect.TypeFor[actors.Classification]():
			found["class"]++
			if c := actors.Classification(f.Uint()); c != 0 {
				m.Class = c
			}
		case f.Type() == reflect.TypeFor[actors.Provenance]():
			found["prov"]++
			if src := f.Field(0).String(); src != "" {
				m.Prov = actors.Provenance{Source: src, Verified: f.Field(1).Bool()}
			}
		case f.Kind() == reflect.String:
			found["type"]++
			if s := f.String(); s != "" {
				m.Type = s
			}
		case f.Kind() == reflect.Float64:
			found["conf"]++
			m.Confidence = max(m.Confidence, f.Float())
		case f.Kind() == reflect.Bool:
			found["hasconf"]++
			m.HasConfidence = m.HasConfidence || f.Bool()
		}
	}
	for _, k := range []string{"class", "prov", "type", "conf", "hasconf"} {
		if found[k] != 1 {
			t.Fatalf("actors send options changed shape: %d fields for %s", found[k], k)
		}
	}
}

// fakeMemory is a map-backed actors.Memory.
type fakeMemory map[string][]byte

func (m fakeMemory) Get(k string) ([]byte, bool) { v, ok := m[k]; return v, ok }
func (m fakeMemory) Put(k string, v []byte)      { m[k] = v }
func (m fakeMemory) Delete(k string)             { delete(m, k) }
func (m fakeMemory) Keys() []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// agentTools are the tools each behaviour is granted in claims.yaml.
var agentTools = map[string][]string{
	BehaviourIntake:        {ToolRegisterClaim},
	BehaviourAnalysis:      {ToolLookupPolicy, ToolRecordAssessment},
	BehaviourCommunication: {ToolStageLetter, ToolSendLetter},
}

// build makes the behaviour registered under name, granted its tools.
func build(t testing.TB, w *Workload, name string) actors.Behaviour {
	t.Helper()
	b, err := w.Behaviours()[name](actors.AgentSpec{Name: name, Tools: agentTools[name]})
	if err != nil {
		t.Fatalf("build %s: %v", name, err)
	}
	return b
}

// instruction is the task instruction the orchestrator sends the entry agent.
func instruction(t testing.TB, payload any) actors.Message {
	t.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return actors.Message{ID: "m-0", From: "orchestrator", To: "intake", Kind: actors.KindInstruction,
		TaskID: "task-1", Classification: actors.Internal, Confidence: math.NaN(), PayloadType: "maso.task", Payload: b}
}

// runPipeline runs a claim through intake, analysis and communication and
// returns the task result.
func runPipeline(t testing.TB, w *Workload, c Claim) map[string]any {
	t.Helper()
	msg := instruction(t, c)
	for _, name := range []string{BehaviourIntake, BehaviourAnalysis, BehaviourCommunication} {
		ctx := newFakeCtx(t, name, w)
		if err := build(t, w, name).Receive(ctx, msg); err != nil {
			t.Fatalf("%s: %v (claim %+v)", name, err, c)
		}
		if name == BehaviourCommunication {
			if len(ctx.completed) != 1 {
				t.Fatalf("communication completed %d times", len(ctx.completed))
			}
			return ctx.completed[0]
		}
		if len(ctx.sent) != 1 {
			t.Fatalf("%s sent %d messages, want 1", name, len(ctx.sent))
		}
		msg = ctx.sent[0].message(name)
	}
	return nil
}

// validClaim is a valid auto claim on an active policy that covers it.
func validClaim() Claim {
	return Claim{Claimant: "Alice Moreau", Email: "alice.moreau@example.com", PolicyNumber: "POL-100001",
		Type: TypeAuto, Description: "Rear-ended at a junction.", AmountClaimed: 3200, IncidentDate: "2025-03-14"}
}

// Knowledge: the claims behaviours keep no knowledge store.
func (f *fakeCtx) Knowledge() actors.Knowledge { return nil }
