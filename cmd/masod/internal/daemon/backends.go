package daemon

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"

	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/identity/vault"
	"github.com/maso-runtime/maso/node"
)

// etcdFlags point masod at an external etcd cluster.
type etcdFlags struct {
	endpoints     []string
	ca, cert, key string
}

func (f etcdFlags) check() error {
	for _, e := range f.endpoints {
		if u, err := url.Parse(e); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("invalid value %q for flag -etcd-endpoints: want http(s)://host:port", e)
		}
	}
	if (f.cert == "") != (f.key == "") {
		return errors.New("-etcd-cert and -etcd-key go together")
	}
	return nil
}

// etcdOptions builds the node's etcd options from the flags, falling back
// to the config's etcd section.
func etcdOptions(f etcdFlags, c config.Etcd) (node.EtcdOptions, error) {
	if len(f.endpoints) == 0 {
		f.endpoints, f.ca, f.cert, f.key = c.Endpoints, c.CAFile, c.CertFile, c.KeyFile
	}
	o := node.EtcdOptions{Endpoints: f.endpoints}
	if f.ca == "" && f.cert == "" {
		return o, nil
	}
	t := &tls.Config{MinVersion: tls.VersionTLS12}
	if f.ca != "" {
		pem, err := os.ReadFile(f.ca)
		if err != nil {
			return o, fmt.Errorf("etcd CA: %w", err)
		}
		t.RootCAs = x509.NewCertPool()
		if !t.RootCAs.AppendCertsFromPEM(pem) {
			return o, fmt.Errorf("etcd CA %s: no PEM certificate in it", f.ca)
		}
	}
	if f.cert != "" {
		pair, err := tls.LoadX509KeyPair(f.cert, f.key)
		if err != nil {
			return o, fmt.Errorf("etcd client certificate: %w", err)
		}
		t.Certificates = []tls.Certificate{pair}
	}
	o.TLS = t
	return o, nil
}

// issuerFlags choose the certificate issuer.
type issuerFlags struct {
	kind, mount, role string
}

func (f issuerFlags) check() error {
	switch f.kind {
	case "", "builtin", "vault":
		return nil
	}
	return fmt.Errorf("invalid value %q for flag -issuer: want builtin or vault", f.kind)
}

// newIssuer returns nil for the built-in CA (the node creates it), or the
// Vault PKI issuer: address, token and CA certificate come from Vault's own
// VAULT_ADDR, VAULT_TOKEN and VAULT_CACERT, or AppRole from MASO_VAULT_ROLE_ID
// and MASO_VAULT_SECRET_ID.
func newIssuer(ctx context.Context, f issuerFlags, c *config.Config, log *slog.Logger, getenv func(string) string) (identity.Issuer, error) {
	kind := f.kind
	if kind == "" {
		kind = c.Identity.Issuer
	}
	if kind != "vault" {
		return nil, nil
	}
	if f.role == "" {
		return nil, errors.New("--issuer vault needs --vault-role (the PKI role agents' CSRs are signed under)")
	}
	vc := vault.DefaultConfig(f.role)
	vc.Mount, vc.TrustDomain, vc.Logger = f.mount, c.TrustDomain, log.With("component", "vault")
	if id := getenv("MASO_VAULT_ROLE_ID"); id != "" {
		vc.AppRole = &vault.AppRole{RoleID: id, SecretID: getenv("MASO_VAULT_SECRET_ID")}
	}
	iss, err := vault.New(ctx, vc)
	if err != nil {
		return nil, fmt.Errorf("vault issuer: %w", err)
	}
	return iss, nil
}
