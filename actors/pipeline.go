package actors

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/maso-runtime/maso/actors/wire"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/identity"
)

// Decision is one message's outcome at a receiver, handed to the Recorder.
type Decision struct {
	Recipient string
	Header    *Header        // nil when the header could not be authenticated
	Peer      *identity.Peer // nil when authentication failed before the certificate was accepted
	Verdict   Verdict        // the blocking verdict, or Pass
	Checked   []string       // controls every passing guard enforced
	Payload   []byte         // the payload (only for delivered messages)
	Hash      [32]byte       // SHA-256 of the payload
	Trace     trace.SpanContext
}

// Recorder receives every decision: it writes the decision log (OB-1.2),
// counts verdicts and keeps task trails. If Record fails, the message is not
// delivered (fail closed: no delivery without an audit entry). Event records
// everything that is not a received message: refusals on the sending side,
// tool calls, task lifecycle.
type Recorder interface {
	Record(ctx context.Context, d *Decision) error
	Event(ctx context.Context, ev audit.Event) error
}

// Pipeline is the receiver side of the bus: authentication, then the guards in
// order, then the decision log. Nothing reaches a behaviour without passing all
// of it. A Pipeline is shared by every actor of a node and safe for concurrent use.
type Pipeline struct {
	verifier   *identity.Verifier
	graph      *Graph
	maxPayload int
	guards     []Guard
	checked    []string
	recorder   Recorder
	clock      func() time.Time
	tracer     trace.Tracer
	onBlock    func(string, Verdict)
	inFlight   time.Duration // how long after its expiry a certificate still vouches for messages it signed in time
}

// PipelineConfig configures NewPipeline.
type PipelineConfig struct {
	Verifier   *identity.Verifier
	Graph      *Graph
	MaxPayload int           // bytes; default 1 MiB
	Skew       time.Duration // allowed clock skew; default 5s
	MaxTTL     time.Duration // longest envelope lifetime accepted; default 10m
	Replay     *ReplayCache  // default: a new cache
	Extra      []Guard       // guards run after the built-in ones (DLP, injection, judge, ...)
	Recorder   Recorder
	Clock      func() time.Time
	Tracer     trace.Tracer
	// OnBlock is told the authenticated sender of every blocked message (the
	// circuit breaker counts them, EC-2.4).
	OnBlock func(from string, v Verdict)
}

// NewPipeline builds the receiver pipeline.
func NewPipeline(c PipelineConfig) (*Pipeline, error) {
	if c.Verifier == nil || c.Graph == nil || c.Recorder == nil {
		return nil, errors.New("actors: pipeline needs a verifier, a graph and a recorder")
	}
	if c.MaxPayload <= 0 {
		c.MaxPayload = 1 << 20
	}
	if c.Skew <= 0 {
		c.Skew = 5 * time.Second
	}
	if c.MaxTTL <= 0 {
		c.MaxTTL = 10 * time.Minute
	}
	if c.Replay == nil {
		c.Replay = NewReplayCache()
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Tracer == nil {
		c.Tracer = noop.NewTracerProvider().Tracer("maso")
	}
	guards := append([]Guard{
		freshnessGuard{skew: c.Skew, maxTTL: c.MaxTTL},
		replayGuard{cache: c.Replay, skew: c.Skew},
		graphGuard{graph: c.Graph},
		delegationGuard{},
		clearanceGuard{graph: c.Graph},
	}, c.Extra...)
	p := &Pipeline{
		verifier: c.Verifier, graph: c.Graph, maxPayload: c.MaxPayload,
		guards: guards, recorder: c.Recorder, clock: c.Clock, tracer: c.Tracer, onBlock: c.OnBlock,
		inFlight: c.MaxTTL + c.Skew,
	}
	p.checked = append([]string{"IA-2.3", "IA-2.2", "PG-1.1"}, collectControls(guards)...)
	p.checked = append(p.checked, "OB-1.2")
	return p, nil
}

func collectControls(guards []Guard) []string {
	seen := map[string]bool{"IA-2.3": true, "IA-2.2": true, "PG-1.1": true}
	var out []string
	for _, g := range guards {
		for _, c := range g.Controls() {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// Graph is the communication graph the pipeline enforces.
func (p *Pipeline) Graph() *Graph { return p.graph }

// MaxPayload is the payload size limit in bytes.
func (p *Pipeline) MaxPayload() int { return p.maxPayload }

// Receive runs env through the whole pipeline for recipient. It returns the
// verified message and true when it may be delivered. Every outcome is recorded.
func (p *Pipeline) Receive(ctx context.Context, recipient string, env *wire.Signed, expect *pendingReply) (Message, context.Context, bool) {
	in := &Inbound{Env: env, Recipient: recipient, Now: p.clock(), ExpectReply: expect}
	v := p.authenticate(in)
	if v.Action == Pass {
		ctx = extractTrace(ctx, in.Header.TraceParent, in.Header.TraceState)
	}
	ctx, span := p.tracer.Start(ctx, "maso.receive", trace.WithSpanKind(trace.SpanKindConsumer))
	defer span.End()
	if v.Action == Pass {
		v = p.runGuards(ctx, in)
	}
	d := &Decision{Recipient: recipient, Verdict: v, Trace: span.SpanContext()}
	if in.Peer != nil {
		d.Header, d.Peer = &in.Header, in.Peer
	}
	d.Hash = sha256.Sum256(env.GetPayload())
	if v.Action == Pass {
		d.Checked, d.Payload = p.checked, env.Payload
	}
	if err := p.recorder.Record(ctx, d); err != nil {
		span.SetStatus(codes.Error, "decision log unavailable")
		return Message{}, ctx, false
	}
	annotate(span, in, v)
	if v.Action != Pass {
		if in.Peer != nil && p.onBlock != nil {
			p.onBlock(in.Header.From, v)
		}
		return Message{}, ctx, false
	}
	return messageFromHeader(&in.Header, env.Payload), ctx, true
}

func annotate(span trace.Span, in *Inbound, v Verdict) {
	if !span.IsRecording() {
		return
	}
	span.SetAttributes(
		attribute.String("maso.recipient", in.Recipient),
		attribute.String("maso.from", in.Header.From),
		attribute.String("maso.kind", in.Header.Kind.String()),
		attribute.String("maso.verdict", v.Action.String()),
	)
	if v.Action != Pass {
		span.SetStatus(codes.Error, v.Reason)
		span.SetAttributes(attribute.StringSlice("maso.controls", v.Controls), attribute.String("maso.guard", v.Guard))
	}
}

// runGuards runs the guards in order and stops at the first that does not pass.
func (p *Pipeline) runGuards(ctx context.Context, in *Inbound) Verdict {
	recording := trace.SpanFromContext(ctx).IsRecording()
	for _, g := range p.guards {
		var span trace.Span
		if recording {
			_, span = p.tracer.Start(ctx, "maso.guard."+g.Name())
		}
		v := g.Check(in)
		if span != nil {
			span.SetAttributes(attribute.String("maso.verdict", v.Action.String()), attribute.StringSlice("maso.controls", g.Controls()))
			span.End()
		}
		if v.Action != Pass {
			if v.Guard == "" {
				v.Guard = g.Name()
			}
			return v
		}
	}
	return Verdict{}
}

// CheckGuards runs only the guards (no cryptography, no recording) on an
// already-authenticated message. It exists for benchmarks and tests.
func (p *Pipeline) CheckGuards(in *Inbound) Verdict { return p.runGuards(context.Background(), in) }

// authenticate checks, before the header is trusted: the payload limit, the
// signer's certificate (chain, validity, revocation), the signature over the
// exact received bytes, the header's canonical form, and that the signer is the
// sender the header names.
func (p *Pipeline) authenticate(in *Inbound) Verdict {
	env := in.Env
	if env == nil {
		return authBlock("empty envelope", "IA-2.3")
	}
	if n := len(env.Payload); n > p.maxPayload {
		return Verdict{Action: Block, Guard: "size", Controls: []string{"PG-1.1"},
			Reason: fmt.Sprintf("payload of %d bytes exceeds the %d-byte limit", n, p.maxPayload)}
	}
	peer, inFlight, err := p.signer(env.SignerCert, in.Now)
	if err != nil {
		return certVerdict(err)
	}
	if err := verifySignature(peer.PublicKey, env); err != nil {
		return authBlock("signature does not verify (forged or tampered)", "IA-2.3")
	}
	h, err := DecodeHeader(env.Header)
	if err != nil {
		return authBlock(err.Error(), "IA-2.3")
	}
	if inFlight && h.IssuedAt > peer.NotAfter.UnixNano() {
		return authBlock(fmt.Sprintf("signed after its certificate expired at %s", peer.NotAfter.UTC().Format(time.RFC3339)), "IA-2.2", "IA-2.3")
	}
	in.Header, in.Peer = h, peer
	if h.SignerFP != peer.Fingerprint {
		return authBlock("header names a different signing certificate", "IA-2.3")
	}
	if want := p.principalKind(h.From); peer.ID.Name != h.From || peer.ID.Kind != want {
		return authBlock(fmt.Sprintf("signed by %s, but the sender is %q", peer.ID, h.From), "IA-2.3", "IA-1.2")
	}
	return Verdict{}
}

// signer verifies the signer's certificate now. A certificate that expired
// less than a message lifetime ago is still accepted for messages signed
// while it was valid (inFlight): a message queued behind others must not be
// rejected because its sender rotated meanwhile. Revocation and the chain
// are checked all the same, and authenticate refuses anything it signed
// after its expiry.
func (p *Pipeline) signer(der []byte, now time.Time) (*identity.Peer, bool, error) {
	peer, err := p.verifier.Verify(der, now)
	if !errors.Is(err, identity.ErrCertExpired) {
		return peer, false, err
	}
	c, perr := x509.ParseCertificate(der)
	if perr != nil || now.Sub(c.NotAfter) > p.inFlight {
		return nil, false, err
	}
	peer, verr := p.verifier.Verify(der, c.NotAfter)
	if verr != nil {
		return nil, false, verr
	}
	return peer, true, nil
}

func (p *Pipeline) principalKind(name string) string {
	if p.graph.IsSystem(name) {
		return "system"
	}
	return "agent"
}

func authBlock(reason string, controls ...string) Verdict {
	return Verdict{Action: Block, Guard: "authenticate", Controls: controls, Reason: reason}
}

// certVerdict maps a certificate failure to the control it enforces.
func certVerdict(err error) Verdict {
	switch {
	case errors.Is(err, identity.ErrCertExpired), errors.Is(err, identity.ErrCertNotYetValid):
		return authBlock("signer certificate: "+err.Error(), "IA-2.2", "IA-2.3")
	case errors.Is(err, identity.ErrRevoked):
		return authBlock("signer certificate: "+err.Error(), "IA-2.2")
	default:
		return authBlock("signer certificate: "+err.Error(), "IA-2.3")
	}
}
