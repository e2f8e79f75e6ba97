package registry_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/internal/etcdtest"
	"github.com/maso-runtime/maso/registry"
)

// connect returns a registry on eps with a key prefix of its own, so
// tests sharing a cluster do not see each other's keys.
func connect(t testing.TB, eps []string, edit ...func(*registry.Config)) *registry.Registry {
	t.Helper()
	cfg := registry.Config{
		Endpoints: eps,
		Prefix:    testPrefix(t),
		Logger:    etcdtest.Logger(t),
	}
	for _, f := range edit {
		f(&cfg)
	}
	r, err := registry.Connect(context.Background(), cfg)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// testPrefix is the key prefix connect gives t's registries.
func testPrefix(t testing.TB) string {
	return "/t/" + strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + "/"
}

// ctxT returns a context that ends with the test (or after d).
func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// waitFor polls cond every 20ms until it holds or timeout passes.
func waitFor(t testing.TB, timeout time.Duration, cond func() bool, format string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", timeout, fmt.Sprintf(format, args...))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitGoroutines waits until at most n goroutines run.
func waitGoroutines(t testing.TB, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, want <= %d:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// must fails the test on err.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
