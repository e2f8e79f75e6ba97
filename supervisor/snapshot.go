package supervisor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/registry"
)

func newJSONRequest(ctx context.Context, url string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// snapshot captures every agent of this node now.
func (c *Controller) snapshot(ctx context.Context, ps registry.PhaseState) {
	c.writeSnapshots(ctx, ps, c.cfg.System.Snapshot())
}

// writeSnapshots stores each snapshot as a content-addressed file,
// <data-dir>/snapshots/<sha256>.json (mode 0600), and records its hash in
// the decision log, so any later change to a file is evident.
func (c *Controller) writeSnapshots(ctx context.Context, ps registry.PhaseState, snaps []actors.AgentSnapshot) {
	if c.cfg.DataDir == "" {
		return
	}
	dir := filepath.Join(c.cfg.DataDir, "snapshots")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		c.log.Error("snapshot directory", "err", err)
		return
	}
	for _, s := range snaps {
		sum, err := writeSnapshot(dir, s)
		ev := audit.Event{Type: "pace.snapshot", Verdict: "pass", Controls: []string{"EC-3.2", "OB-2.1"}, Agent: s.Agent,
			Phase: string(ps.Phase), Attrs: map[string]string{"sha256": sum, "file": sum + ".json"}}
		if err != nil {
			ev.Verdict, ev.Reason = "block", err.Error()
		}
		c.event(ctx, ev)
	}
}

func writeSnapshot(dir string, s actors.AgentSnapshot) (string, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(b)
	sum := hex.EncodeToString(h[:])
	path := filepath.Join(dir, sum+".json")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return sum, nil // the same content is already kept
	}
	if err != nil {
		return sum, err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return sum, err
	}
	return sum, f.Close()
}

// Compensation undoes the effects of agents' actions where possible; the
// Emergency runs every registered one.
type Compensation func(ctx context.Context) (string, error)

type compensations struct {
	mu    sync.Mutex
	names []string
	fns   map[string]Compensation
}

// RegisterCompensation adds a compensating action run in Emergency.
func (c *Controller) RegisterCompensation(name string, fn Compensation) {
	c.comps.mu.Lock()
	defer c.comps.mu.Unlock()
	if c.comps.fns == nil {
		c.comps.fns = map[string]Compensation{}
	}
	if _, dup := c.comps.fns[name]; !dup {
		c.comps.names = append(c.comps.names, name)
	}
	c.comps.fns[name] = fn
}

// run executes every compensation (30s each at most) and records each result.
func (cs *compensations) run(ctx context.Context, c *Controller) {
	cs.mu.Lock()
	names, fns := append([]string(nil), cs.names...), cs.fns
	cs.mu.Unlock()
	for _, name := range names {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		detail, err := fns[name](cctx)
		cancel()
		ev := audit.Event{Type: "pace.compensation", Verdict: "pass", Controls: []string{"PA-2.6"}, Reason: detail,
			Phase: string(Emergency), Attrs: map[string]string{"action": name}}
		if err != nil {
			ev.Verdict, ev.Reason = "block", err.Error()
		}
		c.event(ctx, ev)
	}
}
