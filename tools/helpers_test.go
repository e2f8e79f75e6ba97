package tools

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// payParams is the argument schema of the test tool.
const payParams = `{
	"type": "object",
	"required": ["policy_number", "amount"],
	"additionalProperties": false,
	"properties": {
		"policy_number": {"type": "string", "pattern": "^P-[0-9]{6}$"},
		"amount": {"type": "number", "minimum": 0, "maximum": 100000},
		"currency": {"enum": ["EUR", "GBP", "USD"]},
		"paid_on": {"type": "string", "format": "date"},
		"items": {"type": "array", "items": {
			"type": "object", "required": ["sku"],
			"properties": {"sku": {"type": "string", "minLength": 3}}
		}}
	}
}`

// testManifest is a valid manifest; tests change copies of it.
func testManifest() Manifest {
	return Manifest{
		Name:        "pay_claim",
		Version:     "1.2.0",
		Description: "Pays an approved insurance claim.",
		Params:      json.RawMessage(payParams),
		Result:      json.RawMessage(`{"type":"object","required":["payment_id"],"properties":{"payment_id":{"type":"string"}}}`),
		Effect:      EffectExternal,
		Reversible:  false,
		Target:      "external",
		MaxDuration: Duration{30 * time.Second},
		Permissions: []string{"payments:write"},
		DataClass:   "confidential",
		Runtime:     "go",
	}
}

func newKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func pubOf(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

func mustSign(t testing.TB, m Manifest, k ed25519.PrivateKey) SignedManifest {
	t.Helper()
	sm, err := Sign(m, k)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return sm
}

// wantErr fails unless err wraps target and its message contains every
// fragment.
func wantErr(t *testing.T, err, target error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want %v", target)
	}
	if target != nil && !errors.Is(err, target) {
		t.Fatalf("err = %v, want it to wrap %v", err, target)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Fatalf("err = %q, want it to contain %q", err, f)
		}
	}
}

// fakeClock is a manually advanced clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
