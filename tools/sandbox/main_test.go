package sandbox

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if wasmBuild.dir != "" {
		os.RemoveAll(wasmBuild.dir)
	}
	os.Exit(code)
}

// wasmBuild is testdata/wasmprobe built for wasip1, once per test binary.
var wasmBuild struct {
	once   sync.Once
	dir    string
	module []byte
	err    error
}

// wasmProbe returns the probe module's bytes.
func wasmProbe(t *testing.T) []byte {
	t.Helper()
	wasmBuild.once.Do(func() {
		if wasmBuild.dir, wasmBuild.err = os.MkdirTemp("", "wasmprobe"); wasmBuild.err != nil {
			return
		}
		out := filepath.Join(wasmBuild.dir, "wasmBuild.wasm")
		cmd := exec.Command("go", "build", "-o", out, "./testdata/wasmprobe")
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
		if msg, err := cmd.CombinedOutput(); err != nil {
			wasmBuild.err = &buildError{err: err, output: string(msg)}
			return
		}
		wasmBuild.module, wasmBuild.err = os.ReadFile(out)
	})
	if wasmBuild.err != nil {
		t.Fatalf("build the wasip1 probe: %v", wasmBuild.err)
	}
	return wasmBuild.module
}

type buildError struct {
	err    error
	output string
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.output }

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
