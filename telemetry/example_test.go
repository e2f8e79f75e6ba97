package telemetry_test

import (
	"context"
	"fmt"

	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/telemetry"
)

func ExampleVerdicts() {
	ctx := context.Background()
	p, err := telemetry.Setup(config.Telemetry{Traces: "none", Metrics: "none"}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Shutdown(ctx)

	v, err := telemetry.NewVerdicts(p.Meter)
	if err != nil {
		fmt.Println(err)
		return
	}
	v.Add(ctx, "tool-allowlist", "EC-1.2", "researcher", "block")
	v.Add(ctx, "tool-allowlist", "EC-1.2", "researcher", "block")

	counts, err := telemetry.Counts(ctx, p.Reader)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(counts["EC-1.2/researcher/block"])
	// Output: 2
}

func ExampleExtract() {
	parent := "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	ctx := telemetry.Extract(context.Background(), parent, "")

	// A node that forwards the message injects the same trace context.
	tp, _ := telemetry.Inject(ctx)
	fmt.Println(tp == parent)
	// Output: true
}
