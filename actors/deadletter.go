package actors

import (
	"context"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/maso-runtime/maso/actors/wire"
	"github.com/maso-runtime/maso/audit"
)

// watchDeadLetters records every signed envelope protoactor could not deliver
// (its recipient stopped or never existed), so no message is dropped
// silently. A task whose message was lost fails with the reason.
func (s *System) watchDeadLetters() {
	s.as.EventStream.Subscribe(func(evt any) {
		dl, ok := evt.(*actor.DeadLetterEvent)
		if !ok {
			return
		}
		msg := dl.Message
		if e, ok := msg.(*actor.MessageEnvelope); ok {
			msg = e.Message
		}
		env, ok := msg.(*wire.Signed)
		if !ok {
			return
		}
		s.recordUndeliverable(env, dl.PID)
	})
}

func (s *System) recordUndeliverable(env *wire.Signed, pid *actor.PID) {
	// The header is our own node's or a peer's signed header; it is decoded
	// here only to say what was lost, never trusted for a decision.
	h, err := DecodeHeader(env.Header)
	ev := audit.Event{Type: "message.undeliverable", Verdict: "block", Controls: []string{"OB-1.2"},
		Reason: "recipient actor not running", Node: s.node}
	if pid != nil {
		ev.Attrs = map[string]string{"pid": pid.String()}
	}
	if err == nil {
		ev.MessageID, ev.TaskID, ev.From, ev.To, ev.Kind = uuidString(h.ID), h.TaskID, h.From, h.To, h.Kind.String()
		ev.Agent = h.To
		ev.Reason = h.To + " is not running; the message was not delivered"
	}
	if err := s.rec.Event(context.Background(), ev); err != nil {
		s.log.Error("decision log append failed", "err", err)
	}
	if err == nil && h.TaskID != "" && h.From != Ingress {
		s.tasks.AddTrail(h.TaskID, trailFromEvent(s.clock(), ev))
		s.tasks.Fail(h.TaskID, ev.Reason)
	}
}
