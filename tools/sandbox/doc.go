// Package sandbox runs tool code in a fresh, bounded sandbox per call
// (MASO EC-2.2): filesystem, network and process bounds, destroyed when
// the call returns.
//
// # Overview
//
// Two kinds of code run here.
//
//   - Process runs a program under bubblewrap (Debian's bwrap) in new
//     user, pid, ipc, uts, cgroup, mount and network namespaces. The
//     sandbox sees /usr, /bin, /sbin and /lib* read-only, the declared
//     Mounts, a private /proc, a minimal /dev, private tmpfs /tmp and
//     /work, and an /etc holding only hosts, nsswitch.conf and (if the
//     host has it) alternatives. It cannot create user namespaces of its
//     own. Its environment is Env plus PATH (and PWD). When the call
//     returns every process in it is gone and nothing it wrote outside a
//     writable Mount remains.
//   - Wasm runs a WASI preview1 command module in wazero's interpreter, in
//     a runtime created for the call. The module sees its Args, Env,
//     Stdin, the host clocks, a random source and the declared Dirs, each
//     confined with os.Root so that neither ".." nor a symlink leads out.
//     It cannot create symlinks. There is no network.
//
// # Limits
//
// Limits bounds each call. For Process they are applied inside the
// sandbox by prlimit(1) (util-linux), which sits between bwrap and the
// command: RLIMIT_AS (MemoryBytes), RLIMIT_CPU (CPUTime, SIGXCPU then
// SIGKILL a second later), RLIMIT_NPROC (Processes), RLIMIT_FSIZE
// (FileSize; also the size of each tmpfs) and no core dumps. The wall
// clock (Timeout) is enforced from outside: bwrap runs in its own
// process group, which is SIGKILLed at the deadline. bwrap's sandboxed
// child dies with it (--die-with-parent) and takes the pid namespace,
// and so every process in it, along. Output beyond OutputBytes on
// either stream kills the sandbox too.
//
// RLIMIT_NPROC does not bind root. When the caller is root, bwrap runs
// as uid and gid 65534 (nobody), so the limit holds and the sandbox owns
// none of root's files. Mount sources must then be readable (writable
// ones writable) by 65534, including search permission on every parent
// directory. A non-root caller's sandbox runs as that caller. Either
// way RLIMIT_NPROC counts the processes in the sandbox's own user
// namespace, so concurrent sandboxes do not share the budget.
//
// Result.Killed names what stopped a call: "timeout" (and ErrTimeout),
// "output", "cpu" (SIGXCPU, or SIGKILL after the CPU budget was used) or
// "memory". RLIMIT_AS sends no signal: an allocation fails, so "memory"
// means the command failed and its stderr names an allocation failure,
// which is how common runtimes report it. In Wasm the memory cap is
// exact and reported exactly. See README.md for what each limit does not
// bound.
//
// # Network
//
// With Hosts empty the sandbox has a network namespace with only a
// loopback interface: nothing outside it is reachable. With Hosts set it
// still has only loopback, and the caller places one TCP listener per
// entry inside that namespace (it needs root: the listener is created
// from a thread that joins the namespace). Each accepted connection is
// relayed to that entry, dialled from the host. An entry is an IPv4
// loopback literal ("127.0.0.1:8080", reachable inside at the same
// address), "localhost:port", or a DNS name ("api.example.com:443"),
// which the sandbox's /etc/hosts maps to its own 127.77.0.x address and
// the host resolves at connect time. Other IP literals are refused:
// there is no route to them inside. Only TCP is relayed, at most 32
// connections at a time per sandbox. Anything not listed has nothing to
// connect to.
//
// # Usage
//
//	if err := sandbox.Available(); err != nil {
//		return err // wraps ErrUnavailable: install bubblewrap
//	}
//	res, err := sandbox.Process(ctx, sandbox.ProcessSpec{
//		Command: []string{"/usr/bin/python3", "/tool/lookup.py"},
//		Stdin:   args, // the tool call's JSON arguments
//		Mounts:  []sandbox.Mount{{Host: "/srv/tools/lookup", Sandbox: "/tool"}},
//		Hosts:   []string{"127.0.0.1:8200"},
//		Limits:  sandbox.Limits{Timeout: 5 * time.Second, MemoryBytes: 512 << 20},
//	})
//	switch {
//	case errors.Is(err, sandbox.ErrTimeout): // res holds the output so far
//	case err != nil: // ErrSpec, ErrUnavailable, ctx, bwrap setup
//	case res.Killed != "": // "memory", "cpu" or "output"
//	case res.ExitCode != 0: // the tool failed
//	}
//
// Wasm takes the module's bytes instead of a command:
//
//	res, err := sandbox.Wasm(ctx, sandbox.WasmSpec{Module: wasm, Stdin: args,
//		Limits: sandbox.Limits{Timeout: time.Second, MemoryBytes: 64 << 20}})
package sandbox
