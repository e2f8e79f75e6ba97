package actors

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/maso-runtime/maso/actors/wire"
	"github.com/maso-runtime/maso/audit"
)

// Errors of the sending side. Each wraps the control it enforces in its text.
var (
	ErrNotPermitted    = errors.New("actors: not permitted")
	ErrPayloadTooLarge = errors.New("actors: payload too large")
	ErrTimeout         = errors.New("actors: request timed out")
)

// outbound is one message a principal is about to sign.
type outbound struct {
	from    *principal
	to      string
	kind    Kind
	payload []byte
	task    Task
	parent  [16]byte
	replyTo [16]byte
	opts    sendOpts
	reply   bool // answers a request: authorised by the request, not the graph
}

// seal checks the sender-side scope (IA-1.4, PG-1.1, DP-1.2), builds the header
// and signs it with the sender's current credential.
func (b *System) seal(ctx context.Context, o *outbound) (*wire.Signed, *actor.PID, error) {
	if to, ok := b.routes.get(o.to); ok && !o.reply {
		o.to = to // the agent is isolated; its backup stands in (PACE Alternate)
	}
	pid, err := b.dir.Lookup(o.to)
	if err != nil && !o.reply { // a reply goes to the requester's future, not to a name
		return nil, nil, err
	}
	cred, err := o.from.credential()
	if err != nil {
		return nil, nil, err
	}
	if now := b.clock(); now.After(cred.NotAfter()) {
		reason := fmt.Sprintf("credential of %s expired at %s", o.from.name, cred.NotAfter().Format(time.RFC3339))
		b.refused(ctx, o, Verdict{Action: Block, Guard: "credential", Controls: []string{"IA-2.2"}, Reason: reason})
		return nil, nil, fmt.Errorf("%w: %s (IA-2.2)", ErrNoCredential, reason)
	}
	if err := b.redact(ctx, o); err != nil {
		return nil, nil, err
	}
	if err := b.checkScope(ctx, o); err != nil {
		return nil, nil, err
	}
	h := b.header(ctx, o)
	return Seal(cred, &h, o.payload), pid, nil
}

func (b *System) header(ctx context.Context, o *outbound) Header {
	now := b.clock()
	h := Header{
		ID: newID(), From: o.from.name, To: o.to, Kind: o.kind,
		TaskID: o.task.ID, ParentID: o.parent, ReplyTo: o.replyTo,
		Classification: o.opts.classification, Provenance: o.opts.provenance,
		Confidence: math.NaN(), IssuedAt: now.UnixNano(), ExpiresAt: now.Add(b.ttl).UnixNano(),
		Seq: o.from.seq.Add(1), PayloadType: o.opts.payloadType,
	}
	if o.opts.hasConfidence {
		h.Confidence = o.opts.confidence
	}
	if h.Classification == 0 {
		h.Classification = Internal
	}
	if o.kind == KindDelegation || len(o.task.Chain) > 0 {
		h.Chain, h.Originator = o.task.Chain, o.task.Originator
	}
	h.TaskSpecHash = specHashBytes(o.task.SpecHash)
	carrier := propagation.MapCarrier{}
	propagation.TraceContext{}.Inject(ctx, carrier)
	h.TraceParent, h.TraceState = carrier["traceparent"], carrier["tracestate"]
	return h
}

func (b *System) checkScope(ctx context.Context, o *outbound) error {
	var v Verdict
	pv, phaseBlocked := phaseVerdict(b.graph, b.Restrictions(), o.from.name, o.to)
	switch st := b.StateOf(o.from.name); {
	case phaseBlocked:
		v = pv
		v.Guard = "phase"
	case st != "" && !st.Working():
		reason, _ := b.StateReason(o.from.name)
		v = Verdict{Action: Block, Guard: "state", Controls: []string{"EC-2.4"},
			Reason: fmt.Sprintf("%s is %s: %s", o.from.name, st, reason)}
	case len(o.payload) > b.pipe.maxPayload:
		v = Verdict{Action: Block, Guard: "size", Controls: []string{"PG-1.1"},
			Reason: fmt.Sprintf("payload of %d bytes exceeds the %d-byte limit", len(o.payload), b.pipe.maxPayload)}
	case !o.reply && !b.graph.Allowed(o.from.name, o.to, o.kind):
		v = Verdict{Action: Block, Guard: "graph", Controls: []string{"IA-1.4"},
			Reason: fmt.Sprintf("%s may not send %s to %s (not in the communication graph)", o.from.name, o.kind, o.to)}
	case o.opts.classification > b.graph.Clearance(o.to):
		v = Verdict{Action: Block, Guard: "clearance", Controls: []string{"DP-1.2"},
			Reason: fmt.Sprintf("%s data may not go to %s, cleared only for %s", o.opts.classification, o.to, b.graph.Clearance(o.to))}
	default:
		return nil
	}
	b.refused(ctx, o, v)
	sentinel := ErrNotPermitted
	switch v.Guard {
	case "size":
		sentinel = ErrPayloadTooLarge
	case "phase":
		sentinel = ErrSuspended
	}
	return fmt.Errorf("%w: %s (%s)", sentinel, v.Reason, v.Controls[0])
}

// refused records a message the sender side would not sign.
func (b *System) refused(ctx context.Context, o *outbound, v Verdict) {
	ev := audit.Event{
		Type: "message.refused", Verdict: v.Action.String(), Controls: v.Controls,
		Reason: v.Reason, Guard: v.Guard, Agent: o.from.name, Node: b.node,
		TaskID: o.task.ID, From: o.from.name, To: o.to, Kind: o.kind.String(),
		TraceID: traceID(ctx),
	}
	if err := b.rec.Event(ctx, ev); err != nil {
		b.log.Error("decision log append failed", "err", err)
	}
}

func traceID(ctx context.Context) string {
	if sc := trace.SpanContextFromContext(ctx); sc.HasTraceID() {
		return sc.TraceID().String()
	}
	return ""
}

func extractTrace(ctx context.Context, parent, state string) context.Context {
	if parent == "" {
		return ctx
	}
	return propagation.TraceContext{}.Extract(ctx, propagation.MapCarrier{"traceparent": parent, "tracestate": state})
}

func specHashBytes(s string) [32]byte {
	var out [32]byte
	if len(s) == 64 {
		_, _ = hex.Decode(out[:], []byte(s))
	}
	return out
}
