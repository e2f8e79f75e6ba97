package vault_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/identity/vault"
	"github.com/maso-runtime/maso/internal/vaulttest"
)

const td = "claims.maso.local"

// testRoles are the PKI roles every test server gets: role → max_ttl.
var testRoles = map[string]time.Duration{
	"agent": 24 * time.Hour, // read-only agents (IA-2.2)
	"write": time.Hour,      // high-privilege agents (IA-2.2)
	"tier3": 15 * time.Minute,
}

// startVault starts a dev server with the "pki" mount and testRoles.
func startVault(t *testing.T) *vaulttest.Server {
	t.Helper()
	srv := vaulttest.Start(t)
	srv.SetupPKI(t, "pki", td, testRoles)
	return srv
}

// tokenConfig is a Config for srv's root token on "pki", role "agent".
func tokenConfig(srv *vaulttest.Server, log *slog.Logger) vault.Config {
	return vault.Config{
		Address: srv.Addr,
		Token:   srv.Token,
		Mount:   "pki",
		Role:    "agent",
		Roles:   map[string]string{"write": "write", "tier3": "tier3"},
		Timeout: 5 * time.Second,
		Logger:  log,
	}
}

func newIssuer(t *testing.T, c vault.Config) *vault.Issuer {
	t.Helper()
	iss, err := vault.New(context.Background(), c)
	if err != nil {
		t.Fatalf("vault.New: %v", err)
	}
	return iss
}

// logBuffer collects an Issuer's log lines (all levels) and echoes them
// to t.Log.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	t   testing.TB
}

func newLog(t testing.TB) (*slog.Logger, *logBuffer) {
	return newLogFrom(&logBuffer{t: t})
}

// newLogFrom returns another logger writing to b.
func newLogFrom(b *logBuffer) (*slog.Logger, *logBuffer) {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.t.Log(strings.TrimRight(string(p), "\n"))
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// issueAgent issues a credential for agent name through iss.
func issueAgent(t *testing.T, iss identity.Issuer, name string, ttl time.Duration) *identity.Credential {
	t.Helper()
	cred, err := identity.NewCredential(context.Background(), iss, identity.AgentID(td, name), ttl)
	if err != nil {
		t.Fatalf("NewCredential(%s, %v): %v", name, ttl, err)
	}
	return cred
}

// anchors returns iss's trust anchors as a pool.
func anchors(t *testing.T, iss *vault.Issuer) ([]*x509.Certificate, *x509.CertPool) {
	t.Helper()
	certs, err := iss.TrustAnchors(context.Background())
	if err != nil {
		t.Fatalf("TrustAnchors: %v", err)
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return certs, pool
}

// within reports whether got is within tol of want.
func within(got, want time.Time, tol time.Duration) bool {
	d := got.Sub(want)
	return d >= -tol && d <= tol
}

func x509VerifyOptions(roots *x509.CertPool) x509.VerifyOptions {
	return x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
}
