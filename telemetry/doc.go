// Package telemetry wires OpenTelemetry tracing and metrics for a MASO
// node: providers built from [config.Telemetry], the guard verdict
// counter, and W3C trace context for bus envelopes.
//
// # Overview
//
// [Setup] builds a tracer provider and a meter provider. Traces are
// either dropped ("none", a no-op provider) or batched to a writer as JSON
// lines ("stdout"). Metrics always go through an SDK meter provider with a
// manual reader, so [Counts] can read the current totals at any time; with
// "stdout" a periodic reader also exports them to the writer. Setup sets
// no OpenTelemetry globals: the caller passes the providers on.
//
// [Verdicts] counts guard verdicts on the "maso.guard.verdicts" counter
// with the attributes control, agent, verdict and guard. The per-control
// and per-agent totals feed anomaly scoring and circuit breakers (OB-2.2,
// EC-2.4). [Counts] returns them keyed "control/agent/verdict".
//
// [Inject] and [Extract] carry the W3C traceparent and tracestate values
// in bus envelopes, so one task's hops across agents form one trace, the
// backbone of the decision chain (OB-2.1).
//
// # Usage
//
//	p, err := telemetry.Setup(cfg.Telemetry, os.Stdout)
//	if err != nil {
//		return err
//	}
//	defer p.Shutdown(context.Background())
//	verdicts, err := telemetry.NewVerdicts(p.Meter)
//	if err != nil {
//		return err
//	}
//	verdicts.Add(ctx, "tool-allowlist", "EC-1.2", "researcher", "block")
//
//	tp, ts := telemetry.Inject(ctx)                        // sender
//	ctx = telemetry.Extract(context.Background(), tp, ts) // receiver
package telemetry
