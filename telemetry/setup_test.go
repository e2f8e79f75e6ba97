package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/maso-runtime/maso/config"
)

func TestSetupNone(t *testing.T) {
	var out bytes.Buffer
	p, err := Setup(config.Telemetry{Traces: "none", Metrics: "none"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	_, span := p.Tracer.Tracer("test").Start(context.Background(), "op")
	if span.IsRecording() || span.SpanContext().IsValid() {
		t.Error("no-op tracer produced a recording span")
	}
	span.End()
	if p.Reader == nil || p.Meter == nil {
		t.Fatal("meter provider or reader missing")
	}
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatalf("second Shutdown: %v", err)
	}
	if out.Len() != 0 {
		t.Fatalf("none wrote output: %q", out.String())
	}
}

func TestSetupEmptyMeansNone(t *testing.T) {
	p, err := Setup(config.Telemetry{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	_, span := p.Tracer.Tracer("test").Start(context.Background(), "op")
	if span.IsRecording() {
		t.Error("empty traces setting gave a recording tracer")
	}
}

func TestSetupStdout(t *testing.T) {
	var out bytes.Buffer
	p, err := Setup(config.Telemetry{Traces: "stdout", Metrics: "stdout", ServiceName: "claims"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	ctx, span := p.Tracer.Tracer("test").Start(context.Background(), "guard.check")
	if !span.IsRecording() {
		t.Fatal("stdout tracer is not recording")
	}
	span.End()
	v, err := NewVerdicts(p.Meter)
	if err != nil {
		t.Fatal(err)
	}
	v.Add(ctx, "dlp", "DP-2.1", "writer", "block")
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{`"Name":"guard.check"`, `"Value":"claims"`, `"Name":"maso.guard.verdicts"`} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %s:\n%s", want, text)
		}
	}
	for line := range strings.Lines(text) {
		if !json.Valid([]byte(line)) {
			t.Errorf("output line is not one JSON object (pretty printing on?): %q", line)
		}
	}
}

func TestSetupRejectsUnknownExporter(t *testing.T) {
	tests := []struct {
		cfg  config.Telemetry
		want string
	}{
		{config.Telemetry{Traces: "jaeger"}, `telemetry: invalid configuration: traces "jaeger" (allowed: none, stdout)`},
		{config.Telemetry{Metrics: "prometheus"}, `telemetry: invalid configuration: metrics "prometheus" (allowed: none, stdout)`},
	}
	for _, tt := range tests {
		p, err := Setup(tt.cfg, nil)
		if p != nil || !errors.Is(err, ErrConfig) || err.Error() != tt.want {
			t.Errorf("Setup(%+v) = %v, %v; want %s", tt.cfg, p, err, tt.want)
		}
	}
}
