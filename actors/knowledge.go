package actors

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/maso-runtime/maso/audit"
)

// Knowledge errors.
var (
	ErrNoDocument   = errors.New("actors: no such knowledge document")
	ErrDocChanged   = errors.New("actors: knowledge document changed since ingestion")
	ErrBadDocName   = errors.New("actors: invalid knowledge document name")
	ErrNoKnowledge  = errors.New("actors: this node keeps no knowledge stores")
	docNameRE       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
	knowledgeDomain = []byte("maso.knowledge.v1\n")
)

// Knowledge is an agent's own knowledge store (DP-2.3, DP-2.4): documents it
// ingested, each checksummed at ingestion (DP-2.2) and checked again on
// every read (DP-3.1). It is reachable only through the agent's Context.
type Knowledge interface {
	Ingest(name string, doc []byte) (DocInfo, error)
	Get(name string) ([]byte, error)
	List() []DocInfo
}

// DocInfo describes one document.
type DocInfo struct {
	Name       string    `json:"name"`
	SHA256     string    `json:"sha256"`
	Size       int       `json:"size"`
	IngestedAt time.Time `json:"ingested_at"`
	VerifiedAt time.Time `json:"verified_at"`
	// Quarantined is set when a verification found the document changed:
	// it is not served until someone re-ingests it after review.
	Quarantined bool `json:"quarantined,omitempty"`
}

// knowledgeStore keeps every agent's documents under one directory:
// <dir>/<agent>/<name> and <dir>/<agent>/index.json.
type knowledgeStore struct {
	sys *System
	dir string
	mu  sync.Mutex
}

func docHash(b []byte) string {
	h := sha256.New()
	h.Write(knowledgeDomain)
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

func (k *knowledgeStore) agentDir(agent string) string { return filepath.Join(k.dir, agent) }

func (k *knowledgeStore) index(agent string) (map[string]DocInfo, error) {
	b, err := os.ReadFile(filepath.Join(k.agentDir(agent), "index.json"))
	if errors.Is(err, os.ErrNotExist) {
		return map[string]DocInfo{}, nil
	}
	if err != nil {
		return nil, err
	}
	idx := map[string]DocInfo{}
	if err := json.Unmarshal(b, &idx); err != nil {
		return nil, fmt.Errorf("actors: knowledge index of %s: %w", agent, err)
	}
	return idx, nil
}

func (k *knowledgeStore) saveIndex(agent string, idx map[string]DocInfo) error {
	b, _ := json.MarshalIndent(idx, "", "  ")
	tmp := filepath.Join(k.agentDir(agent), "index.json.tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(k.agentDir(agent), "index.json"))
}

// agentKnowledge is one agent's view: its own directory, nothing else.
type agentKnowledge struct {
	k     *knowledgeStore
	agent string
}

func (a agentKnowledge) Ingest(name string, doc []byte) (DocInfo, error) {
	if !docNameRE.MatchString(name) || name == "index.json" {
		return DocInfo{}, fmt.Errorf("%w: %q", ErrBadDocName, name)
	}
	k := a.k
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := os.MkdirAll(k.agentDir(a.agent), 0o700); err != nil {
		return DocInfo{}, err
	}
	idx, err := k.index(a.agent)
	if err != nil {
		return DocInfo{}, err
	}
	if err := os.WriteFile(filepath.Join(k.agentDir(a.agent), name), doc, 0o600); err != nil {
		return DocInfo{}, err
	}
	now := k.sys.clock().UTC()
	info := DocInfo{Name: name, SHA256: docHash(doc), Size: len(doc), IngestedAt: now, VerifiedAt: now}
	idx[name] = info
	if err := k.saveIndex(a.agent, idx); err != nil {
		return DocInfo{}, err
	}
	_ = k.sys.rec.Event(context.Background(), audit.Event{Type: "knowledge.ingested", Verdict: "pass", Controls: []string{"DP-2.2"},
		Agent: a.agent, Node: k.sys.node, Attrs: map[string]string{"document": name, "sha256": info.SHA256}})
	return info, nil
}

// Get serves a document only if it still matches its ingestion checksum
// and passes the guardrails (retrieved documents are an input channel).
func (a agentKnowledge) Get(name string) ([]byte, error) {
	if !docNameRE.MatchString(name) {
		return nil, fmt.Errorf("%w: %q", ErrBadDocName, name)
	}
	k := a.k
	k.mu.Lock()
	idx, err := k.index(a.agent)
	k.mu.Unlock()
	if err != nil {
		return nil, err
	}
	info, ok := idx[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q (agent %s)", ErrNoDocument, name, a.agent)
	}
	b, err := os.ReadFile(filepath.Join(k.agentDir(a.agent), name))
	if err != nil {
		return nil, err
	}
	if info.Quarantined || docHash(b) != info.SHA256 {
		return nil, fmt.Errorf("%w: %q is under review (DP-2.2, DP-3.1)", ErrDocChanged, name)
	}
	if err := k.sys.screenResult(b); err != nil {
		return nil, fmt.Errorf("actors: knowledge document %q refused: %w", name, err)
	}
	return b, nil
}

func (a agentKnowledge) List() []DocInfo {
	a.k.mu.Lock()
	idx, _ := a.k.index(a.agent)
	a.k.mu.Unlock()
	out := make([]DocInfo, 0, len(idx))
	for _, d := range idx {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// VerifyKnowledge re-checks every document of every agent against its
// ingestion checksum (DP-2.2, daily by default). A changed or missing
// document is quarantined, logged for review, and reported.
func (s *System) VerifyKnowledge(ctx context.Context) ([]string, error) {
	k := s.knowledge
	if k == nil {
		return nil, ErrNoKnowledge
	}
	var changed []string
	for _, d := range s.defs {
		c, err := k.verifyAgent(ctx, d.Name)
		if err != nil {
			return changed, err
		}
		changed = append(changed, c...)
	}
	return changed, nil
}

func (k *knowledgeStore) verifyAgent(ctx context.Context, agent string) ([]string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	idx, err := k.index(agent)
	if err != nil || len(idx) == 0 {
		return nil, err
	}
	var changed []string
	now := k.sys.clock().UTC()
	for name, info := range idx {
		b, err := os.ReadFile(filepath.Join(k.agentDir(agent), name))
		if err == nil && docHash(b) == info.SHA256 && !info.Quarantined {
			info.VerifiedAt = now
			idx[name] = info
			continue
		}
		if !info.Quarantined {
			info.Quarantined = true
			idx[name] = info
			changed = append(changed, agent+"/"+name)
			_ = k.sys.rec.Event(ctx, audit.Event{Type: "knowledge.changed", Verdict: "block", Controls: []string{"DP-2.2", "DP-3.1"},
				Agent: agent, Node: k.sys.node, Reason: "document changed or missing since ingestion; quarantined for review",
				Attrs: map[string]string{"document": name, "sha256": info.SHA256}})
			k.sys.log.Warn("knowledge document changed since ingestion: quarantined, review needed", "agent", agent, "document", name)
		}
	}
	return changed, k.saveIndex(agent, idx)
}

// verifyKnowledgeLoop runs VerifyKnowledge every interval until the system stops.
func (s *System) verifyKnowledgeLoop(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			if _, err := s.VerifyKnowledge(s.ctx); err != nil {
				s.log.Error("knowledge verification failed", "err", err)
			}
		}
	}
}
