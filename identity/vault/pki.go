package vault

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/vault/api"

	"github.com/maso-runtime/maso/identity"
)

// Revoke revokes the certificate with serial (identity.SerialString form,
// as in identity.Issued.Serial; Vault's hyphen form and upper case are
// accepted): POST <mount>/revoke. Vault then lists it in the mount's CRL.
// Revoking a revoked certificate succeeds again. Vault does not add an
// already expired certificate to its CRL; Revoke then returns nil, since
// the certificate no longer verifies anyway, and logs Vault's warning. An
// unknown serial is refused (ErrRejected). Distributing the revocation to
// Verifiers is the caller's job (identity.RevocationSet).
func (i *Issuer) Revoke(ctx context.Context, serial string) error {
	s, err := checkSerial(serial)
	if err != nil {
		return err
	}
	path := i.cfg.Mount + "/revoke"
	var sec *api.Secret
	err = i.call(ctx, "revoke", path, func(ctx context.Context) (err error) {
		sec, err = i.client.Logical().WriteWithContext(ctx, path, map[string]any{"serial_number": s})
		return err
	})
	if err != nil {
		return fmt.Errorf("vault: revoke %s: %w", s, err)
	}
	if sec == nil || sec.Data["revocation_time"] == nil {
		var warnings []string
		if sec != nil {
			warnings = sec.Warnings
		}
		i.log.Warn("vault: certificate not added to the CRL", "serial", s, "vault_warnings", warnings)
		return nil
	}
	i.log.Info("vault: revoked", "serial", s)
	return nil
}

// IsRevoked reports whether Vault has revoked serial: GET
// <mount>/cert/<serial> and a revocation_time after the epoch. An unknown
// serial is an error wrapping ErrNotFound.
func (i *Issuer) IsRevoked(ctx context.Context, serial string) (bool, error) {
	s, err := checkSerial(serial)
	if err != nil {
		return false, err
	}
	path := i.cfg.Mount + "/cert/" + s
	sec, err := i.read(ctx, path)
	if err != nil {
		return false, fmt.Errorf("vault: revocation status of %s: %w", s, err)
	}
	if sec == nil || sec.Data == nil {
		return false, fmt.Errorf("%w: certificate %s on mount %q", ErrNotFound, s, i.cfg.Mount)
	}
	t, err := intField(sec.Data, "revocation_time")
	if err != nil {
		return false, fmt.Errorf("%w: %s: %w", ErrResponse, path, err)
	}
	return t > 0, nil
}

// Serials lists the serials of the certificates the mount has stored
// (LIST <mount>/certs), in identity.SerialString form, sorted. Roles with
// no_store set leave their certificates out.
func (i *Issuer) Serials(ctx context.Context) ([]string, error) {
	path := i.cfg.Mount + "/certs"
	var sec *api.Secret
	err := i.call(ctx, "list", path, func(ctx context.Context) (err error) {
		sec, err = i.client.Logical().ListWithContext(ctx, path)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("vault: list certificates: %w", err)
	}
	if sec == nil || sec.Data == nil {
		return nil, nil // Vault answers an empty list with 404
	}
	keys, _ := sec.Data["keys"].([]any)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if s, ok := k.(string); ok {
			out = append(out, normalizeSerial(s))
		}
	}
	slices.Sort(out)
	return out, nil
}

// TrustAnchors returns the CA chain of the mount's default issuer, from
// <mount>/cert/ca_chain (falling back to <mount>/cert/ca). These are the
// certificates a Verifier's trust bundle should hold for this issuer.
func (i *Issuer) TrustAnchors(ctx context.Context) ([]*x509.Certificate, error) {
	certs, err := i.readCerts(ctx, i.cfg.Mount+"/cert/ca_chain")
	if err == nil && len(certs) == 0 {
		certs, err = i.readCerts(ctx, i.cfg.Mount+"/cert/ca")
	}
	if err != nil {
		return nil, fmt.Errorf("vault: trust anchors: %w", err)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%w: PKI mount %q has no CA certificate", ErrNotFound, i.cfg.Mount)
	}
	return certs, nil
}

// readCerts reads the PEM certificates in the "certificate" field at path.
func (i *Issuer) readCerts(ctx context.Context, path string) ([]*x509.Certificate, error) {
	sec, err := i.read(ctx, path)
	if err != nil {
		return nil, err
	}
	if sec == nil || sec.Data == nil {
		return nil, nil
	}
	s, _ := sec.Data["certificate"].(string)
	certs, err := parseCertsPEM(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrResponse, path, err)
	}
	return certs, nil
}

func (i *Issuer) read(ctx context.Context, path string) (*api.Secret, error) {
	var sec *api.Secret
	err := i.call(ctx, "read", path, func(ctx context.Context) (err error) {
		sec, err = i.client.Logical().ReadWithContext(ctx, path)
		return err
	})
	return sec, err
}

// serialPattern is a serial as Vault writes it: hex byte pairs joined by
// ':' (or '-', Vault's storage form).
var serialPattern = regexp.MustCompile(`^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2})*$`)

// checkSerial validates serial and returns it in SerialString form. The
// check also keeps anything but a serial out of the request path.
func checkSerial(serial string) (string, error) {
	s := strings.TrimSpace(serial)
	if !serialPattern.MatchString(s) {
		return "", fmt.Errorf("%w: %q: want hex byte pairs joined by ':'", identity.ErrBadSerial, serial)
	}
	return normalizeSerial(s), nil
}

// normalizeSerial lowercases a Vault serial and joins its pairs with ':'.
func normalizeSerial(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", ":")
}

// intField reads an integer field of a Vault answer, which the API client
// decodes as json.Number.
func intField(data map[string]any, key string) (int64, error) {
	switch v := data[key].(type) {
	case json.Number:
		return v.Int64()
	case float64:
		return int64(v), nil
	case nil:
		return 0, fmt.Errorf("no field %s", key)
	default:
		return 0, fmt.Errorf("field %s: unexpected type %T", key, v)
	}
}
