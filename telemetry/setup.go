package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/maso-runtime/maso/config"
)

// Sentinel errors.
var (
	// ErrConfig reports an unknown exporter name.
	ErrConfig = errors.New("telemetry: invalid configuration")
	// ErrExporter reports that an exporter could not be created.
	ErrExporter = errors.New("telemetry: cannot create exporter")
)

// Exporter names accepted in [config.Telemetry].
const (
	ExporterNone   = "none"
	ExporterStdout = "stdout"
)

// Providers holds the tracer and meter providers of one node.
type Providers struct {
	Tracer trace.TracerProvider
	Meter  metric.MeterProvider
	// Reader is always present so tests and the admin API can read the
	// current counter values, see [Counts].
	Reader *sdkmetric.ManualReader
	// Shutdown flushes and stops every exporter. Calls after the first
	// return the first call's result.
	Shutdown func(context.Context) error
}

// Setup builds providers from cfg. Traces "none" (or empty) gives a no-op
// tracer provider that records nothing; "stdout" gives an SDK provider
// batching spans to w as one JSON object per line. Metrics always use an
// SDK meter provider with a manual reader; "stdout" adds a periodic reader
// exporting to w. A nil w means standard output. Setup sets no globals.
func Setup(cfg config.Telemetry, w io.Writer) (*Providers, error) {
	traces, err := exporterName("traces", cfg.Traces)
	if err != nil {
		return nil, err
	}
	metrics, err := exporterName("metrics", cfg.Metrics)
	if err != nil {
		return nil, err
	}
	if w == nil {
		w = os.Stdout
	}
	w = &lockedWriter{w: w}
	res := newResource(cfg.ServiceName)

	tp, stopTraces, err := tracerProvider(traces, w, res)
	if err != nil {
		return nil, err
	}
	mp, reader, err := meterProvider(metrics, w, res)
	if err != nil {
		return nil, errors.Join(err, stopTraces(context.Background()))
	}
	return &Providers{
		Tracer:   tp,
		Meter:    mp,
		Reader:   reader,
		Shutdown: once(stopTraces, mp.Shutdown),
	}, nil
}

// exporterName checks an exporter setting; empty means none.
func exporterName(field, v string) (string, error) {
	switch v {
	case "", ExporterNone:
		return ExporterNone, nil
	case ExporterStdout:
		return v, nil
	}
	allowed := strings.Join([]string{ExporterNone, ExporterStdout}, ", ")
	return "", fmt.Errorf("%w: %s %q (allowed: %s)", ErrConfig, field, v, allowed)
}

func newResource(service string) *resource.Resource {
	if service == "" {
		service = config.DefaultServiceName
	}
	return resource.NewWithAttributes(semconv.SchemaURL, semconv.ServiceName(service))
}

// tracerProvider returns the tracer provider and its shutdown function.
func tracerProvider(name string, w io.Writer, res *resource.Resource) (trace.TracerProvider, func(context.Context) error, error) {
	if name == ExporterNone {
		return noop.NewTracerProvider(), func(context.Context) error { return nil }, nil
	}
	exp, err := stdouttrace.New(stdouttrace.WithWriter(w))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: stdout traces: %w", ErrExporter, err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	return tp, tp.Shutdown, nil
}

// meterProvider returns an SDK meter provider and its manual reader.
func meterProvider(name string, w io.Writer, res *resource.Resource) (*sdkmetric.MeterProvider, *sdkmetric.ManualReader, error) {
	reader := sdkmetric.NewManualReader()
	opts := []sdkmetric.Option{sdkmetric.WithResource(res), sdkmetric.WithReader(reader)}
	if name == ExporterStdout {
		exp, err := stdoutmetric.New(stdoutmetric.WithWriter(w))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: stdout metrics: %w", ErrExporter, err)
		}
		opts = append(opts, sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp)))
	}
	return sdkmetric.NewMeterProvider(opts...), reader, nil
}

// once combines shutdown functions into one that runs them a single time.
func once(fns ...func(context.Context) error) func(context.Context) error {
	var (
		o   sync.Once
		err error
	)
	return func(ctx context.Context) error {
		o.Do(func() {
			errs := make([]error, 0, len(fns))
			for _, fn := range fns {
				errs = append(errs, fn(ctx))
			}
			err = errors.Join(errs...)
		})
		return err
	}
}

// lockedWriter serialises writes from the trace and metric exporters,
// which run on different goroutines but may share one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
