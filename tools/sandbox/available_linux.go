package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"time"
)

// probeTimeout bounds the trivial sandbox Available runs.
const probeTimeout = 10 * time.Second

// availability remembers which bwrap/prlimit pairs have worked.
var availability = struct {
	mu sync.Mutex
	ok map[string]bool
}{ok: map[string]bool{}}

// Available returns nil when Process can run here: bubblewrap and prlimit
// are installed and a trivial sandboxed command (/bin/true) runs and
// exits 0. Otherwise the error wraps ErrUnavailable and says what to
// install or enable. A success is remembered for the life of the
// process; a failure is checked again on the next call.
func Available() error {
	key := bwrapPath + "\x00" + prlimitPath
	availability.mu.Lock()
	defer availability.mu.Unlock()
	if availability.ok[key] {
		return nil
	}
	if err := probe(); err != nil {
		return err
	}
	availability.ok[key] = true
	return nil
}

func probe() error {
	if _, err := os.Stat(bwrapPath); err != nil {
		return fmt.Errorf("%w: bubblewrap not found (install bubblewrap, e.g. apt-get install bubblewrap): %w", ErrUnavailable, err)
	}
	if _, err := os.Stat(prlimitPath); err != nil {
		return fmt.Errorf("%w: prlimit not found (install util-linux): %w", ErrUnavailable, err)
	}
	p, err := prepare(ProcessSpec{Command: []string{"/bin/true"}, Limits: Limits{Timeout: probeTimeout}})
	if err != nil {
		return err
	}
	res, err := run(context.Background(), p)
	if err != nil || res.ExitCode != 0 {
		return fmt.Errorf("%w: bubblewrap cannot start a sandbox here (are user namespaces enabled?): exit %d, %q: %v",
			ErrUnavailable, res.ExitCode, bytes.TrimSpace(res.Stderr), err)
	}
	return nil
}
