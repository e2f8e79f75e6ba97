package actors

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/tools"
	"github.com/maso-runtime/maso/tools/sandbox"
)

// MCPCaller calls a tool of an allow-listed MCP server, refusing a tool
// whose description changed since it was pinned (tools/mcp implements it).
type MCPCaller interface {
	Call(ctx context.Context, rt tools.MCPRuntime, args json.RawMessage) (json.RawMessage, error)
}

// execute runs the tool in its runtime under its time limit, checks the
// result against the manifest and records the outcome.
func (c *gateCall) execute(ctx context.Context) (json.RawMessage, error) {
	limit := c.m.MaxDuration.Duration
	if limit <= 0 {
		limit = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	start := time.Now()
	out, detail, err := c.dispatch(ctx)
	if err == nil {
		if verr := c.t.validateResult(out); verr != nil {
			err = fmt.Errorf("result does not match the manifest: %w", verr)
		} else if serr := c.g.sys.screenResult(out); serr != nil {
			err = serr
		}
	}
	c.recordOutcome(ctx, time.Since(start), detail, err)
	if err != nil {
		return nil, fmt.Errorf("actors: tool %s failed: %w", c.name, err)
	}
	return out, nil
}

// dispatch runs the tool where its manifest says.
func (c *gateCall) dispatch(ctx context.Context) (json.RawMessage, string, error) {
	switch c.m.Runtime {
	case "go":
		v, err := c.t.impl(ctx, ToolCall{Agent: c.agent, TaskID: c.task.ID, Tool: c.name, Args: c.args})
		if err != nil {
			return nil, "in-process", err
		}
		out, err := marshalPayload(v)
		return out, "in-process", err
	case "process":
		return c.runProcess(ctx)
	case "wasm":
		return c.runWasm(ctx)
	case "mcp":
		if c.g.sys.deps.MCP == nil {
			return nil, "mcp", fmt.Errorf("no MCP servers are configured")
		}
		out, err := c.g.sys.deps.MCP.Call(ctx, *c.m.MCP, c.args)
		return out, "mcp " + c.m.MCP.Server, err
	}
	return nil, "", fmt.Errorf("unknown runtime %q", c.m.Runtime)
}

// runProcess runs a process tool in a fresh bubblewrap sandbox: the
// arguments on stdin, the result JSON on stdout (EC-2.2).
func (c *gateCall) runProcess(ctx context.Context) (json.RawMessage, string, error) {
	p := c.m.Process
	cmd := append([]string{c.resolve(p.Command[0])}, p.Command[1:]...)
	mounts := make([]sandbox.Mount, 0, len(p.Mounts)+1)
	if !filepath.IsAbs(p.Command[0]) {
		mounts = append(mounts, sandbox.Mount{Host: cmd[0], Sandbox: cmd[0]})
	}
	for _, m := range p.Mounts {
		mounts = append(mounts, sandbox.Mount{Host: c.resolve(m.Host), Sandbox: m.Sandbox, Writable: m.Writable})
	}
	res, err := sandbox.Process(ctx, sandbox.ProcessSpec{Command: cmd, Stdin: c.args, Mounts: mounts, Hosts: p.Hosts,
		Limits: c.limits(p.Limits)})
	return sandboxResult(res, err)
}

// runWasm runs a wasm tool in wazero with only its declared directories.
func (c *gateCall) runWasm(ctx context.Context) (json.RawMessage, string, error) {
	w := c.m.Wasm
	path := c.resolve(w.Module)
	mod, err := os.ReadFile(path)
	if err != nil {
		return nil, "wasm", err
	}
	if sum := hashHex(mod); sum != w.SHA256 {
		return nil, "wasm", fmt.Errorf("%w: module %s has sha256 %s, the manifest pins %s", tools.ErrIntegrity, path, sum, w.SHA256)
	}
	dirs := make([]sandbox.Mount, 0, len(w.Dirs))
	for _, d := range w.Dirs {
		dirs = append(dirs, sandbox.Mount{Host: c.resolve(d.Host), Sandbox: d.Sandbox, Writable: d.Writable})
	}
	res, err := sandbox.Wasm(ctx, sandbox.WasmSpec{Module: mod, Stdin: c.args, Dirs: dirs, Limits: c.limits(w.Limits)})
	return sandboxResult(res, err)
}

func (c *gateCall) limits(l tools.Limits) sandbox.Limits {
	return sandbox.Limits{Timeout: c.m.MaxDuration.Duration, CPUTime: l.CPUTime.Duration, MemoryBytes: l.MemoryBytes,
		Processes: l.Processes, OutputBytes: l.OutputBytes, FileSize: l.FileBytes}
}

// resolve makes a manifest-relative path absolute.
func (c *gateCall) resolve(p string) string {
	if filepath.IsAbs(p) || c.t.dir == "" {
		return p
	}
	return filepath.Join(c.t.dir, p)
}

// sandboxResult turns a sandbox outcome into the tool's result: stdout must
// be JSON; a kill or a non-zero exit is a failure naming why.
func sandboxResult(res sandbox.Result, err error) (json.RawMessage, string, error) {
	detail := fmt.Sprintf("sandbox exit %d in %s", res.ExitCode, res.Duration.Round(time.Millisecond))
	if res.Killed != "" {
		detail += ", killed: " + res.Killed
	}
	switch {
	case err != nil:
		return nil, detail, err
	case res.Killed != "":
		return nil, detail, fmt.Errorf("sandbox killed the tool (%s)", res.Killed)
	case res.ExitCode != 0:
		return nil, detail, fmt.Errorf("exit status %d: %s", res.ExitCode, truncate(string(res.Stderr), 512))
	case !json.Valid(res.Stdout):
		return nil, detail, fmt.Errorf("the tool's output is not JSON")
	}
	return json.RawMessage(res.Stdout), detail, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// recordOutcome writes the tool's outcome (and sandbox result) to the log.
func (c *gateCall) recordOutcome(ctx context.Context, d time.Duration, detail string, err error) {
	ev := audit.Event{Type: "tool.result", Verdict: "pass", Controls: []string{"EC-2.2", "OB-1.1"}, Agent: c.agent,
		Node: c.g.sys.node, TaskID: c.task.ID, Reason: detail,
		Attrs: map[string]string{"tool": c.name, "runtime": c.m.Runtime, "duration_ms": fmt.Sprintf("%.3f", float64(d.Microseconds())/1000)}}
	if err != nil {
		ev.Verdict, ev.Reason = "block", detail+": "+err.Error()
	}
	if e := c.g.sys.rec.Event(ctx, ev); e != nil {
		c.g.sys.log.Error("decision log append failed", "err", e)
	}
}
