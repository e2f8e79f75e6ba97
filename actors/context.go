package actors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"go.opentelemetry.io/otel/trace"

	"github.com/maso-runtime/maso/actors/wire"
)

// Payload types the runtime itself uses on control messages.
const (
	TypeTaskSubmit    = "maso.task.submit"
	TypeTaskCompleted = "maso.task.completed"
	TypeTaskFailed    = "maso.task.failed"
)

// ErrNoTask reports Complete, Fail or Reply outside a message that allows it.
var ErrNoTask = errors.New("actors: no current task")

// hostContext is the Context a behaviour gets for one message.
type hostContext struct {
	h        *host
	d        *delivery // nil during Start
	ctx      context.Context
	finished bool
}

func (h *host) newContext(d *delivery) *hostContext {
	x := &hostContext{h: h, d: d, ctx: h.ctx}
	if d != nil && d.ctx != nil {
		x.ctx = mergeTrace(h.ctx, d.ctx)
	}
	return x
}

func (x *hostContext) Self() string         { return x.h.p.name }
func (x *hostContext) Ctx() context.Context { return x.ctx }
func (x *hostContext) Memory() Memory       { return x.h.mem }

func (x *hostContext) Knowledge() Knowledge {
	if x.h.sys.knowledge == nil {
		return nil
	}
	return agentKnowledge{k: x.h.sys.knowledge, agent: x.h.p.name}
}

func (x *hostContext) Task() Task {
	if x.d == nil {
		return Task{}
	}
	m := x.d.msg
	return Task{ID: m.TaskID, SpecHash: m.TaskSpecHash, Originator: m.Originator, Chain: m.Chain}
}

func (x *hostContext) Logger() *slog.Logger {
	if t := x.Task(); t.ID != "" {
		return x.h.log.With("task", t.ID)
	}
	return x.h.log
}

func (x *hostContext) out(to string, kind Kind, payload any, opts []SendOption) (*outbound, error) {
	b, err := marshalPayload(payload)
	if err != nil {
		return nil, err
	}
	o := &outbound{from: x.h.p, to: to, kind: kind, payload: b, task: x.Task()}
	if x.d != nil {
		o.parent, _ = parseUUID(x.d.msg.ID)
		o.opts.classification = x.d.msg.Classification
	}
	for _, opt := range opts {
		opt(&o.opts)
	}
	if kind != KindDelegation {
		o.task.Chain, o.task.Originator = nil, ""
	}
	return o, nil
}

func (x *hostContext) Send(to string, kind Kind, payload any, opts ...SendOption) error {
	if !kind.Valid() {
		return fmt.Errorf("actors: invalid message kind %d", kind)
	}
	o, err := x.out(to, kind, payload, opts)
	if err != nil {
		return err
	}
	return x.h.sys.send(x.ctx, o, nil)
}

func (x *hostContext) Delegate(to string, instruction any, opts ...SendOption) error {
	o, err := x.out(to, KindDelegation, instruction, opts)
	if err != nil {
		return err
	}
	t := x.Task()
	o.task.Chain = append(append([]string(nil), t.Chain...), x.h.p.name)
	o.task.Originator = o.task.Chain[0]
	return x.h.sys.send(x.ctx, o, nil)
}

func (x *hostContext) Reply(payload any, opts ...SendOption) error {
	if x.d == nil || x.d.sender == nil {
		return errors.New("actors: Reply outside a Request; use Send")
	}
	o, err := x.out(x.d.msg.From, x.d.msg.Kind, payload, opts)
	if err != nil {
		return err
	}
	o.reply = true
	o.replyTo, _ = parseUUID(x.d.msg.ID)
	return x.h.sys.send(x.ctx, o, x.d.sender)
}

func (x *hostContext) Request(to string, kind Kind, payload any, timeout time.Duration, opts ...SendOption) (Message, error) {
	o, err := x.out(to, kind, payload, opts)
	if err != nil {
		return Message{}, err
	}
	return x.h.sys.request(x.ctx, o, timeout)
}

func (x *hostContext) CallTool(name string, args any) (json.RawMessage, error) {
	return x.h.sys.tools.call(x.ctx, x.h.p.name, x.Task(), name, args)
}

func (x *hostContext) Complete(result any) error {
	return x.finish(TypeTaskCompleted, result)
}

func (x *hostContext) Fail(reason string) error {
	return x.finish(TypeTaskFailed, map[string]string{"reason": reason})
}

func (x *hostContext) finish(typ string, payload any) error {
	t := x.Task()
	if t.ID == "" {
		return ErrNoTask
	}
	o, err := x.out(Orchestrator, KindControl, payload, []SendOption{WithType(typ)})
	if err != nil {
		return err
	}
	x.finished = true
	return x.h.sys.send(x.ctx, o, nil)
}

// send seals o and hands it to the transport. A non-nil target overrides the
// directory (replies go to the requester's future).
func (s *System) send(ctx context.Context, o *outbound, target *actor.PID) error {
	ctx, span := s.tracer.Start(ctx, "maso.send")
	defer span.End()
	env, pid, err := s.seal(ctx, o)
	if err != nil {
		return err
	}
	if target != nil {
		pid = target
	}
	s.as.Root.Send(pid, env)
	return nil
}

// request sends o and waits for the reply, which goes through the same
// receiver pipeline as any other message before the behaviour sees it.
func (s *System) request(ctx context.Context, o *outbound, timeout time.Duration) (Message, error) {
	if timeout <= 0 {
		timeout = s.reqTimeout
	}
	ctx, span := s.tracer.Start(ctx, "maso.request")
	defer span.End()
	env, pid, err := s.seal(ctx, o)
	if err != nil {
		return Message{}, err
	}
	h, _ := DecodeHeader(env.Header)
	res, err := s.await(ctx, s.as.Root.RequestFuture(pid, env, timeout))
	switch {
	case errors.Is(err, actor.ErrTimeout):
		return Message{}, fmt.Errorf("%w: no reply from %s within %s", ErrTimeout, o.to, timeout)
	case errors.Is(err, actor.ErrDeadLetter):
		return Message{}, fmt.Errorf("%w %q: not reachable", ErrUnknownRecipient, o.to)
	case err != nil:
		return Message{}, fmt.Errorf("actors: request to %s: %w", o.to, err)
	}
	signed, ok := res.(*wire.Signed)
	if !ok {
		s.refuseUnsigned(o.from.name, res)
		return Message{}, fmt.Errorf("actors: reply from %s was not a signed envelope (IA-2.3)", o.to)
	}
	msg, _, ok := s.pipe.Receive(ctx, o.from.name, signed, &pendingReply{id: h.ID, to: o.to})
	if !ok {
		return Message{}, fmt.Errorf("actors: reply from %s refused by the receiver pipeline (see the decision log)", o.to)
	}
	return msg, nil
}

// await waits for a future's result or the end of ctx (the agent stopping).
func (s *System) await(ctx context.Context, f actor.Future) (any, error) {
	type result struct {
		v   any
		err error
	}
	ch := make(chan result, 1)
	go func() { v, err := f.Result(); ch <- result{v, err} }() // ends when the future does (bounded by its timeout)
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// mergeTrace keeps base's cancellation and takes the trace span of traced.
func mergeTrace(base, traced context.Context) context.Context {
	return trace.ContextWithSpanContext(base, trace.SpanContextFromContext(traced))
}
