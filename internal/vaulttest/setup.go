package vaulttest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/vault/api"
)

// requestTimeout bounds each setup request.
const requestTimeout = 30 * time.Second

// Client returns an API client for the server, authenticated with the root
// token. VAULT_* environment variables do not affect it.
func (s *Server) Client(t testing.TB) *api.Client {
	t.Helper()
	cfg := &api.Config{Address: s.Addr, Timeout: requestTimeout, MaxRetries: 0}
	c, err := api.NewClient(cfg)
	if err != nil {
		t.Fatalf("vaulttest: client: %v", err)
	}
	c.SetToken(s.Token)
	c.ClearNamespace()
	return c
}

// Write writes data to path with the root token and fails the test on an
// error.
func (s *Server) Write(t testing.TB, path string, data map[string]any) *api.Secret {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	sec, err := s.Client(t).Logical().WriteWithContext(ctx, path, data)
	if err != nil {
		t.Fatalf("vaulttest: write %s: %v", path, err)
	}
	return sec
}

// Read reads path with the root token and fails the test on an error. It
// returns nil when nothing is there.
func (s *Server) Read(t testing.TB, path string) *api.Secret {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	sec, err := s.Client(t).Logical().ReadWithContext(ctx, path)
	if err != nil {
		t.Fatalf("vaulttest: read %s: %v", path, err)
	}
	return sec
}

// SetupPKI enables a PKI secrets engine at mount, generates an internal
// Ed25519 root CA for trustDomain (valid one year), and creates one role
// per entry of roles with that max_ttl (also its default ttl). Each role
// accepts our CSRs: any name, no CN, the CSR's SANs, any key type, and URI
// SANs spiffe://<trustDomain>/* only.
func (s *Server) SetupPKI(t testing.TB, mount, trustDomain string, roles map[string]time.Duration) {
	t.Helper()
	s.Write(t, "sys/mounts/"+mount, map[string]any{
		"type":   "pki",
		"config": map[string]any{"max_lease_ttl": "87600h"},
	})
	s.Write(t, mount+"/root/generate/internal", map[string]any{
		"common_name": trustDomain + " test root CA",
		"key_type":    "ed25519",
		"ttl":         "8760h",
	})
	for _, role := range slices.Sorted(maps.Keys(roles)) {
		maxTTL := durationString(roles[role])
		s.Write(t, mount+"/roles/"+role, map[string]any{
			"allow_any_name":    true,
			"enforce_hostnames": false,
			"allowed_uri_sans":  "spiffe://" + trustDomain + "/*",
			"require_cn":        false,
			"use_csr_sans":      true,
			"key_type":          "any",
			"ttl":               maxTTL,
			"max_ttl":           maxTTL,
		})
	}
}

// SetupAppRole enables the AppRole auth method at "approle" (if needed),
// writes the policy AppRoleName(mount) — sign with any role of mount,
// revoke, read cert/* (CA chain, revocation status), list certs — and an
// AppRole of the same name with that policy (token TTL 1h). It returns the
// role ID and a new secret ID.
func (s *Server) SetupAppRole(t testing.TB, mount string) (roleID, secretID string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	c := s.Client(t)
	auths, err := c.Sys().ListAuthWithContext(ctx)
	if err != nil {
		t.Fatalf("vaulttest: list auth methods: %v", err)
	}
	if _, ok := auths["approle/"]; !ok {
		if err := c.Sys().EnableAuthWithOptionsWithContext(ctx, "approle", &api.EnableAuthOptions{Type: "approle"}); err != nil {
			t.Fatalf("vaulttest: enable approle: %v", err)
		}
	}
	name := AppRoleName(mount)
	if err := c.Sys().PutPolicyWithContext(ctx, name, pkiPolicy(mount)); err != nil {
		t.Fatalf("vaulttest: write policy %s: %v", name, err)
	}
	s.Write(t, "auth/approle/role/"+name, map[string]any{
		"token_policies": name,
		"token_ttl":      "1h",
		"token_max_ttl":  "4h",
	})
	rid := s.Read(t, "auth/approle/role/"+name+"/role-id")
	sid := s.Write(t, "auth/approle/role/"+name+"/secret-id", nil)
	roleID, _ = rid.Data["role_id"].(string)
	secretID, _ = sid.Data["secret_id"].(string)
	if roleID == "" || secretID == "" {
		t.Fatalf("vaulttest: AppRole %s: empty role ID or secret ID in Vault's answer", name)
	}
	return roleID, secretID
}

// AppRoleName is the name of the policy and AppRole SetupAppRole creates
// for mount.
func AppRoleName(mount string) string {
	return "maso-" + strings.ReplaceAll(strings.Trim(mount, "/"), "/", "-")
}

// pkiPolicy is the narrow policy an issuer needs on mount.
func pkiPolicy(mount string) string {
	return fmt.Sprintf(`path "%[1]s/sign/*" { capabilities = ["create", "update"] }
path "%[1]s/revoke" { capabilities = ["create", "update"] }
path "%[1]s/cert/*" { capabilities = ["read"] }
path "%[1]s/certs" { capabilities = ["list"] }
`, mount)
}

// durationString formats d in whole seconds, as Vault accepts.
func durationString(d time.Duration) string {
	return fmt.Sprintf("%ds", int64(d/time.Second))
}
