package registry_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/maso-runtime/maso/registry"
)

// Start an embedded etcd, connect, and move the PACE phase.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "registry-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	quiet := slog.New(slog.DiscardHandler)

	etcd, err := registry.StartEmbedded(ctx, dir, quiet)
	if err != nil {
		panic(err)
	}
	defer etcd.Close()
	reg, err := registry.Connect(ctx, registry.Config{Endpoints: etcd.Endpoints(), Logger: quiet})
	if err != nil {
		panic(err)
	}
	defer reg.Close()

	cur, _ := reg.Phase(ctx)
	next := registry.PhaseState{Phase: registry.PhaseAlternate, Epoch: cur.Epoch + 1, Agent: "intake", Auto: true, Reason: "drift 72"}
	if err := reg.CASPhase(ctx, cur, next); err != nil {
		panic(err)
	}
	err = reg.CASPhase(ctx, cur, next) // cur is stale now
	now, _ := reg.Phase(ctx)
	fmt.Println(now.Phase, now.Epoch, now.Agent)
	fmt.Println(err)
	// Output:
	// alternate 1 intake
	// registry: conflict: phase is alternate at epoch 1, not epoch 0
}

// An approval binds a human decision to one exact action by its hash.
func ExampleActionHash() {
	action := []byte(`{"tool":"claims.write","args":{"claim":"C-1"}}`)
	fmt.Println(len(registry.ActionHash(action)))
	// Output: 64
}
