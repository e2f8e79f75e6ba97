package vault_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/identity/vault"
)

func TestRevoke(t *testing.T) {
	srv := startVault(t)
	iss := newIssuer(t, tokenConfig(srv, nil))
	ctx := context.Background()

	revoked := issueAgent(t, iss, "intake", time.Hour)
	kept := issueAgent(t, iss, "triage", time.Hour)
	if err := iss.Revoke(ctx, revoked.Serial); err != nil {
		t.Fatalf("Revoke: %v", err)
	}

	for _, c := range []struct {
		cred *identity.Credential
		want bool
	}{{revoked, true}, {kept, false}} {
		got, err := iss.IsRevoked(ctx, c.cred.Serial)
		if err != nil || got != c.want {
			t.Errorf("IsRevoked(%s) = %v, %v; want %v", c.cred.ID, got, err, c.want)
		}
	}

	serials, err := iss.Serials(ctx)
	if err != nil {
		t.Fatalf("Serials: %v", err)
	}
	for _, s := range []string{revoked.Serial, kept.Serial} {
		if !slices.Contains(serials, s) {
			t.Errorf("Serials() = %v, missing %s", serials, s)
		}
	}

	// Vault's own record agrees.
	sec := srv.Read(t, "pki/cert/"+revoked.Serial)
	if sec == nil {
		t.Fatalf("no pki/cert/%s", revoked.Serial)
	}
	n, _ := sec.Data["revocation_time"].(json.Number)
	if rt, err := n.Int64(); err != nil || rt <= 0 || time.Since(time.Unix(rt, 0)) > time.Minute {
		t.Errorf("pki/cert/%s revocation_time = %q, want a moment ago", revoked.Serial, n)
	}
}

func TestRevokeErrors(t *testing.T) {
	srv := startVault(t)
	iss := newIssuer(t, tokenConfig(srv, nil))
	ctx := context.Background()

	unknown := "0a:0b:0c:0d"
	if _, err := iss.IsRevoked(ctx, unknown); !errors.Is(err, vault.ErrNotFound) {
		t.Errorf("IsRevoked(unknown) error = %v, want ErrNotFound", err)
	}
	err := iss.Revoke(ctx, unknown)
	if !errors.Is(err, vault.ErrRejected) {
		t.Errorf("Revoke(unknown) error = %v, want ErrRejected", err)
	}
	t.Logf("unknown serial: %v", err)
	for _, bad := range []string{"", "zz", "0a:0b/../../sys", "0a:0"} {
		if err := iss.Revoke(ctx, bad); !errors.Is(err, identity.ErrBadSerial) {
			t.Errorf("Revoke(%q) error = %v, want identity.ErrBadSerial", bad, err)
		}
		if _, err := iss.IsRevoked(ctx, bad); !errors.Is(err, identity.ErrBadSerial) {
			t.Errorf("IsRevoked(%q) error = %v, want identity.ErrBadSerial", bad, err)
		}
	}
	// Upper case and Vault's hyphen form name the same certificate.
	cred := issueAgent(t, iss, "intake", time.Hour)
	if err := iss.Revoke(ctx, upperHyphen(cred.Serial)); err != nil {
		t.Fatalf("Revoke(%s): %v", upperHyphen(cred.Serial), err)
	}
	if got, err := iss.IsRevoked(ctx, cred.Serial); err != nil || !got {
		t.Errorf("IsRevoked after revoking by the hyphen form = %v, %v; want true", got, err)
	}
}

func upperHyphen(serial string) string {
	out := []byte(serial)
	for i, c := range out {
		switch {
		case c == ':':
			out[i] = '-'
		case c >= 'a' && c <= 'f':
			out[i] = c - 'a' + 'A'
		}
	}
	return string(out)
}
