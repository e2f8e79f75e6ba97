package tools

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Catalog holds the approved tool manifests (SC-1.3, SC-2.2). Approving a
// manifest verifies its signature and pins its hash; every invocation
// presents the manifest as it is now and [Catalog.Check] refuses it if
// the signature no longer verifies or the content differs from what was
// approved. A Catalog is safe for concurrent use.
type Catalog struct {
	keys map[string]ed25519.PublicKey

	mu    sync.RWMutex
	tools map[string]*Tool
}

// Tool is an approved manifest with its compiled schemas.
type Tool struct {
	// Manifest is a private copy of what was approved.
	Manifest Manifest
	// Hash is the pinned hex SHA-256 of the canonical manifest.
	Hash string
	// KeyID names the key that signed the approved manifest.
	KeyID string

	params, result *jsonschema.Schema
	// What was verified at approval, kept apart from the exported
	// Manifest so that changing that field cannot make a different
	// manifest look verified.
	pinned   Manifest
	raw, sig []byte
}

// NewCatalog returns an empty catalog that trusts the given signing keys,
// indexed by [KeyID] (see [Keys]). The map is copied.
func NewCatalog(keys map[string]ed25519.PublicKey) *Catalog {
	return &Catalog{keys: maps.Clone(keys), tools: map[string]*Tool{}}
}

// Approve verifies sm, validates the manifest, compiles its schemas and
// pins its hash under its name. The first approval of a name wins:
// approving the same content again is a no-op, different content under
// the same name is [ErrManifestChanged].
func (c *Catalog) Approve(sm SignedManifest) error {
	if err := Verify(sm, c.keys); err != nil {
		return err
	}
	// A private copy decoded from the verified bytes: nothing the caller
	// still holds can change the approved manifest.
	m, err := decodeManifestJSON(sm.Raw)
	if err != nil {
		return fmt.Errorf("%w: %q: %w", ErrInvalidManifest, sm.Manifest.Name, err)
	}
	params, result, err := m.compile()
	if err != nil {
		return err
	}
	pinned, err := decodeManifestJSON(sm.Raw) // a second, private copy
	if err != nil {
		return fmt.Errorf("%w: %q: %w", ErrInvalidManifest, m.Name, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.tools[m.Name]; ok {
		if t.Hash == sm.Hash {
			return nil
		}
		return fmt.Errorf("%w: %q was approved as %s, now %s", ErrManifestChanged, m.Name, short(t.Hash), short(sm.Hash))
	}
	c.tools[m.Name] = &Tool{Manifest: m, Hash: sm.Hash, KeyID: sm.KeyID, params: params, result: result,
		pinned: pinned, raw: bytes.Clone(sm.Raw), sig: bytes.Clone(sm.Signature)}
	return nil
}

// Check is the invocation-time check of the manifest currently presented
// for tool name: the tool must be approved ([ErrUnknownTool]), current's
// signature must verify again ([ErrBadSignature]) and its hash must equal
// the pinned one ([ErrManifestChanged]: a manifest changed after approval,
// even one validly re-signed, is refused). It returns the approved tool.
//
// When the presented manifest, its bytes, hash, signature and key id are
// all identical to those verified at approval, the result of verifying
// again is already known and Check skips the cryptography; anything that
// differs in any way goes through the full [Verify].
func (c *Catalog) Check(name string, current SignedManifest) (*Tool, error) {
	t, ok := c.Get(name)
	if !ok {
		return nil, fmt.Errorf("%w: %q is not in the approved catalog", ErrUnknownTool, name)
	}
	if current.Manifest.Name != name {
		return nil, fmt.Errorf("%w: %q: the presented manifest is for %q", ErrManifestChanged, name, current.Manifest.Name)
	}
	if t.verified(current) {
		return t, nil
	}
	if err := Verify(current, c.keys); err != nil {
		return nil, err
	}
	if current.Hash != t.Hash {
		return nil, fmt.Errorf("%w: %q was approved as %s, now %s", ErrManifestChanged, name, short(t.Hash), short(current.Hash))
	}
	return t, nil
}

// Get returns the approved tool called name.
func (c *Catalog) Get(name string) (*Tool, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	t, ok := c.tools[name]
	return t, ok
}

// List returns the approved tools sorted by name: the tool inventory
// (SC-1.2) with versions and pinned hashes.
func (c *Catalog) List() []*Tool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.SortedFunc(maps.Values(c.tools), func(a, b *Tool) int {
		return strings.Compare(a.Manifest.Name, b.Manifest.Name)
	})
}

// verified reports whether sm is exactly what was verified at approval.
func (t *Tool) verified(sm SignedManifest) bool {
	return sm.Hash == t.Hash && sm.KeyID == t.KeyID && bytes.Equal(sm.Raw, t.raw) &&
		bytes.Equal(sm.Signature, t.sig) && reflect.DeepEqual(sm.Manifest, t.pinned)
}

// ValidateArgs checks call arguments against the params schema. Empty
// arguments count as {}. The error wraps [ErrSchema] and names each
// failing field and why, e.g. `argument "amount": must be >= 0`.
func (t *Tool) ValidateArgs(args json.RawMessage) error {
	return validateJSON(t.params, args, t.Manifest.Name, "argument")
}

// ValidateResult checks a result against the result schema; without one,
// any valid JSON passes.
func (t *Tool) ValidateResult(res json.RawMessage) error {
	if t.result == nil {
		if !json.Valid(res) {
			return fmt.Errorf("%w: %s: result is not valid JSON", ErrSchema, t.Manifest.Name)
		}
		return nil
	}
	return validateJSON(t.result, res, t.Manifest.Name, "result")
}

// short abbreviates a hash for messages.
func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
