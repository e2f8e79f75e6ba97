package telemetry

import (
	"context"
	"errors"
	"maps"
	"testing"

	"github.com/maso-runtime/maso/config"
)

func newTestVerdicts(t *testing.T) (*Verdicts, *Providers) {
	t.Helper()
	p, err := Setup(config.Telemetry{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	v, err := NewVerdicts(p.Meter)
	if err != nil {
		t.Fatal(err)
	}
	return v, p
}

func TestVerdictsCounts(t *testing.T) {
	v, p := newTestVerdicts(t)
	ctx := context.Background()
	v.Add(ctx, "allowlist", "EC-1.2", "researcher", "block")
	v.Add(ctx, "allowlist", "EC-1.2", "researcher", "block")
	v.Add(ctx, "allowlist", "EC-1.2", "researcher", "allow")
	v.Add(ctx, "allowlist", "EC-1.2", "writer", "block")
	v.Add(ctx, "dlp", "DP-2.1", "writer", "block")
	v.Add(ctx, "dlp-secondary", "DP-2.1", "writer", "block") // summed over guards

	got, err := Counts(ctx, p.Reader)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{
		"EC-1.2/researcher/block": 2,
		"EC-1.2/researcher/allow": 1,
		"EC-1.2/writer/block":     1,
		"DP-2.1/writer/block":     2,
	}
	if !maps.Equal(got, want) {
		t.Fatalf("Counts = %v, want %v", got, want)
	}
}

func TestVerdictsAddIsCheap(t *testing.T) {
	v, _ := newTestVerdicts(t)
	ctx := context.Background()
	v.Add(ctx, "allowlist", "EC-1.2", "researcher", "block")
	allocs := testing.AllocsPerRun(200, func() {
		v.Add(ctx, "allowlist", "EC-1.2", "researcher", "block")
	})
	if allocs != 0 {
		t.Fatalf("Add allocates %v times per call for a known combination", allocs)
	}
}

func TestVerdictsConcurrent(t *testing.T) {
	v, p := newTestVerdicts(t)
	ctx := context.Background()
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 100 {
				v.Add(ctx, "g", "IA-2.3", "a", "block")
			}
		}()
	}
	for range 8 {
		<-done
	}
	got, err := Counts(ctx, p.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if got["IA-2.3/a/block"] != 800 {
		t.Fatalf("count = %d, want 800", got["IA-2.3/a/block"])
	}
}

func TestVerdictsErrors(t *testing.T) {
	if _, err := NewVerdicts(nil); !errors.Is(err, ErrNilProvider) {
		t.Errorf("NewVerdicts(nil) = %v, want ErrNilProvider", err)
	}
	if _, err := Counts(context.Background(), nil); !errors.Is(err, ErrCollect) {
		t.Errorf("Counts(nil) = %v, want ErrCollect", err)
	}
	_, p := newTestVerdicts(t)
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := Counts(context.Background(), p.Reader); !errors.Is(err, ErrCollect) {
		t.Errorf("Counts after Shutdown = %v, want ErrCollect", err)
	}
}
