// Package testlog gives tests a [slog.Logger] whose lines go to t.Log, so
// a failing test shows what the node logged and a passing one stays quiet.
package testlog

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// New returns a text logger at level writing to t.Log until the test ends;
// lines logged after that (by goroutines still stopping) are dropped, as
// testing forbids t.Log after a test completes.
func New(t testing.TB, level slog.Level) *slog.Logger {
	w := &writer{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		w.done = true
		w.mu.Unlock()
	})
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

type writer struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}
