//go:build !linux

package sandbox

import (
	"fmt"
	"os"
	"runtime"

	experimentalsys "github.com/tetratelabs/wazero/experimental/sys"
)

// writableFS refuses: a confined writable directory reopens files through
// /proc/self/fd, which only Linux has. Read-only directories work
// everywhere.
func writableFS(*os.Root) (experimentalsys.FS, error) {
	return nil, fmt.Errorf("%w: writable wasm directories need Linux (GOOS=%s)", ErrUnavailable, runtime.GOOS)
}
