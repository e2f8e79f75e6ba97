//go:build !unix

package audit

import (
	"fmt"
	"os"
	"path/filepath"
)

// lockName is the lock file in a log directory. It holds no data.
const lockName = "LOCK"

// lockDir opens dir's lock file. These platforms have no flock, so the
// directory is not locked against a second writer: running only one Log
// per directory is then up to the operator.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: lock dir: %w", err)
	}
	return f, nil
}
