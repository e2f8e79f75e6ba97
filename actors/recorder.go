package actors

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/maso-runtime/maso/audit"
)

// AuditLog is the decision log a LogRecorder appends to (*audit.Log).
type AuditLog interface {
	Append(ev audit.Event) (audit.Entry, error)
}

// VerdictCounter counts guard verdicts per control and agent (*telemetry.Verdicts).
type VerdictCounter interface {
	Add(ctx context.Context, guard, control, agent, verdict string)
}

// LogRecorder is the node's Recorder: one decision-log entry per delivered or
// rejected message (OB-1.2, OB-2.1), verdict counters per control and agent,
// and the trail of each task. A message whose header could not be
// authenticated never changes a task: its claims are logged as claims only.
type LogRecorder struct {
	Log      AuditLog
	Counter  VerdictCounter // optional
	Tasks    *TaskStore     // optional
	Node     string
	Clock    func() time.Time
	MaxTrail int // payload bytes kept per trail entry; default 64 KiB
}

// Record implements Recorder.
func (r *LogRecorder) Record(ctx context.Context, d *Decision) error {
	ev := r.event(d)
	if _, err := r.Log.Append(ev); err != nil {
		return err
	}
	r.count(ctx, d, ev.Agent)
	if d.Header != nil && d.Header.TaskID != "" && r.Tasks != nil {
		r.trail(d, ev)
	}
	return nil
}

// Event implements Recorder.
func (r *LogRecorder) Event(ctx context.Context, ev audit.Event) error {
	if ev.Node == "" {
		ev.Node = r.Node
	}
	_, err := r.Log.Append(ev)
	if err == nil && r.Counter != nil && ev.Verdict != "" {
		for _, c := range ev.Controls {
			r.Counter.Add(ctx, ev.Guard, c, ev.Agent, ev.Verdict)
		}
	}
	if err == nil && ev.Type == "message.refused" && r.Tasks != nil && ev.TaskID != "" {
		r.Tasks.AddTrail(ev.TaskID, trailFromEvent(r.now(), ev))
		// A task whose message may not be sent cannot go on.
		r.Tasks.Block(ev.TaskID, ev.Guard+": "+ev.Reason+" ("+strings.Join(ev.Controls, ", ")+")")
	}
	return err
}

func (r *LogRecorder) now() time.Time {
	if r.Clock != nil {
		return r.Clock()
	}
	return time.Now()
}

func (r *LogRecorder) event(d *Decision) audit.Event {
	ev := audit.Event{Type: "message.delivered", Verdict: d.Verdict.Action.String(), Controls: d.Checked,
		Agent: d.Recipient, Node: r.Node, To: d.Recipient, PayloadHash: hex.EncodeToString(d.Hash[:])}
	if d.Verdict.Action != Pass {
		ev.Type, ev.Controls, ev.Reason, ev.Guard = "message.rejected", d.Verdict.Controls, d.Verdict.Reason, d.Verdict.Guard
	}
	if d.Trace.HasTraceID() {
		ev.TraceID = d.Trace.TraceID().String()
	}
	if h := d.Header; h != nil {
		ev.MessageID, ev.TaskID, ev.From, ev.To, ev.Kind = uuidString(h.ID), h.TaskID, h.From, h.To, h.Kind.String()
		if h.PayloadType != "" {
			ev.Attrs = map[string]string{"payload_type": h.PayloadType}
		}
	}
	return ev
}

func (r *LogRecorder) count(ctx context.Context, d *Decision, agent string) {
	if r.Counter == nil {
		return
	}
	v := d.Verdict
	if v.Action != Pass {
		for _, c := range v.Controls {
			r.Counter.Add(ctx, v.Guard, c, agent, v.Action.String())
		}
		return
	}
	for _, c := range d.Checked {
		r.Counter.Add(ctx, "pipeline", c, agent, "pass")
	}
}

func (r *LogRecorder) trail(d *Decision, ev audit.Event) {
	h := d.Header
	e := TrailEntry{Time: r.now().UTC(), Type: ev.Type, MessageID: ev.MessageID, From: h.From, To: h.To,
		Kind: ev.Kind, PayloadType: h.PayloadType, Verdict: ev.Verdict, Controls: ev.Controls,
		Guard: ev.Guard, Reason: ev.Reason}
	max := r.MaxTrail
	if max <= 0 {
		max = 64 << 10
	}
	if len(d.Payload) <= max && json.Valid(d.Payload) {
		e.Payload = append(json.RawMessage(nil), d.Payload...)
	}
	r.Tasks.AddTrail(h.TaskID, e)
	if d.Verdict.Action != Pass {
		r.Tasks.Block(h.TaskID, d.Verdict.Guard+": "+d.Verdict.Reason+" ("+strings.Join(d.Verdict.Controls, ", ")+")")
	}
}
