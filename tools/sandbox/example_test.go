package sandbox_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/maso-runtime/maso/tools/sandbox"
)

func ExampleWasm() {
	module, err := os.ReadFile("tool.wasm") // a WASI preview1 command
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := sandbox.Wasm(context.Background(), sandbox.WasmSpec{
		Module: module,
		Args:   []string{"--format", "json"},
		Stdin:  []byte(`{"claim":"c-1"}`),
		Dirs:   []sandbox.Mount{{Host: "/srv/policies", Sandbox: "/policies"}},
		Limits: sandbox.Limits{Timeout: 2 * time.Second, MemoryBytes: 64 << 20},
	})
	switch {
	case errors.Is(err, sandbox.ErrTimeout):
		fmt.Println("stopped at the time limit")
	case err != nil:
		fmt.Println(err)
	default:
		fmt.Printf("exit %d: %s", res.ExitCode, res.Stdout)
	}
}
