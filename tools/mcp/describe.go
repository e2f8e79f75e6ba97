package mcp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// maxListPages bounds how many pages of tools/list are read from one
// server, so a server cannot keep the gate paging forever.
const maxListPages = 100

// Describe returns the description of a tool as the server advertises it
// and the hex SHA-256 that pins it. The hash is not over desc alone: it
// is over the tool's canonical document (see [ToolDocument]), so a
// change of name, description or input schema changes it. The tool list
// may come from a cache younger than [DescriptionTTL].
func (r *Registry) Describe(ctx context.Context, server, tool string) (desc string, sha string, err error) {
	t, doc, err := r.tool(ctx, server, tool, false)
	if err != nil {
		return "", "", err
	}
	return t.Description, hashHex(doc), nil
}

// Pin fetches the server's tool list afresh and returns the hex SHA-256
// to put in the tool's manifest (mcp.description_sha256). Operators run
// it when a tool is vetted; [Registry.Call] refuses the tool once what
// the server advertises no longer hashes to it.
func (r *Registry) Pin(ctx context.Context, server, tool string) (string, error) {
	_, doc, err := r.tool(ctx, server, tool, true)
	if err != nil {
		return "", err
	}
	return hashHex(doc), nil
}

// ToolDocument returns the bytes a pin hashes: the JSON object
//
//	{"description":…,"input_schema":…,"name":…}
//
// holding the tool's name, description and inputSchema as advertised,
// with object keys sorted at every level, no insignificant whitespace and
// no HTML escaping ('<', '>' and '&' stay as they are). Numbers in the
// schema are written as encoding/json writes the float64 they decode to.
// A missing schema is null. Title, annotations, output schema, icons and
// _meta are not covered.
func ToolDocument(t *sdk.Tool) ([]byte, error) {
	raw, err := json.Marshal(t.InputSchema)
	if err != nil {
		return nil, fmt.Errorf("mcp: tool %q: input schema: %w", t.Name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var schema any
	if err := dec.Decode(&schema); err != nil {
		return nil, fmt.Errorf("mcp: tool %q: input schema: %w", t.Name, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	doc := map[string]any{"name": t.Name, "description": t.Description, "input_schema": schema}
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("mcp: tool %q: %w", t.Name, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// tool finds one tool on an allow-listed server and its canonical
// document; fresh bypasses the cache.
func (r *Registry) tool(ctx context.Context, server, name string, fresh bool) (*sdk.Tool, []byte, error) {
	e, err := r.lookup(server)
	if err != nil {
		return nil, nil, err
	}
	list, err := r.tools(ctx, e, fresh)
	if err != nil {
		return nil, nil, err
	}
	t, ok := list[name]
	if !ok {
		return nil, nil, fmt.Errorf("%w: server %q tool %q", ErrUnknownTool, server, name)
	}
	doc, err := ToolDocument(t)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: server %q: %w", ErrUnavailable, server, err)
	}
	return t, doc, nil
}

// tools returns the server's tools by name, from the cache when it is
// younger than the TTL and fresh is false.
func (r *Registry) tools(ctx context.Context, e *entry, fresh bool) (map[string]*sdk.Tool, error) {
	if !fresh {
		e.mu.Lock()
		list, at := e.tools, e.listedAt
		e.mu.Unlock()
		if list != nil && r.now().Sub(at) < r.ttl {
			return list, nil
		}
	}
	e.mu.Lock()
	gen := e.gen
	e.mu.Unlock()
	var list map[string]*sdk.Tool
	var from *sdk.ClientSession
	err := r.do(ctx, e, func(error) bool { return true }, func(cs *sdk.ClientSession) error {
		var err error
		list, err = listTools(ctx, cs)
		from = cs
		return err
	})
	if err != nil {
		if !errors.Is(err, ErrUnavailable) { // the server answered with an error
			err = fmt.Errorf("%w: server %q: listing tools: %w", ErrUnavailable, e.srv.Name, err)
		}
		return nil, err
	}
	e.mu.Lock()
	// Cache only if the session was not replaced and the server did not
	// announce a change while the list was in flight.
	if e.cs == from && e.gen == gen {
		e.tools, e.listedAt = list, r.now()
	}
	e.mu.Unlock()
	return list, nil
}

// errBadList: the server answered tools/list, but with a list the gate
// cannot use.
var errBadList = errors.New("mcp: unusable tool list")

// listTools reads every page of tools/list.
func listTools(ctx context.Context, cs *sdk.ClientSession) (map[string]*sdk.Tool, error) {
	list := map[string]*sdk.Tool{}
	params := &sdk.ListToolsParams{}
	for range maxListPages {
		res, err := cs.ListTools(ctx, params)
		if err != nil {
			return nil, err
		}
		for _, t := range res.Tools {
			if _, dup := list[t.Name]; dup {
				return nil, fmt.Errorf("%w: tool %q is listed twice", errBadList, t.Name)
			}
			list[t.Name] = t
		}
		if res.NextCursor == "" {
			return list, nil
		}
		params = &sdk.ListToolsParams{Cursor: res.NextCursor}
	}
	return nil, fmt.Errorf("%w: more than %d pages", errBadList, maxListPages)
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
