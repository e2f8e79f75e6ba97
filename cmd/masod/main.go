// Command masod is the MASO runtime daemon: it runs one node (the agents,
// the orchestrator, the signed bus and the decision log) and serves the
// admin API. Run "masod -h" for its flags; see package daemon for details.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/maso-runtime/maso/cmd/masod/internal/daemon"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := daemon.Run(ctx, os.Args[1:], daemon.IO{Stdout: os.Stdout, Stderr: os.Stderr}, version)
	stop()
	os.Exit(code)
}
