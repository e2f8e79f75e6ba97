package vault_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/identity/vault"
)

// TestOutage stops Vault under an Issuer, then restarts it empty. The same
// Issuer (root token, which the restarted dev server knows again) works
// once the PKI is set up again; no new Issuer is needed.
func TestOutage(t *testing.T) {
	srv := startVault(t)
	c := tokenConfig(srv, nil)
	c.Timeout = 3 * time.Second
	iss := newIssuer(t, c)
	before, _ := anchors(t, iss)
	issueAgent(t, iss, "intake", time.Hour)

	srv.Stop()
	start := time.Now()
	_, err := identity.NewCredential(context.Background(), iss, identity.AgentID(td, "intake"), time.Hour)
	elapsed := time.Since(start)
	if !errors.Is(err, vault.ErrUnavailable) {
		t.Fatalf("Issue with Vault stopped: error = %v, want ErrUnavailable", err)
	}
	t.Logf("Vault stopped: %v (after %v)", err, elapsed)
	if elapsed > c.Timeout+time.Second {
		t.Errorf("Issue with Vault stopped took %v, want at most Timeout (%v)", elapsed, c.Timeout)
	}
	if strings.Contains(err.Error(), srv.Token) {
		t.Errorf("error carries the token: %v", err)
	}
	if _, err := iss.TrustAnchors(context.Background()); !errors.Is(err, vault.ErrUnavailable) {
		t.Errorf("TrustAnchors with Vault stopped: error = %v, want ErrUnavailable", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := iss.IsRevoked(ctx, "0a:0b"); !errors.Is(err, context.Canceled) || errors.Is(err, vault.ErrUnavailable) {
		t.Errorf("IsRevoked with a cancelled context: error = %v, want context.Canceled only", err)
	}

	srv.Restart()
	srv.SetupPKI(t, "pki", td, testRoles)
	cred := issueAgent(t, iss, "intake", time.Hour)
	after, pool := anchors(t, iss)
	if after[0].Equal(before[0]) {
		t.Errorf("the restarted (empty) Vault has the old CA")
	}
	if _, err := cred.Cert.Verify(x509VerifyOptions(pool)); err != nil {
		t.Errorf("certificate after restart does not chain to the new anchors: %v", err)
	}
}
