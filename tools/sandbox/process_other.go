//go:build !linux

package sandbox

import (
	"context"
	"fmt"
	"runtime"
)

// Process validates spec and reports ErrUnavailable: the process sandbox
// is built on Linux namespaces (bubblewrap).
func Process(ctx context.Context, spec ProcessSpec) (Result, error) {
	if _, err := prepare(spec); err != nil {
		return Result{}, err
	}
	return Result{}, Available()
}

// Available reports ErrUnavailable: the process sandbox needs Linux.
func Available() error {
	return fmt.Errorf("%w: the process sandbox needs Linux namespaces and bubblewrap (GOOS=%s)", ErrUnavailable, runtime.GOOS)
}
