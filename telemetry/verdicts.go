package telemetry

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// Names used by the instruments of this package.
const (
	// ScopeName is the instrumentation scope of this package's meters.
	ScopeName = "github.com/maso-runtime/maso/telemetry"
	// VerdictsMetric is the guard verdict counter.
	VerdictsMetric = "maso.guard.verdicts"
)

// Attribute keys of [VerdictsMetric].
const (
	AttrControl = attribute.Key("control")
	AttrAgent   = attribute.Key("agent")
	AttrVerdict = attribute.Key("verdict")
	AttrGuard   = attribute.Key("guard")
)

var (
	// ErrNilProvider reports a nil meter provider.
	ErrNilProvider = errors.New("telemetry: nil meter provider")
	// ErrCollect reports that metrics could not be read.
	ErrCollect = errors.New("telemetry: cannot collect metrics")
)

// maxCachedSets bounds the attribute-set cache; combinations beyond it
// are still counted, just built on each call.
const maxCachedSets = 4096

// Verdicts counts guard verdicts per control ID, agent, verdict and guard,
// feeding anomaly scores and circuit breakers (OB-2.2, EC-2.4).
// It is safe for concurrent use.
type Verdicts struct {
	counter metric.Int64Counter

	mu   sync.RWMutex
	opts map[verdictKey][]metric.AddOption
}

type verdictKey struct{ guard, control, agent, verdict string }

// NewVerdicts creates the "maso.guard.verdicts" counter on m.
func NewVerdicts(m metric.MeterProvider) (*Verdicts, error) {
	if m == nil {
		return nil, ErrNilProvider
	}
	c, err := m.Meter(ScopeName).Int64Counter(VerdictsMetric,
		metric.WithUnit("{verdict}"),
		metric.WithDescription("Guard verdicts by MASO control, agent and verdict."))
	if err != nil {
		return nil, fmt.Errorf("telemetry: create %s: %w", VerdictsMetric, err)
	}
	return &Verdicts{counter: c, opts: make(map[verdictKey][]metric.AddOption)}, nil
}

// Add counts one verdict. Attribute sets are cached per combination, so
// a repeated combination costs a map lookup and the counter update.
func (v *Verdicts) Add(ctx context.Context, guard, control, agent, verdict string) {
	v.counter.Add(ctx, 1, v.options(verdictKey{guard, control, agent, verdict})...)
}

func (v *Verdicts) options(k verdictKey) []metric.AddOption {
	v.mu.RLock()
	o, ok := v.opts[k]
	v.mu.RUnlock()
	if ok {
		return o
	}
	o = []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(
		AttrControl.String(k.control),
		AttrAgent.String(k.agent),
		AttrVerdict.String(k.verdict),
		AttrGuard.String(k.guard),
	))}
	v.mu.Lock()
	if len(v.opts) < maxCachedSets {
		v.opts[k] = o
	}
	v.mu.Unlock()
	return o
}

// Counts reads r and returns the verdict totals keyed
// "control/agent/verdict", summed over guards.
func Counts(ctx context.Context, r *sdkmetric.ManualReader) (map[string]int64, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: nil reader", ErrCollect)
	}
	var rm metricdata.ResourceMetrics
	if err := r.Collect(ctx, &rm); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCollect, err)
	}
	out := make(map[string]int64)
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != ScopeName {
			continue
		}
		for _, m := range sm.Metrics {
			sum, ok := m.Data.(metricdata.Sum[int64])
			if m.Name != VerdictsMetric || !ok {
				continue
			}
			for _, dp := range sum.DataPoints {
				out[countKey(dp.Attributes)] += dp.Value
			}
		}
	}
	return out, nil
}

func countKey(s attribute.Set) string {
	c, _ := s.Value(AttrControl)
	a, _ := s.Value(AttrAgent)
	v, _ := s.Value(AttrVerdict)
	return c.AsString() + "/" + a.AsString() + "/" + v.AsString()
}
