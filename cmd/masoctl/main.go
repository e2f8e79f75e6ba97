// Command masoctl is the command-line client of masod's admin API. Run
// "masoctl help" for its commands; see package cli for details.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/maso-runtime/maso/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
