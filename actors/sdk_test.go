package actors

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestDelegationIntersection: IA-2.4. carol holds read_x only; bob holds read_x
// and write_y. Work carol delegates to bob may use read_x but not write_y, even
// though bob could use write_y on his own.
func TestDelegationIntersection(t *testing.T) {
	e := newEnv(t)
	type result struct {
		read, write error
		task        Task
	}
	done := make(chan result, 1)
	e.box.handle("bob", func(ctx Context, m Message) error {
		if m.Kind != KindDelegation {
			return nil
		}
		_, r := ctx.CallTool("read_x", map[string]int{"n": 1})
		_, w := ctx.CallTool("write_y", map[string]int{"n": 2})
		done <- result{r, w, ctx.Task()}
		return nil
	})
	e.box.handle("carol", func(ctx Context, m Message) error {
		return ctx.Delegate("bob", map[string]string{"do": "work"})
	})
	h := e.header(Orchestrator, "carol", KindInstruction)
	h.TaskID = "t-1"
	e.sys.graph.allow(Orchestrator, "carol", KindInstruction) // carol is not an entry agent in testYAML
	e.inject("carol", Seal(e.cred(Orchestrator), &h, []byte(`{}`)))
	var r result
	select {
	case r = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("delegation did not arrive")
	}
	if r.read != nil {
		t.Errorf("read_x under delegation: %v", r.read)
	}
	if !errors.Is(r.write, ErrToolDenied) || !strings.Contains(r.write.Error(), "IA-2.4") {
		t.Errorf("write_y under delegation from carol: %v, want denial naming IA-2.4", r.write)
	}
	if r.task.Originator != "carol" || len(r.task.Chain) != 1 || r.task.Chain[0] != "carol" {
		t.Errorf("task %+v does not carry the originator", r.task)
	}
	if n := e.tools.count(); n != 1 {
		t.Errorf("%d tool runs, want 1 (the denied call must have no side effect)", n)
	}
	// bob on his own may use write_y.
	if ok, why := e.sys.ToolAllowed("bob", Task{}, "write_y"); !ok {
		t.Errorf("bob's own scope: %s", why)
	}
}

// TestOrchestratorHoldsNoTools: IA-2.5. The gate refuses every tool call made in
// the orchestrator's name, and the orchestrator has no tool in its scope.
func TestOrchestratorHoldsNoTools(t *testing.T) {
	e := newEnv(t)
	for _, tool := range []string{"read_x", "write_y"} {
		_, err := e.sys.tools.call(context.Background(), Orchestrator, Task{}, tool, nil)
		if !errors.Is(err, ErrToolDenied) || !strings.Contains(err.Error(), "IA-2.5") {
			t.Errorf("orchestrator calling %s: %v, want a denial naming IA-2.5", tool, err)
		}
	}
	if got := e.sys.graph.Tools(Orchestrator); len(got) != 0 {
		t.Errorf("orchestrator scope has tools %v", got)
	}
	if e.tools.count() != 0 {
		t.Error("a tool ran for the orchestrator")
	}
}

func TestToolOutsideScopeDenied(t *testing.T) {
	e := newEnv(t)
	_, err := e.sys.tools.call(context.Background(), "carol", Task{}, "write_y", nil)
	if !errors.Is(err, ErrToolDenied) || !strings.Contains(err.Error(), "EC-1.2") {
		t.Fatalf("carol calling write_y: %v", err)
	}
	_, err = e.sys.tools.call(context.Background(), "carol", Task{}, "no_such_tool", nil)
	if !errors.Is(err, ErrToolDenied) || !strings.Contains(err.Error(), "unknown tool") {
		t.Fatalf("unknown tool: %v", err)
	}
}

func TestRequestReply(t *testing.T) {
	e := newEnv(t)
	e.box.handle("bob", func(ctx Context, m Message) error {
		var in struct{ N int }
		if err := m.Decode(&in); err != nil {
			return err
		}
		return ctx.Reply(map[string]int{"n": in.N + 1})
	})
	got := make(chan any, 2)
	e.box.handle("alice", func(ctx Context, m Message) error {
		r, err := ctx.Request("bob", KindData, map[string]int{"n": 41}, time.Second)
		if err != nil {
			got <- err
			return nil
		}
		got <- string(r.Payload)
		_, err = ctx.Request("bob", KindClaim, map[string]int{"n": 1}, 50*time.Millisecond)
		got <- err
		return nil
	})
	e.box.handle("bob", func(ctx Context, m Message) error {
		if m.Kind == KindClaim {
			return nil // never answers: the requester times out
		}
		var in struct{ N int }
		_ = m.Decode(&in)
		return ctx.Reply(map[string]int{"n": in.N + 1})
	})
	if _, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	if r := recv(t, got); r != `{"n":42}` {
		t.Fatalf("reply %v", r)
	}
	if err, _ := recv(t, got).(error); !errors.Is(err, ErrTimeout) {
		t.Fatalf("silent peer: %v, want ErrTimeout", err)
	}
}

func TestTaskLifecycleAndTrail(t *testing.T) {
	e := newEnv(t)
	e.box.handle("alice", func(ctx Context, m Message) error {
		if _, ok := m.Instruction(); !ok {
			return nil
		}
		if _, err := ctx.CallTool("read_x", nil); err != nil {
			return err
		}
		return ctx.Send("bob", KindClaim, map[string]string{"claim": "c1"}, WithProvenance("tool", true), WithConfidence(0.8))
	})
	e.box.handle("bob", func(ctx Context, m Message) error {
		if m.Confidence != 0.8 || !m.Provenance.Verified {
			return errors.New("claim metadata lost")
		}
		return ctx.Send("alice", KindData, map[string]string{"done": "yes"})
	})
	finished := make(chan struct{})
	e.box.handle("alice", func(ctx Context, m Message) error {
		switch {
		case m.Kind == KindInstruction:
			return ctx.Send("bob", KindClaim, map[string]string{"claim": "c1"}, WithProvenance("tool", true), WithConfidence(0.8))
		case m.From == "bob":
			defer close(finished)
			return ctx.Complete(map[string]string{"letter": "Dear claimant"})
		}
		return nil
	})
	id, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`{"claim":"c1"}`))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, err := e.sys.WaitTask(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if v.State != TaskCompleted || !strings.Contains(string(v.Result), "Dear claimant") {
		t.Fatalf("task %+v", v)
	}
	if len(v.SpecHash) != 64 {
		t.Errorf("spec hash %q", v.SpecHash)
	}
	var hops []string
	for _, tr := range v.Trail {
		hops = append(hops, tr.From+">"+tr.To+":"+tr.Verdict)
		if tr.Verdict == "pass" && len(tr.Controls) == 0 {
			t.Errorf("trail entry without controls: %+v", tr)
		}
	}
	want := []string{"ingress>orchestrator:pass", "orchestrator>alice:pass", "alice>bob:pass", "bob>alice:pass", "alice>orchestrator:pass"}
	if strings.Join(hops, " ") != strings.Join(want, " ") {
		t.Fatalf("trail %v, want %v", hops, want)
	}
	last := v.Trail[len(v.Trail)-1]
	if !strings.Contains(string(last.Payload), "Dear claimant") {
		t.Errorf("result payload missing from trail: %s", last.Payload)
	}
}

func TestBehaviourErrorFailsTask(t *testing.T) {
	e := newEnv(t)
	e.box.handle("alice", func(ctx Context, m Message) error { return errors.New("claim has no policy number") })
	id, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, _ := e.sys.WaitTask(ctx, id)
	if v.State != TaskFailed || !strings.Contains(v.Error, "claim has no policy number") {
		t.Fatalf("task %+v", v)
	}
}

func TestGuardBlockBlocksTask(t *testing.T) {
	e := newEnv(t)
	e.box.handle("alice", func(ctx Context, m Message) error {
		if m.Kind != KindInstruction {
			return nil
		}
		// A raw envelope over clearance, injected on the transport within the task.
		h := e.header("alice", "bob", KindData)
		h.TaskID, h.Classification = m.TaskID, Restricted
		e.inject("bob", Seal(e.cred("alice"), &h, []byte(`{}`)))
		return nil
	})
	id, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, _ := e.sys.WaitTask(ctx, id)
	if v.State != TaskBlocked || !strings.Contains(v.Error, "DP-1.2") {
		t.Fatalf("task %+v", v)
	}
}

func TestMemoryIsPrivate(t *testing.T) {
	e := newEnv(t)
	done := make(chan [2]bool, 1)
	e.box.handle("alice", func(ctx Context, m Message) error {
		ctx.Memory().Put("secret", []byte("alice-only"))
		return ctx.Send("bob", KindData, "x")
	})
	e.box.handle("bob", func(ctx Context, m Message) error {
		_, seen := ctx.Memory().Get("secret")
		done <- [2]bool{seen, len(ctx.Memory().Keys()) == 0}
		return nil
	})
	if _, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	var r [2]bool
	select {
	case r = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("bob never received alice's message")
	}
	if r[0] || !r[1] {
		t.Fatal("bob could see alice's memory (DP-2.4)")
	}
}

func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("nothing received within 5s")
	}
	var zero T
	return zero
}

// TestUndeliverableIsRecorded: a message to an agent that is not running is
// not dropped silently: the decision log records it and its task fails.
func TestUndeliverableIsRecorded(t *testing.T) {
	e := newEnv(t)
	bob, _ := e.sys.dir.Lookup("bob")
	if err := e.sys.as.Root.StopFuture(bob).Wait(); err != nil {
		t.Fatal(err)
	}
	e.box.handle("alice", func(ctx Context, m Message) error {
		if m.Kind == KindInstruction {
			return ctx.Send("bob", KindData, "x")
		}
		return nil
	})
	id, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, _ := e.sys.WaitTask(ctx, id)
	if v.State != TaskFailed || !strings.Contains(v.Error, "bob is not running") {
		t.Fatalf("task %+v", v)
	}
}
