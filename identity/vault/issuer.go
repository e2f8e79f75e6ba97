package vault

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"

	"github.com/hashicorp/vault/api"

	"github.com/maso-runtime/maso/identity"
)

// Issuer issues agent certificates from a Vault PKI secrets engine
// (IA-2.1). It implements identity.Issuer, identity.Revoker and
// identity.BundleSource, and is safe for concurrent use.
type Issuer struct {
	cfg    Config
	client *api.Client
	auth   *auth
	log    *slog.Logger
}

var (
	_ identity.Issuer       = (*Issuer)(nil)
	_ identity.Revoker      = (*Issuer)(nil)
	_ identity.BundleSource = (*Issuer)(nil)
)

// New connects to Vault, authenticates (Config.Token or Config.AppRole),
// and checks that the PKI mount answers with a CA and that the token may
// sign with Config.Role and every role in Config.Roles. Errors say which
// of these failed and wrap ErrConfig, ErrUnavailable, ErrAuth,
// ErrPermissionDenied or ErrNotFound.
func New(ctx context.Context, c Config) (*Issuer, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c = c.withDefaults()
	client, err := newClient(c)
	if err != nil {
		return nil, err
	}
	a, err := newAuth(client, c)
	if err != nil {
		return nil, err
	}
	i := &Issuer{
		cfg:    c,
		client: client,
		auth:   a,
		log:    c.Logger.With("component", "vault-issuer", "vault", client.Address(), "mount", c.Mount),
	}
	if err := a.ensure(ctx); err != nil {
		return nil, fmt.Errorf("vault: log in to %s: %w", client.Address(), err)
	}
	if err := i.checkMount(ctx); err != nil {
		return nil, err
	}
	if err := i.checkSignPermission(ctx); err != nil {
		return nil, err
	}
	i.log.Info("vault: issuer ready", "role", c.Role, "approle", c.AppRole != nil)
	return i, nil
}

// ForClass returns an identity.Issuer that issues under the PKI role that
// Config.Roles gives for class. Revocation and trust anchors stay with i.
func (i *Issuer) ForClass(class string) (identity.Issuer, error) {
	role, ok := i.cfg.Roles[class]
	if !ok {
		return nil, fmt.Errorf("%w: no role for agent class %q (configured: %v)", ErrConfig, class, i.classes())
	}
	return classIssuer{i: i, role: role}, nil
}

func (i *Issuer) classes() []string {
	return slices.Sorted(maps.Keys(i.cfg.Roles))
}

// classIssuer is an Issuer bound to one PKI role.
type classIssuer struct {
	i    *Issuer
	role string
}

func (c classIssuer) Issue(ctx context.Context, req identity.IssueRequest) (*identity.Issued, error) {
	return c.i.issue(ctx, c.role, req)
}

// checkMount reads <mount>/cert/ca and requires a CA certificate.
func (i *Issuer) checkMount(ctx context.Context) error {
	certs, err := i.readCerts(ctx, i.cfg.Mount+"/cert/ca")
	if err != nil {
		return fmt.Errorf("vault: check PKI mount %q at %s: %w", i.cfg.Mount, i.client.Address(), err)
	}
	if len(certs) == 0 {
		return fmt.Errorf("%w: PKI mount %q at %s has no CA certificate", ErrNotFound, i.cfg.Mount, i.client.Address())
	}
	return nil
}

// checkSignPermission asks Vault (sys/capabilities-self, allowed by the
// default policy) whether the token may write <mount>/sign/<role> for each
// configured role. A token that may not even ask is let through with a
// warning: Issue will then report the refusal.
func (i *Issuer) checkSignPermission(ctx context.Context) error {
	roles := slices.AppendSeq([]string{i.cfg.Role}, maps.Values(i.cfg.Roles))
	slices.Sort(roles)
	for _, role := range slices.Compact(roles) {
		path := i.signPath(role)
		var caps []string
		err := i.call(ctx, "check capabilities on", path, func(ctx context.Context) (err error) {
			caps, err = i.client.Sys().CapabilitiesSelfWithContext(ctx, path)
			return err
		})
		if errors.Is(err, ErrPermissionDenied) {
			i.log.Warn("vault: cannot check sign permission (sys/capabilities-self denied)", "path", path)
			return nil
		}
		if err != nil {
			return fmt.Errorf("vault: check permission on %s: %w", path, err)
		}
		if !canWrite(caps) {
			return fmt.Errorf("%w on %s: the token's policies give %v, need update", ErrPermissionDenied, path, caps)
		}
	}
	return nil
}

func canWrite(caps []string) bool {
	return slices.Contains(caps, "root") || slices.Contains(caps, "update") || slices.Contains(caps, "create")
}

func (i *Issuer) signPath(role string) string { return i.cfg.Mount + "/sign/" + role }

// call runs fn with a valid token and a deadline of Config.Timeout. If
// Vault reports the token invalid and the Issuer can log in, it logs in
// again and retries once. Errors are classified (see classify).
func (i *Issuer) call(ctx context.Context, op, path string, fn func(ctx context.Context) error) error {
	for attempt := 0; ; attempt++ {
		if err := i.auth.ensure(ctx); err != nil {
			return err
		}
		cctx, cancel := context.WithTimeout(ctx, i.cfg.Timeout)
		err := fn(cctx)
		cancel()
		if err == nil {
			return nil
		}
		if attempt == 0 && isTokenRejected(err) && i.auth.invalidate() {
			i.log.Info("vault: token rejected; logging in again", "path", path)
			continue
		}
		return classify(ctx, op, path, err)
	}
}
