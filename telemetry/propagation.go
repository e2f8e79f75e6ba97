package telemetry

import (
	"context"

	"go.opentelemetry.io/otel/propagation"
)

const (
	traceparentKey = "traceparent"
	tracestateKey  = "tracestate"
)

var traceContext propagation.TraceContext

// Inject returns the W3C trace context of the span in ctx, for an
// envelope's trace fields. Both are empty when ctx holds no valid span.
func Inject(ctx context.Context) (traceparent, tracestate string) {
	var c carrier
	traceContext.Inject(ctx, &c)
	return c.traceparent, c.tracestate
}

// Extract returns ctx with the remote span context described by the W3C
// traceparent and tracestate values. Invalid values leave ctx unchanged.
func Extract(ctx context.Context, traceparent, tracestate string) context.Context {
	return traceContext.Extract(ctx, &carrier{traceparent: traceparent, tracestate: tracestate})
}

// carrier is a two-field [propagation.TextMapCarrier].
type carrier struct{ traceparent, tracestate string }

func (c *carrier) Get(key string) string {
	switch key {
	case traceparentKey:
		return c.traceparent
	case tracestateKey:
		return c.tracestate
	}
	return ""
}

func (c *carrier) Set(key, value string) {
	switch key {
	case traceparentKey:
		c.traceparent = value
	case tracestateKey:
		c.tracestate = value
	}
}

func (c *carrier) Keys() []string { return []string{traceparentKey, tracestateKey} }
