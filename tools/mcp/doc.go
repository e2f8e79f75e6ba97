// Package mcp is the runtime's gate to MCP (Model Context Protocol)
// servers: the allow-list of servers (SC-2.3) and the load-time integrity
// check of the tools they advertise (SC-2.4), on top of the official MCP
// Go SDK.
//
// # Overview
//
// A [Registry] holds the allow-listed servers, each a [Server] reached
// either over stdio (a command started as a child process, with an
// environment holding only PATH) or over streamable HTTP (a URL). The
// list comes from the system configuration, vetted by AI security; a
// server that is not on it is refused with [ErrNotAllowed] by every
// method, before anything is sent anywhere, and the refusal is logged
// with control=SC-2.3. An HTTP server that redirects to another origin
// is refused the same way.
//
// Sessions are opened on first use ([Registry.Connect] opens one
// eagerly) and shared by every caller of that server. A session that
// ends (the child exited, the HTTP session broke) is forgotten, and the
// next use opens a new one. A request that fails in transport is retried
// once on a new session when that is safe: always for tools/list, and
// for tools/call only when the server reports it no longer knows the
// session (it cannot have run the call). Otherwise the error wraps
// [ErrUnavailable].
//
// A tool of an MCP server is pinned in its signed manifest
// (tools.MCPRuntime.DescriptionSHA256) by the hex SHA-256 of its
// canonical document, [ToolDocument]:
//
//	{"description":"…","input_schema":{…},"name":"…"}
//
// the name, description and inputSchema the server advertises in
// tools/list, as compact JSON with keys sorted at every level and no
// HTML escaping. A new description or a changed schema changes the hash;
// title, annotations and output schema do not. [Registry.Pin] returns the
// hash to put in the manifest; [Registry.Describe] returns the current
// description and hash.
//
// [Registry.Call] checks the pin before every call: the advertised tool
// must still hash to it (via tools.MCPRuntime.VerifyDescription), or the
// call is refused with [ErrDescriptionChanged], which also wraps
// tools.ErrIntegrity, logged at error level with control=SC-2.4, and the
// tool is not called. To keep the gate fast a server's tool list is
// reused for [DescriptionTTL] (one second): a change is caught by the
// first call after the cached list expires, or at once when the server
// sends notifications/tools/list_changed. Pin always fetches afresh. (A
// server speaking protocol 2026-07-28 may also give its tool list a
// cache lifetime, ttlMs, which the SDK honours; such a server only
// delays the moment its own change is seen.)
//
// Connecting, listing and calling run under the caller's ctx, which
// should carry a deadline (the manifest's max_duration): a server that
// accepts a connection and never answers is not timed out otherwise.
//
// A call's result is its structured content as JSON if the server sends
// one, and otherwise its text content joined with newlines, as a JSON
// string. A result flagged isError, or an error answer from the server,
// wraps [ErrToolFailed].
//
// # Usage
//
//	reg, err := mcp.NewRegistry([]mcp.Server{
//		{Name: "crm", URL: "https://crm.internal.example/mcp"},
//		{Name: "files", Command: []string{"/opt/mcp/files-server", "--read-only"}},
//	}, log)
//	if err != nil { ... }
//	defer reg.Close()
//
//	// Operator, when vetting the tool ("masoctl tools pin"):
//	sha, err := reg.Pin(ctx, "crm", "lookup")
//	// manifest: runtime: mcp; mcp: {server: crm, tool: lookup, description_sha256: <sha>}
//
//	// Gate, at every invocation, with the approved manifest m:
//	out, err := reg.Call(ctx, *m.MCP, args)
//	switch {
//	case errors.Is(err, mcp.ErrNotAllowed): // SC-2.3: not on the allow-list
//	case errors.Is(err, mcp.ErrDescriptionChanged): // SC-2.4: rug-pull, block and alert
//	case errors.Is(err, mcp.ErrUnavailable): // server down: PACE fallback
//	case errors.Is(err, mcp.ErrToolFailed): // the tool reported an error
//	}
//
// The package name matches the SDK's; import one of them under another
// name, for example
//
//	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
package mcp
