package sandbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"slices"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/experimental/sysfs"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

// WasmSpec is one WebAssembly execution.
type WasmSpec struct {
	// Module is a WASI preview1 command module (.wasm bytes).
	Module []byte
	// Args follow argv[0], which is "module".
	Args []string
	// Stdin is the module's standard input.
	Stdin []byte
	// Env is the module's whole environment.
	Env map[string]string
	// Dirs are the preopened directories, read-only unless Writable;
	// none by default. Mount.Sandbox is the guest path.
	Dirs []Mount
	// Limits: Timeout, MemoryBytes (linear memory, whole 64 KiB pages)
	// and OutputBytes apply; the others have no meaning for wasm.
	Limits Limits
}

// wasmArgv0 is the program name the module sees.
const wasmArgv0 = "module"

// Kill causes distinguish the sandbox's own cancellations from the
// caller's.
var (
	causeTimeout = errors.New("sandbox: wasm timeout")
	causeOutput  = errors.New("sandbox: wasm output limit")
)

// Wasm runs spec.Module in a fresh wazero runtime (the interpreter: no
// machine code is generated from the module) with WASI preview1 and
// nothing else: no network, no host files beyond spec.Dirs (confined: ".."
// and symlinks cannot leave them), the host's clocks and a
// cryptographic random source. The runtime, its memory and its compiled
// code are discarded when Wasm returns.
//
// A non-zero exit is not an error (Result.ExitCode). Errors are ErrSpec
// (the module does not compile, or needs more memory than allowed),
// ErrTimeout, the ctx's error, or a trap (with ExitCode -1).
func Wasm(ctx context.Context, spec WasmSpec) (Result, error) {
	lim, err := spec.Limits.withDefaults()
	if err != nil {
		return Result{}, err
	}
	fsc, closeDirs, err := wasmDirs(spec.Dirs)
	if err != nil {
		return Result{}, err
	}
	defer closeDirs()
	if err := validateEnv(spec.Env); err != nil {
		return Result{}, err
	}
	pages := wasmPages(lim.MemoryBytes)
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCloseOnContextDone(true))
	defer rt.Close(context.WithoutCancel(ctx))
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		return Result{}, fmt.Errorf("sandbox: wasi: %w", err)
	}
	compiled, err := rt.CompileModule(ctx, spec.Module)
	if err != nil {
		return Result{}, fmt.Errorf("%w: compile module: %w", ErrSpec, err)
	}
	if err := checkMemory(spec.Module, pages); err != nil {
		return Result{}, err
	}
	return runWasm(ctx, rt, compiled, spec, lim, fsc)
}

// runWasm instantiates the module, which runs its _start.
func runWasm(ctx context.Context, rt wazero.Runtime, compiled wazero.CompiledModule, spec WasmSpec, lim Limits, fsc wazero.FSConfig) (Result, error) {
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	runCtx, stop := context.WithTimeoutCause(runCtx, lim.Timeout, causeTimeout)
	defer stop()
	mem := &memoryCap{limit: uint64(wasmPages(lim.MemoryBytes)) * wasmPageSize}
	runCtx = experimental.WithMemoryAllocator(runCtx, mem)

	stdout := newCappedBuffer(lim.OutputBytes, func() { cancel(causeOutput) })
	stderr := newCappedBuffer(lim.OutputBytes, func() { cancel(causeOutput) })
	cfg := wazero.NewModuleConfig().
		WithName("").
		WithArgs(append([]string{wasmArgv0}, spec.Args...)...).
		WithStdin(bytes.NewReader(spec.Stdin)).
		WithStdout(stdout).
		WithStderr(stderr).
		WithFSConfig(fsc).
		WithSysWalltime().
		WithSysNanotime().
		WithSysNanosleep().
		WithRandSource(rand.Reader)
	for _, k := range slices.Sorted(maps.Keys(spec.Env)) {
		cfg = cfg.WithEnv(k, spec.Env[k])
	}
	start := time.Now()
	mod, err := rt.InstantiateModule(runCtx, compiled, cfg)
	if mod != nil {
		_ = mod.Close(context.WithoutCancel(ctx))
	}
	res := Result{Duration: time.Since(start)}
	var t1, t2 bool
	res.Stdout, t1 = stdout.result()
	res.Stderr, t2 = stderr.result()
	res.Truncated = t1 || t2
	return wasmOutcome(runCtx, res, err, mem.denied.Load(), lim)
}

// wasmOutcome fills in ExitCode and Killed from the instantiation error.
func wasmOutcome(runCtx context.Context, res Result, err error, denied bool, lim Limits) (Result, error) {
	var exit *sys.ExitError
	switch {
	case err == nil:
		res.ExitCode = 0
	case errors.As(err, &exit) && exit.ExitCode() != sys.ExitCodeDeadlineExceeded && exit.ExitCode() != sys.ExitCodeContextCanceled:
		res.ExitCode = int(exit.ExitCode())
	default:
		res.ExitCode = -1
		switch cause := context.Cause(runCtx); {
		case errors.Is(cause, causeTimeout):
			res.Killed = KilledTimeout
			return res, fmt.Errorf("%w after %s", ErrTimeout, lim.Timeout)
		case errors.Is(cause, causeOutput):
			res.Killed = KilledOutput
			return res, nil
		case cause != nil:
			return res, fmt.Errorf("sandbox: wasm stopped: %w", cause)
		}
	}
	if res.ExitCode != 0 && denied {
		res.Killed = KilledMemory
		return res, nil
	}
	if res.ExitCode == -1 {
		return res, fmt.Errorf("sandbox: wasm trap: %w", err)
	}
	return res, nil
}

// wasmDirs builds the preopens, each confined by an os.Root. The caller
// calls closeDirs when the module is done.
func wasmDirs(dirs []Mount) (fsc wazero.FSConfig, closeDirs func(), err error) {
	var roots []*os.Root
	closeDirs = func() {
		for _, r := range roots {
			r.Close()
		}
	}
	fsc = wazero.NewFSConfig()
	for _, d := range dirs {
		if !path.IsAbs(d.Sandbox) || path.Clean(d.Sandbox) != d.Sandbox {
			closeDirs()
			return nil, nil, fmt.Errorf("%w: wasm dir %q is not a clean absolute path", ErrSpec, d.Sandbox)
		}
		root, err := os.OpenRoot(d.Host)
		if err != nil {
			closeDirs()
			return nil, nil, fmt.Errorf("%w: wasm dir: %w", ErrSpec, err)
		}
		roots = append(roots, root)
		if !d.Writable {
			fsc = fsc.WithFSMount(root.FS(), d.Sandbox)
			continue
		}
		mount, err := writableFS(root)
		if err != nil {
			closeDirs()
			return nil, nil, err
		}
		fsc = fsc.(sysfs.FSConfig).WithSysFSMount(mount, d.Sandbox)
	}
	return fsc, closeDirs, nil
}
