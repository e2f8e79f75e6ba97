package vault_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/identity/vault"
	"github.com/maso-runtime/maso/internal/vaulttest"
)

func appRoleConfig(srv *vaulttest.Server, roleID, secretID string, log *logBuffer) vault.Config {
	c := tokenConfig(srv, nil)
	c.Token = ""
	c.AppRole = &vault.AppRole{RoleID: roleID, SecretID: secretID}
	if log != nil {
		c.Logger, _ = newLogFrom(log)
	}
	return c
}

func TestAppRole(t *testing.T) {
	t.Setenv("VAULT_TOKEN", "") // the AppRole token must be the only one
	srv := startVault(t)
	roleID, secretID := srv.SetupAppRole(t, "pki")
	srv.SetupPKI(t, "other", td, map[string]time.Duration{"agent": time.Hour})
	_, logs := newLog(t)

	t.Run("issue and revoke", func(t *testing.T) {
		iss := newIssuer(t, appRoleConfig(srv, roleID, secretID, logs))
		cred := issueAgent(t, iss, "intake", time.Hour)
		if err := iss.Revoke(context.Background(), cred.Serial); err != nil {
			t.Fatalf("Revoke with the AppRole policy: %v", err)
		}
		if got, err := iss.IsRevoked(context.Background(), cred.Serial); err != nil || !got {
			t.Errorf("IsRevoked = %v, %v; want true", got, err)
		}
		if _, err := iss.Serials(context.Background()); err != nil {
			t.Errorf("Serials with the AppRole policy: %v", err)
		}
	})

	t.Run("wrong secret ID", func(t *testing.T) {
		wrong := "00000000-1111-2222-3333-444444444444"
		_, err := vault.New(context.Background(), appRoleConfig(srv, roleID, wrong, nil))
		if !errors.Is(err, vault.ErrAuth) {
			t.Fatalf("New with a wrong secret ID: error = %v, want ErrAuth", err)
		}
		t.Logf("wrong secret ID: %v", err)
		msg := err.Error()
		if strings.Contains(msg, wrong) || strings.Contains(msg, secretID) || strings.Contains(msg, roleID) {
			t.Errorf("error reveals a credential: %s", msg)
		}
		if !strings.Contains(msg, "auth/approle/login") {
			t.Errorf("error does not say what failed: %s", msg)
		}
	})

	t.Run("mount outside the policy", func(t *testing.T) {
		c := appRoleConfig(srv, roleID, secretID, nil)
		c.Mount = "other"
		_, err := vault.New(context.Background(), c)
		if !errors.Is(err, vault.ErrPermissionDenied) || !strings.Contains(err.Error(), "other/sign/agent") {
			t.Errorf("New on a mount the policy does not cover: error = %v, want ErrPermissionDenied naming other/sign/agent", err)
		}
		t.Logf("mount outside the policy: %v", err)
	})

	t.Run("token revoked behind the issuer's back", func(t *testing.T) {
		iss := newIssuer(t, appRoleConfig(srv, roleID, secretID, logs))
		srv.Write(t, "sys/leases/revoke-prefix/auth/approle/login", nil)
		issueAgent(t, iss, "triage", time.Hour) // logs in again
	})

	out := logs.String()
	if strings.Contains(out, secretID) || strings.Contains(out, "hvs.") {
		t.Errorf("the log carries a secret ID or token:\n%s", out)
	}
	if !strings.Contains(out, "token rejected; logging in again") {
		t.Errorf("no re-login after the token was revoked; log:\n%s", out)
	}
}

func TestAppRoleTokenExpiry(t *testing.T) {
	srv := startVault(t)
	roleID, secretID := srv.SetupAppRole(t, "pki")
	srv.Write(t, "auth/approle/role/"+vaulttest.AppRoleName("pki"), map[string]any{
		"token_ttl":     "3s",
		"token_max_ttl": "3s",
	})
	_, logs := newLog(t)
	iss := newIssuer(t, appRoleConfig(srv, roleID, secretID, logs))
	issueAgent(t, iss, "intake", time.Hour)
	time.Sleep(4 * time.Second) // the first token has expired
	issueAgent(t, iss, "intake", time.Hour)
	// The Issuer logged in again before using the expired token, rather
	// than waiting for Vault to refuse it.
	if strings.Contains(logs.String(), "token rejected") {
		t.Errorf("the expired token was used; want a login before expiry")
	}
}
