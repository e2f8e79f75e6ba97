package mcp

import "errors"

// Sentinel errors. Every error a [Registry] returns wraps one of them (or,
// for bad arguments and manifests, one of the tools package's), so callers
// can match with [errors.Is].
var (
	// ErrNotAllowed: the server is not on the allow-list (SC-2.3), or an
	// allow-listed HTTP server redirected elsewhere. Nothing was sent to
	// the server that was refused.
	ErrNotAllowed = errors.New("mcp: server not on the allow-list")
	// ErrDescriptionChanged: the tool the server advertises no longer
	// matches the hash its manifest pins (a rug-pull, SC-2.4). The tool was
	// not called. The error also wraps tools.ErrIntegrity.
	ErrDescriptionChanged = errors.New("mcp: tool description changed since approval")
	// ErrUnavailable: the server could not be reached, its session broke,
	// it could not list its tools, or the registry is closed.
	ErrUnavailable = errors.New("mcp: server unavailable")
	// ErrUnknownTool: the server does not advertise a tool of that name.
	ErrUnknownTool = errors.New("mcp: tool not advertised by the server")
	// ErrToolFailed: the server answered the call with an error, or the
	// tool reported one (isError).
	ErrToolFailed = errors.New("mcp: tool call failed")
	// ErrInvalidConfig: the server list given to [NewRegistry] is invalid.
	ErrInvalidConfig = errors.New("mcp: invalid server list")
)
