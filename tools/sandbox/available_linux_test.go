package sandbox

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// Not parallel: these swap the package's program paths, and run before
// the parallel tests start.

func TestAvailableReportsMissingBubblewrap(t *testing.T) {
	saved := bwrapPath
	bwrapPath = filepath.Join(t.TempDir(), "no-such-bwrap")
	t.Cleanup(func() { bwrapPath = saved })
	err := Available()
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "install bubblewrap") {
		t.Fatalf("Available() = %v; want ErrUnavailable telling to install bubblewrap", err)
	}
	if _, err := Process(context.Background(), ProcessSpec{Command: sh("true")}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Process without bwrap: err = %v, want ErrUnavailable", err)
	}
}

func TestAvailableReportsMissingPrlimit(t *testing.T) {
	saved := prlimitPath
	prlimitPath = filepath.Join(t.TempDir(), "no-such-prlimit")
	t.Cleanup(func() { prlimitPath = saved })
	if err := Available(); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "util-linux") {
		t.Fatalf("Available() = %v; want ErrUnavailable naming util-linux", err)
	}
}

func TestAvailable(t *testing.T) {
	if err := Available(); err != nil {
		t.Fatalf("Available() = %v (make test-deps installs bubblewrap)", err)
	}
}
