package vault_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/maso-runtime/maso/identity/vault"
)

// TestEnvironment checks that New follows Vault's VAULT_ADDR and
// VAULT_TOKEN conventions when Address and Token are empty.
func TestEnvironment(t *testing.T) {
	srv := startVault(t)
	t.Setenv("VAULT_ADDR", srv.Addr)
	t.Setenv("VAULT_TOKEN", srv.Token)

	iss, err := vault.New(context.Background(), vault.Config{Role: "agent"}) // Mount defaults to pki
	if err != nil {
		t.Fatalf("New from the environment: %v", err)
	}
	issueAgent(t, iss, "intake", time.Hour)

	t.Setenv("VAULT_TOKEN", "")
	if _, err := vault.New(context.Background(), vault.Config{Role: "agent"}); !errors.Is(err, vault.ErrConfig) {
		t.Errorf("New without any token: error = %v, want ErrConfig", err)
	}

	t.Setenv("VAULT_TOKEN", "not-a-token")
	_, err = vault.New(context.Background(), vault.Config{Role: "agent"})
	if !errors.Is(err, vault.ErrAuth) {
		t.Errorf("New with an unknown token: error = %v, want ErrAuth", err)
	}
	t.Logf("unknown token: %v", err)

	// Explicit fields win over the environment.
	t.Setenv("VAULT_ADDR", "http://127.0.0.1:1")
	t.Setenv("VAULT_TOKEN", "not-a-token")
	if _, err := vault.New(context.Background(), tokenConfig(srv, nil)); err != nil {
		t.Errorf("New with explicit Address and Token: %v", err)
	}
}
