package daemon

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/internal/etcdtest"
	"github.com/maso-runtime/maso/registry"
)

// TestRunWithExternalEtcd: --etcd-endpoints points masod at an etcd cluster
// instead of the embedded one; the node registers its agents there.
func TestRunWithExternalEtcd(t *testing.T) {
	endpoints := etcdtest.Embedded(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	dataDir := t.TempDir()
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"--data-dir", dataDir, "--admin-addr", "127.0.0.1:0",
			"--etcd-endpoints", strings.Join(endpoints, ",")}, IO{Stdout: &bytes.Buffer{}, Stderr: &stderr}, "test")
	}()
	reg, err := registry.Connect(ctx, registry.Config{Endpoints: endpoints})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		agents, err := reg.Agents(ctx)
		if err == nil && len(agents) >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no agents registered in the external etcd (%v):\n%s", err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
}
