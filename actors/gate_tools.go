package actors

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/tools"
)

// gateTool is one tool of the gate: its implementation (for in-process
// tools) and its signed manifest, re-checked on every call.
type gateTool struct {
	name string
	impl ToolFunc
	cat  *tools.Catalog
	fsys fs.FS
	path string // manifest path in fsys; "" in development mode
	dir  string // directory of the manifest on disk, for process and wasm paths

	mu     sync.Mutex
	stamp  string // size and modification time of the manifest file when last read
	signed tools.SignedManifest
	tool   *tools.Tool
	dev    tools.Manifest // development mode: the manifest the config implies
}

// loadTools reads, verifies and approves every configured tool's signed
// manifest (SC-2.2, SC-2.4); without signing keys the gate runs in
// development mode: in-process tools described by the config alone, and a
// warning in the log.
func (g *toolGate) loadTools(cfg *config.Config, impls map[string]ToolFunc) error {
	keys, err := signingKeys(cfg)
	if err != nil {
		return err
	}
	if keys != nil {
		g.catalog = tools.NewCatalog(keys)
	} else if len(cfg.Tools) > 0 {
		g.sys.log.Warn("no tool_signing keys: tools run without signed manifests (development mode, SC-2.2 not enforced)")
	}
	for _, t := range cfg.Tools {
		gt, err := g.loadTool(cfg, t, impls[t.Name])
		if err != nil {
			return err
		}
		g.tools[t.Name] = gt
	}
	return g.checkBackups()
}

// checkBackups: a backup starts read-only, whatever its manifests say.
func (g *toolGate) checkBackups() error {
	for _, d := range g.sys.defs {
		if d.BackupOf == "" {
			continue
		}
		for _, name := range d.Tools {
			if t := g.tools[name]; t != nil {
				if m, err := t.current(); err == nil && m.Effect != "read" {
					return fmt.Errorf("actors: backup %s may hold only read tools; %s has effect %q", d.Name, name, m.Effect)
				}
			}
		}
	}
	return nil
}

func (g *toolGate) loadTool(cfg *config.Config, t config.Tool, impl ToolFunc) (*gateTool, error) {
	gt := &gateTool{name: t.Name, impl: impl, cat: g.catalog, fsys: cfg.Files, path: t.Manifest}
	if g.catalog == nil {
		gt.dev = devManifest(t)
		if impl == nil {
			return nil, fmt.Errorf("actors: tool %q is configured but no implementation is registered", t.Name)
		}
		return gt, nil
	}
	if cfg.Dir != "" {
		gt.dir = filepath.Join(cfg.Dir, filepath.Dir(t.Manifest))
	}
	sm, stamp, err := gt.read()
	if err != nil {
		return nil, err
	}
	if err := g.catalog.Approve(sm); err != nil {
		return nil, fmt.Errorf("actors: tool %q: manifest %s: %w", t.Name, t.Manifest, err)
	}
	if err := sm.Manifest.VerifyArtifacts(context.Background(), gt.dir); err != nil {
		return nil, fmt.Errorf("actors: tool %q: %w", t.Name, err)
	}
	if sm.Manifest.Runtime == "go" && impl == nil {
		return nil, fmt.Errorf("actors: tool %q runs in-process but no implementation is registered", t.Name)
	}
	gt.tool, _ = g.catalog.Get(t.Name)
	gt.signed, gt.stamp = sm, stamp
	return gt, nil
}

// devManifest is what an unsigned, in-process tool declared in the config
// amounts to: any arguments, internal, reversible unless it deletes.
func devManifest(t config.Tool) tools.Manifest {
	return tools.Manifest{Name: t.Name, Version: "0", Description: t.Description, Effect: tools.Effect(t.Effect),
		Target: "internal", Reversible: t.Effect != "delete", DataClass: "internal", Runtime: "go",
		MaxDuration: tools.Duration{Duration: 30 * time.Second}, Params: json.RawMessage(`{"type":"object"}`)}
}

// read loads the signed manifest file with its stamp.
func (t *gateTool) read() (tools.SignedManifest, string, error) {
	if t.fsys == nil {
		return tools.SignedManifest{}, "", fmt.Errorf("actors: tool %q: no directory to read its manifest %s from", t.name, t.path)
	}
	st, err := fs.Stat(t.fsys, t.path)
	if err != nil {
		return tools.SignedManifest{}, "", fmt.Errorf("actors: tool %q: manifest: %w", t.name, err)
	}
	b, err := fs.ReadFile(t.fsys, t.path)
	if err != nil {
		return tools.SignedManifest{}, "", fmt.Errorf("actors: tool %q: manifest: %w", t.name, err)
	}
	sm, err := tools.DecodeSigned(b)
	if err != nil {
		return tools.SignedManifest{}, "", fmt.Errorf("actors: tool %q: manifest %s: %w", t.name, t.path, err)
	}
	return sm, stampOf(st), nil
}

func stampOf(st fs.FileInfo) string {
	return fmt.Sprintf("%d/%d", st.Size(), st.ModTime().UnixNano())
}

// current returns the manifest in force for this call. The signed manifest
// is re-read when its file changed and checked against the catalog on every
// call: a manifest changed after approval is refused (SC-2.2, rug-pull).
func (t *gateTool) current() (tools.Manifest, error) {
	if t.cat == nil {
		return t.dev, nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if st, err := fs.Stat(t.fsys, t.path); err != nil || stampOf(st) != t.stamp {
		sm, stamp, err := t.read()
		if err != nil {
			return tools.Manifest{}, err
		}
		t.signed, t.stamp = sm, stamp
	}
	tool, err := t.cat.Check(t.name, t.signed)
	if err != nil {
		return tools.Manifest{}, err
	}
	return tool.Manifest, nil
}

func (t *gateTool) validateArgs(args json.RawMessage) error {
	if t.tool == nil {
		var v map[string]any
		if err := json.Unmarshal(args, &v); err != nil {
			return fmt.Errorf("arguments must be a JSON object: %w", err)
		}
		return nil
	}
	return t.tool.ValidateArgs(args)
}

func (t *gateTool) validateResult(res json.RawMessage) error {
	if t.tool == nil || len(t.tool.Manifest.Result) == 0 {
		return nil
	}
	return t.tool.ValidateResult(res)
}

// signingKeys loads the configured tool-signing public keys (nil when none).
func signingKeys(cfg *config.Config) (map[string]ed25519.PublicKey, error) {
	if len(cfg.ToolSigning.Keys) == 0 {
		return nil, nil
	}
	var pubs []ed25519.PublicKey
	for _, p := range cfg.ToolSigning.Keys {
		b, err := readConfigFile(cfg, p)
		if err != nil {
			return nil, fmt.Errorf("actors: tool_signing key %s: %w", p, err)
		}
		pub, err := tools.ParsePublicKey(b)
		if err != nil {
			return nil, fmt.Errorf("actors: tool_signing key %s: %w", p, err)
		}
		pubs = append(pubs, pub)
	}
	return tools.Keys(pubs...), nil
}

func readConfigFile(cfg *config.Config, p string) ([]byte, error) {
	if filepath.IsAbs(p) || cfg.Files == nil {
		return os.ReadFile(p)
	}
	return fs.ReadFile(cfg.Files, p)
}
