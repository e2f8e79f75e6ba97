package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/maso-runtime/maso/tools"
)

// maxErrorText bounds how much of a tool's error text goes into an error.
const maxErrorText = 1024

// Call calls the tool rt names with args, a JSON object (empty means {}).
//
// First the server must be on the allow-list ([ErrNotAllowed]), and the
// tool it advertises must still hash to rt.DescriptionSHA256: otherwise
// the error wraps [ErrDescriptionChanged] and tools.ErrIntegrity, and the
// tool is not called (SC-2.4). The check uses the tool list cached for
// up to [DescriptionTTL]; a server could still swap the tool between the
// check and the call, which no client can rule out.
//
// The result is the call's structured content as JSON when the server
// sends one, and otherwise its text content joined with newlines, as a
// JSON string; images, audio and resources are not passed on. A result
// flagged isError, or an error answer from the server, wraps
// [ErrToolFailed]. A transport failure during the call wraps
// [ErrUnavailable]; the call is not retried, since the server may have
// run it, except when the server reports that it no longer knows the
// session.
func (r *Registry) Call(ctx context.Context, rt tools.MCPRuntime, args json.RawMessage) (json.RawMessage, error) {
	e, err := r.lookup(rt.Server)
	if err != nil {
		return nil, err
	}
	if rt.Tool == "" {
		return nil, fmt.Errorf("%w: server %q: mcp.tool is empty", tools.ErrInvalidManifest, rt.Server)
	}
	args, err = objectArgs(args)
	if err != nil {
		return nil, fmt.Errorf("%w: server %q tool %q: %w", tools.ErrSchema, rt.Server, rt.Tool, err)
	}
	if err := r.verify(ctx, rt); err != nil {
		return nil, err
	}
	var res *sdk.CallToolResult
	err = r.do(ctx, e, sessionMissing, func(cs *sdk.ClientSession) error {
		var err error
		res, err = cs.CallTool(ctx, &sdk.CallToolParams{Name: rt.Tool, Arguments: args})
		return err
	})
	switch {
	case err == nil:
	case errors.Is(err, ErrUnavailable):
		return nil, err
	case ctx.Err() != nil:
		return nil, fmt.Errorf("mcp: server %q tool %q: %w", rt.Server, rt.Tool, err)
	default:
		return nil, fmt.Errorf("%w: server %q tool %q: %w", ErrToolFailed, rt.Server, rt.Tool, err)
	}
	return result(rt, res)
}

// verify refuses the call unless the advertised tool hashes to the pin.
func (r *Registry) verify(ctx context.Context, rt tools.MCPRuntime) error {
	if rt.DescriptionSHA256 == "" {
		return fmt.Errorf("%w: server %q tool %q: no description hash pinned", ErrDescriptionChanged, rt.Server, rt.Tool)
	}
	_, doc, err := r.tool(ctx, rt.Server, rt.Tool, false)
	if err != nil {
		return err
	}
	if err := rt.VerifyDescription(string(doc)); err != nil {
		r.log.Error("mcp: tool description changed since approval; call refused", "control", "SC-2.4",
			"server", rt.Server, "tool", rt.Tool, "pinned", rt.DescriptionSHA256, "advertised", hashHex(doc))
		return fmt.Errorf("%w: %w", ErrDescriptionChanged, err)
	}
	return nil
}

// objectArgs checks that args is one JSON object; empty becomes {}.
func objectArgs(args json.RawMessage) (json.RawMessage, error) {
	trimmed := bytes.TrimSpace(args)
	if len(trimmed) == 0 {
		return json.RawMessage("{}"), nil
	}
	if trimmed[0] != '{' || !json.Valid(trimmed) {
		return nil, errors.New("arguments must be one JSON object")
	}
	return json.RawMessage(trimmed), nil
}

// result maps a tool result to JSON, or to an error when isError is set.
func result(rt tools.MCPRuntime, res *sdk.CallToolResult) (json.RawMessage, error) {
	text := joinText(res.Content)
	if res.IsError {
		text = clip(text, maxErrorText)
		return nil, fmt.Errorf("%w: server %q tool %q: %s", ErrToolFailed, rt.Server, rt.Tool, text)
	}
	var out any = text
	if res.StructuredContent != nil {
		out = res.StructuredContent
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("%w: server %q tool %q: result: %w", ErrToolFailed, rt.Server, rt.Tool, err)
	}
	return b, nil
}

// clip cuts s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func joinText(content []sdk.Content) string {
	var parts []string
	for _, c := range content {
		if t, ok := c.(*sdk.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// sessionMissing allows a tools/call to be retried on a new session only
// when the server refused the old session outright, so it cannot have
// run the call.
func sessionMissing(err error) bool {
	return errors.Is(err, sdk.ErrSessionMissing)
}

// JSON-RPC codes the SDK uses for its own transport failures rather than
// for answers from the server: client closing, server closing, and a
// request the transport could not deliver.
const (
	codeClientClosing = -32003
	codeServerClosing = -32004
	codeRejected      = -32005
)

// answered reports whether err is an error answer from the server (which
// proves the session works) rather than a failure of the transport.
func answered(err error) bool {
	if errors.Is(err, sdk.ErrConnectionClosed) || errors.Is(err, sdk.ErrSessionMissing) {
		return false
	}
	if errors.Is(err, errBadList) {
		return true
	}
	return hasServerError(err)
}

// hasServerError looks through err's whole tree for a JSON-RPC error
// whose code is not one of the transport's own.
func hasServerError(err error) bool {
	if we, ok := err.(*jsonrpc.Error); ok {
		switch we.Code {
		case codeClientClosing, codeServerClosing, codeRejected:
		default:
			return true
		}
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if next := u.Unwrap(); next != nil {
			return hasServerError(next)
		}
	case interface{ Unwrap() []error }:
		for _, next := range u.Unwrap() {
			if hasServerError(next) {
				return true
			}
		}
	}
	return false
}
