package telemetry

import (
	"context"
	"regexp"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

var traceparentRE = regexp.MustCompile(`^00-[0-9a-f]{32}-[0-9a-f]{16}-01$`)

func TestInjectExtractRoundTrip(t *testing.T) {
	tp := sdktrace.NewTracerProvider()
	defer tp.Shutdown(context.Background())
	ctx, span := tp.Tracer("test").Start(context.Background(), "send")
	defer span.End()

	parent, state := Inject(ctx)
	if !traceparentRE.MatchString(parent) {
		t.Fatalf("traceparent = %q", parent)
	}
	got := trace.SpanContextFromContext(Extract(context.Background(), parent, state))
	want := span.SpanContext()
	if got.TraceID() != want.TraceID() || got.SpanID() != want.SpanID() || !got.IsRemote() {
		t.Fatalf("extracted %v, want remote copy of %v", got, want)
	}

	_, child := tp.Tracer("test").Start(Extract(context.Background(), parent, state), "receive")
	defer child.End()
	if child.SpanContext().TraceID() != want.TraceID() {
		t.Fatal("child span started from the extracted context left the trace")
	}
}

func TestTraceStateRoundTrip(t *testing.T) {
	ts, err := trace.ParseTraceState("maso=node-a")
	if err != nil {
		t.Fatal(err)
	}
	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    trace.TraceID{1, 2, 3},
		SpanID:     trace.SpanID{4, 5, 6},
		TraceFlags: trace.FlagsSampled,
		TraceState: ts,
	})
	parent, state := Inject(trace.ContextWithSpanContext(context.Background(), sc))
	if state != "maso=node-a" {
		t.Fatalf("tracestate = %q", state)
	}
	got := trace.SpanContextFromContext(Extract(context.Background(), parent, state))
	if got.TraceID() != sc.TraceID() || got.TraceState().Get("maso") != "node-a" {
		t.Fatalf("extracted %v", got)
	}
}

func TestInjectWithoutSpan(t *testing.T) {
	if p, s := Inject(context.Background()); p != "" || s != "" {
		t.Fatalf("Inject(no span) = %q, %q", p, s)
	}
}

func TestExtractInvalid(t *testing.T) {
	for _, parent := range []string{"", "garbage", "00-00000000000000000000000000000000-0000000000000000-01"} {
		sc := trace.SpanContextFromContext(Extract(context.Background(), parent, ""))
		if sc.IsValid() {
			t.Errorf("Extract(%q) gave valid span context %v", parent, sc)
		}
	}
}
