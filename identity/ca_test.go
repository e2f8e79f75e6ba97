package identity

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoadOrCreateCAPersists(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data", "ca")
	first, err := LoadOrCreateCA(dir, testTD, CAOptions{})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	second, err := LoadOrCreateCA(dir, testTD, CAOptions{})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if !first.Certificate().Equal(second.Certificate()) {
		t.Fatal("second LoadOrCreateCA returned a different CA certificate")
	}
	if !first.key.Equal(second.key) {
		t.Fatal("second LoadOrCreateCA returned a different CA key")
	}
	// A credential issued before the restart verifies against the reloaded CA.
	cred := newTestCred(t, first, testTD, "intake", time.Hour)
	if err := cred.Cert.CheckSignatureFrom(second.Certificate()); err != nil {
		t.Fatalf("certificate from first CA does not verify with reloaded CA: %v", err)
	}
	assertMode(t, dir, 0o700)
	assertMode(t, filepath.Join(dir, CAKeyFile), 0o600)
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s mode = %04o, want %04o", path, got, want)
	}
}

func TestBuiltinCACertificate(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	ca := newTestCA(t, testTD, CAOptions{Clock: func() time.Time { return now }})
	c := ca.Certificate()
	if c.Subject.CommonName != "maso example.org CA" {
		t.Errorf("CN = %q", c.Subject.CommonName)
	}
	if !c.IsCA || !c.BasicConstraintsValid {
		t.Error("root is not a CA certificate")
	}
	if _, ok := c.PublicKey.(ed25519.PublicKey); !ok {
		t.Errorf("root key is %T, want Ed25519", c.PublicKey)
	}
	if want := now.AddDate(10, 0, 0); !c.NotAfter.Equal(want) {
		t.Errorf("NotAfter = %v, want %v", c.NotAfter, want)
	}
	if err := c.CheckSignatureFrom(c); err != nil {
		t.Errorf("root not self-signed: %v", err)
	}
	if ca.TrustDomain() != testTD {
		t.Errorf("TrustDomain = %q", ca.TrustDomain())
	}
	anchors, err := ca.TrustAnchors(context.Background())
	if err != nil || len(anchors) != 1 || !anchors[0].Equal(c) {
		t.Errorf("TrustAnchors = %v, %v", anchors, err)
	}
}

func TestLoadOrCreateCARejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string) // dir holds a valid CA for testTD
		td      string
		want    error
		wantMsg string
	}{
		{
			name:    "key readable by others",
			prepare: chmodKey(0o644),
			want:    ErrCAKeyPermissions,
			wantMsg: "chmod 600",
		},
		{
			name:    "key readable by group",
			prepare: chmodKey(0o640),
			want:    ErrCAKeyPermissions,
			wantMsg: "0640",
		},
		{
			name:    "certificate missing",
			prepare: removeFile(CACertFile),
			want:    ErrCAIncomplete,
			wantMsg: CACertFile + " is missing",
		},
		{
			name:    "key missing",
			prepare: removeFile(CAKeyFile),
			want:    ErrCAIncomplete,
			wantMsg: CAKeyFile + " is missing",
		},
		{
			name:    "other trust domain",
			td:      "other.org",
			want:    ErrTrustDomainMismatch,
			wantMsg: `"example.org", not "other.org"`,
		},
		{
			name:    "garbage key",
			prepare: writeFile(CAKeyFile, "not a key", 0o600),
			want:    ErrCAInvalid,
		},
		{
			name:    "garbage certificate",
			prepare: writeFile(CACertFile, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", 0o644),
			want:    ErrCAInvalid,
		},
		{
			name:    "certificate of another CA",
			prepare: swapCert,
			want:    ErrCAInvalid,
			wantMsg: "does not match the key",
		},
		{
			name: "invalid trust domain",
			td:   "Example.org",
			want: ErrInvalidID,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if _, err := LoadOrCreateCA(dir, testTD, CAOptions{}); err != nil {
				t.Fatal(err)
			}
			if tt.prepare != nil {
				tt.prepare(t, dir)
			}
			td := cmp.Or(tt.td, testTD)
			ca, err := LoadOrCreateCA(dir, td, CAOptions{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("LoadOrCreateCA = %v, %v; want %v", ca, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
		})
	}
}

func chmodKey(mode os.FileMode) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Chmod(filepath.Join(dir, CAKeyFile), mode); err != nil {
			t.Fatal(err)
		}
	}
}

func removeFile(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

func writeFile(name, content string, mode os.FileMode) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
}

// swapCert replaces dir's certificate by that of a fresh CA.
func swapCert(t *testing.T, dir string) {
	other := t.TempDir()
	if _, err := LoadOrCreateCA(other, testTD, CAOptions{}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(other, CACertFile))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(CACertFile, string(data), 0o644)(t, dir)
}

func TestCAOptionsRejectNegativeMaxTTL(t *testing.T) {
	t.Parallel()
	_, err := LoadOrCreateCA(t.TempDir(), testTD, CAOptions{MaxTTL: -time.Second})
	if !errors.Is(err, ErrTTL) {
		t.Fatalf("err = %v, want ErrTTL", err)
	}
}

func TestCARevoke(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t, testTD, CAOptions{})
	var rev Revoker = ca
	ctx := context.Background()
	for _, s := range []string{"0b:01", "0A:02"} {
		if err := rev.Revoke(ctx, s); err != nil {
			t.Fatalf("Revoke(%q): %v", s, err)
		}
	}
	if err := rev.Revoke(ctx, "not-a-serial"); !errors.Is(err, ErrBadSerial) {
		t.Fatalf("Revoke(bad) = %v, want ErrBadSerial", err)
	}
	if got, want := ca.RevokedSerials(), []string{"0a:02", "0b:01"}; !slices.Equal(got, want) {
		t.Fatalf("RevokedSerials = %v, want %v", got, want)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := ca.Revoke(cancelled, "01"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Revoke with cancelled ctx = %v", err)
	}
}
