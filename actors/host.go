package actors

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/maso-runtime/maso/actors/wire"
)

// delivery is a message that passed the receiver pipeline. Only the pipeline
// middleware creates one; a delivery arriving at the middleware from anywhere
// else is refused as unsigned, so no code can bypass verification by sending
// one directly.
type delivery struct {
	msg    Message
	ctx    context.Context
	sender *actor.PID // set when the message is a Request awaiting a Reply
}

// middleware is the receiver middleware installed on every agent actor and on
// the orchestrator: lifecycle messages pass, signed envelopes go through the
// pipeline, everything else is refused and recorded (IA-2.3).
func (s *System) middleware(name string) actor.ReceiverMiddleware {
	return func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
			switch m := env.Message.(type) {
			case *actor.Started, *actor.Stopping, *actor.Stopped, *actor.Restarting, *actor.Terminated:
				next(c, env)
			case *wire.Signed:
				msg, ctx, ok := s.pipe.Receive(s.ctx, name, m, nil)
				if ok {
					next(c, &actor.MessageEnvelope{Header: env.Header, Sender: env.Sender,
						Message: &delivery{msg: msg, ctx: ctx, sender: env.Sender}})
				}
			default:
				s.refuseUnsigned(name, m)
			}
		}
	}
}

// refuseUnsigned records a message that is not a signed envelope.
func (s *System) refuseUnsigned(recipient string, m any) {
	d := &Decision{Recipient: recipient, Verdict: Verdict{Action: Block, Guard: "authenticate",
		Controls: []string{"IA-2.3"}, Reason: fmt.Sprintf("unsigned message of type %T", m)}}
	if err := s.rec.Record(s.ctx, d); err != nil {
		s.log.Error("decision log append failed", "err", err)
	}
}

// host is the actor that wraps one agent's behaviour.
type host struct {
	sys     *System
	p       *principal
	spec    AgentSpec
	factory BehaviourFactory
	mem     *memory

	beh     Behaviour
	started bool
	ctx     context.Context
	cancel  context.CancelFunc
	log     *slog.Logger
}

func (h *host) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started:
		h.start()
	case *actor.Stopping:
		if h.cancel != nil {
			h.cancel()
		}
	case *delivery:
		if h.beh != nil {
			h.handle(m)
		}
	}
}

func (h *host) start() {
	if h.started {
		return
	}
	h.started = true
	h.ctx, h.cancel = context.WithCancel(h.sys.agentsContext())
	h.log = h.sys.log.With("agent", h.p.name)
	beh, err := h.factory(h.spec)
	if err != nil {
		h.log.Error("behaviour factory failed; the agent receives nothing", "err", err)
		return
	}
	h.beh = beh
	if st, ok := beh.(Starter); ok {
		if err := st.Start(h.newContext(nil)); err != nil {
			h.log.Error("behaviour start failed", "err", err)
		}
	}
}

// handle runs the behaviour for one delivered message. An error on a task's
// instruction or delegation fails the task; a panic fails it too and is then
// re-raised so the supervisor sees it.
func (h *host) handle(d *delivery) {
	x := h.newContext(d)
	defer func() {
		if r := recover(); r != nil {
			if taskCarrying(d.msg) {
				_ = x.Fail(fmt.Sprintf("agent %s panicked: %v", h.p.name, r))
			}
			panic(r)
		}
	}()
	if err := h.beh.Receive(x, d.msg); err != nil {
		x.Logger().Warn("behaviour returned an error", "err", err, "message_id", d.msg.ID, "kind", d.msg.Kind.String())
		if taskCarrying(d.msg) && !x.finished {
			_ = x.Fail(err.Error())
		}
	}
}

// taskCarrying reports whether a failure handling m fails m's task: any
// message of a task, except the runtime's own control traffic.
func taskCarrying(m Message) bool {
	return m.TaskID != "" && m.Kind != KindControl
}

// memory is an agent's private store (DP-2.4): only its host holds it.
type memory struct {
	mu sync.RWMutex
	m  map[string][]byte
}

func newMemory() *memory { return &memory{m: map[string][]byte{}} }

func (m *memory) Get(k string) ([]byte, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	v, ok := m.m[k]
	return append([]byte(nil), v...), ok
}

func (m *memory) Put(k string, v []byte) {
	m.mu.Lock()
	m.m[k] = append([]byte(nil), v...)
	m.mu.Unlock()
}

func (m *memory) Delete(k string) {
	m.mu.Lock()
	delete(m.m, k)
	m.mu.Unlock()
}

func (m *memory) Keys() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]string, 0, len(m.m))
	for k := range m.m {
		out = append(out, k)
	}
	return out
}
