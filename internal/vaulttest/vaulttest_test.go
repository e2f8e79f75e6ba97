package vaulttest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestFindBinary(t *testing.T) {
	root := t.TempDir()
	nested := filepath.Join(root, "a", "b")
	bin := filepath.Join(root, "bin", "vault")
	for _, d := range []string{nested, filepath.Dir(bin)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Setenv(BinaryEnv, "")
	if _, err := findBinary(nested); !errors.Is(err, errNoBinary) || !strings.Contains(err.Error(), "make vault") {
		t.Errorf("findBinary without bin/vault: error = %v, want errNoBinary telling to run make vault", err)
	}
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := findBinary(nested); err != nil || got != bin {
		t.Errorf("findBinary(%s) = %q, %v; want %q", nested, got, err, bin)
	}

	t.Setenv(BinaryEnv, filepath.Join(root, "missing"))
	if _, err := findBinary(nested); !errors.Is(err, errNoBinary) || !strings.Contains(err.Error(), BinaryEnv) {
		t.Errorf("findBinary with a bad %s: error = %v", BinaryEnv, err)
	}
	t.Setenv(BinaryEnv, bin)
	if got, err := findBinary(t.TempDir()); err != nil || got != bin {
		t.Errorf("findBinary with %s set = %q, %v; want %q", BinaryEnv, got, err, bin)
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	log := "Unseal Key: abc123def\nRoot Token: vaulttest-0011\nother vaulttest-0011 line\n"
	got := redact(log, "vaulttest-0011")
	if strings.Contains(got, "abc123def") || strings.Contains(got, "vaulttest-0011") {
		t.Errorf("redact left a secret:\n%s", got)
	}
	if !strings.Contains(got, "Root Token: [redacted]") || !strings.Contains(got, "other [redacted] line") {
		t.Errorf("redact removed too much:\n%s", got)
	}
}

func TestServer(t *testing.T) {
	srv := Start(t)
	u, err := url.Parse(srv.Addr)
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" {
		t.Fatalf("Addr = %q, want http://127.0.0.1:<port>", srv.Addr)
	}
	srv.SetupPKI(t, "pki", "claims.maso.local", map[string]time.Duration{"agent": time.Hour})
	cert := signAgent(t, srv, "pki/sign/agent")
	if len(cert.URIs) != 1 || cert.URIs[0].String() != "spiffe://claims.maso.local/agent/intake" {
		t.Errorf("signed certificate URIs = %v", cert.URIs)
	}
	if d := time.Until(cert.NotAfter); d > time.Hour+time.Minute || d < time.Hour-time.Minute {
		t.Errorf("signed certificate expires in %v, want 1h", d)
	}

	srv.Stop()
	if resp, err := http.Get(srv.Addr + "/v1/sys/health"); err == nil {
		resp.Body.Close()
		t.Fatalf("server still answers after Stop")
	}
	srv.Restart()
	if sec := srv.Read(t, "pki/cert/ca"); sec != nil {
		t.Errorf("restarted server still has the pki mount")
	}
	srv.SetupPKI(t, "pki", "claims.maso.local", map[string]time.Duration{"agent": time.Hour})
	signAgent(t, srv, "pki/sign/agent")

	data, err := os.ReadFile(srv.logPath)
	if err != nil || !strings.Contains(string(data), "Vault server started") {
		t.Errorf("log file %s does not hold the server's output (err %v)", srv.logPath, err)
	}
}

func TestSetupAppRole(t *testing.T) {
	srv := Start(t)
	srv.SetupPKI(t, "pki", "claims.maso.local", map[string]time.Duration{"agent": time.Hour})
	roleID, secretID := srv.SetupAppRole(t, "pki")
	login := srv.Write(t, "auth/approle/login", map[string]any{"role_id": roleID, "secret_id": secretID})
	if login == nil || login.Auth == nil || login.Auth.ClientToken == "" {
		t.Fatalf("AppRole login gave no token")
	}
	if !strings.Contains(strings.Join(login.Auth.Policies, ","), AppRoleName("pki")) {
		t.Errorf("token policies = %v, want %s", login.Auth.Policies, AppRoleName("pki"))
	}
	c := srv.Client(t)
	c.SetToken(login.Auth.ClientToken)
	ctx := context.Background()
	if _, err := c.Logical().ReadWithContext(ctx, "sys/mounts"); err == nil {
		t.Errorf("the AppRole token may read sys/mounts; the policy is too wide")
	}
	if _, err := c.Logical().ListWithContext(ctx, "pki/certs"); err != nil {
		t.Errorf("the AppRole token may not list pki/certs: %v", err)
	}
	// Setting up again (for example after Restart) is fine.
	if r2, _ := srv.SetupAppRole(t, "pki"); r2 != roleID {
		t.Errorf("role ID changed on a second setup: %q vs %q", r2, roleID)
	}
}

func TestCleanupKillsServer(t *testing.T) {
	var pid int
	t.Run("server", func(t *testing.T) {
		srv := Start(t)
		pid = srv.proc.cmd.Process.Pid
	})
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("vault (pid %d) still exists after cleanup: kill 0 = %v", pid, err)
	}
}

// signAgent signs a CSR for spiffe://claims.maso.local/agent/intake at path
// with the root token.
func signAgent(t *testing.T, srv *Server, path string) *x509.Certificate {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("spiffe://claims.maso.local/agent/intake")
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{URIs: []*url.URL{u}}, key)
	if err != nil {
		t.Fatal(err)
	}
	sec := srv.Write(t, path, map[string]any{
		"csr": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr})),
		"ttl": "1h",
	})
	certPEM, _ := sec.Data["certificate"].(string)
	block, _ := pem.Decode([]byte(certPEM))
	if block == nil {
		t.Fatalf("sign answer has no certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}
