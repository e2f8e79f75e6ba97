package actors

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/maso-runtime/maso/telemetry"
)

// TestTracingAndVerdictCounters: every hop, guard verdict and tool call is a
// span in one trace that travels in the signed envelopes (W3C trace context),
// and guard verdicts are counted per control and agent.
func TestTracingAndVerdictCounters(t *testing.T) {
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	verdicts, err := telemetry.NewVerdicts(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(d *Deps) { d.Tracer = tp })
	e.rec.Counter = verdicts
	done := make(chan struct{})
	e.box.handle("alice", func(ctx Context, m Message) error {
		if m.Kind != KindInstruction {
			return nil
		}
		if _, err := ctx.CallTool("read_x", nil); err != nil {
			return err
		}
		return ctx.Send("bob", KindData, "x")
	})
	e.box.handle("bob", func(ctx Context, m Message) error { close(done); return nil })
	if _, err := e.sys.Submit(context.Background(), "alice", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	recv(t, done)
	h := e.header("carol", "alice", KindData) // off the graph: blocked
	e.inject("alice", Seal(e.cred("carol"), &h, []byte(`{}`)))
	e.rejected("alice", func(*Decision) bool { return true })

	var traceIDs map[string]bool
	var names map[string]int
	collect := func() bool { // the receive span ends just after its decision is recorded
		traceIDs, names = map[string]bool{}, map[string]int{}
		for _, s := range spans.Ended() {
			names[s.Name()]++
			if s.Name() == "maso.receive" || s.Name() == "maso.tool.read_x" {
				traceIDs[s.SpanContext().TraceID().String()] = true
			}
		}
		return len(traceIDs) >= 2
	}
	for deadline := time.Now().Add(5 * time.Second); !collect() && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	for _, want := range []string{"maso.send", "maso.receive", "maso.guard.graph", "maso.guard.replay", "maso.tool.read_x"} {
		if names[want] == 0 {
			t.Errorf("no %s span (spans: %v)", want, names)
		}
	}
	// ingress→orchestrator→alice→bob and the tool call share the task's trace;
	// the injected message has its own.
	if len(traceIDs) != 2 {
		t.Errorf("receive and tool spans span %d traces, want 2 (the task's and the injected message's)", len(traceIDs))
	}
	counts, err := telemetry.Counts(context.Background(), reader)
	if err != nil {
		t.Fatal(err)
	}
	if counts["IA-1.4/alice/block"] != 1 {
		t.Errorf("IA-1.4 blocks for alice = %d, want 1 (counts %v)", counts["IA-1.4/alice/block"], keys(counts))
	}
	if counts["IA-2.3/bob/pass"] < 1 {
		t.Errorf("no IA-2.3 pass counted for bob (counts %v)", keys(counts))
	}
}

func keys(m map[string]int64) string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+itoa(v))
	}
	return strings.Join(out, " ")
}

func itoa(v int64) string { b, _ := json.Marshal(v); return string(b) }
