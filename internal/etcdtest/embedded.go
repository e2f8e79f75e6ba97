package etcdtest

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/maso-runtime/maso/registry"
)

// Embedded starts an embedded single-member etcd in t.TempDir() and
// returns its client endpoints. It is stopped at cleanup.
func Embedded(t testing.TB) []string {
	t.Helper()
	e, err := registry.StartEmbedded(context.Background(), t.TempDir(), Logger(t))
	if err != nil {
		t.Fatalf("etcdtest: embedded etcd: %v", err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e.Endpoints()
}

// Logger returns a logger that writes warnings and errors to t.Log until
// the test's cleanup, and drops them afterwards (background goroutines
// may outlive the test by a moment).
func Logger(t testing.TB) *slog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(w.stop)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// testWriter forwards writes to t.Log while the test runs.
type testWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

func (w *testWriter) stop() {
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
}
