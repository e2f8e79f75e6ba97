package vault

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/vault/api"
)

// auth keeps the client's token valid. With a static token it does
// nothing; with AppRole it logs in when the token is missing, close to
// expiry, or reported invalid by Vault.
type auth struct {
	client  *api.Client // the client whose token is managed
	login   *api.Client // a tokenless clone for the login call
	approle *AppRole    // nil: static token
	timeout time.Duration

	mu        sync.Mutex
	refreshAt time.Time // log in again from this time on; zero: now
	forever   bool      // the token has no TTL
}

func newAuth(client *api.Client, c Config) (*auth, error) {
	a := &auth{client: client, approle: c.AppRole, timeout: c.Timeout}
	if a.approle == nil {
		if client.Token() == "" {
			return nil, fmt.Errorf("%w: no token: set Config.Token, VAULT_TOKEN or Config.AppRole", ErrConfig)
		}
		return a, nil
	}
	login, err := client.Clone()
	if err != nil {
		return nil, fmt.Errorf("%w: login client: %w", ErrConfig, err)
	}
	login.ClearToken() // Clone reads VAULT_TOKEN; the login must not send it
	a.login = login
	return a, nil
}

// ensure makes sure the client holds a token it may use now.
func (a *auth) ensure(ctx context.Context) error {
	if a.approle == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.forever || (!a.refreshAt.IsZero() && time.Now().Before(a.refreshAt)) {
		return nil
	}
	return a.loginLocked(ctx)
}

// invalidate makes the next ensure log in again. It reports whether a
// login is possible at all (false with a static token).
func (a *auth) invalidate() bool {
	if a.approle == nil {
		return false
	}
	a.mu.Lock()
	a.refreshAt, a.forever = time.Time{}, false
	a.mu.Unlock()
	return true
}

// loginLocked logs in with AppRole and installs the token. a.mu is held.
func (a *auth) loginLocked(ctx context.Context) error {
	path := "auth/" + a.approle.Mount + "/login"
	cctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	start := time.Now()
	sec, err := a.login.Logical().WriteWithContext(cctx, path, map[string]any{
		"role_id":   a.approle.RoleID,
		"secret_id": a.approle.SecretID,
	})
	if err != nil {
		err = classify(ctx, "login", path, err)
		if ce, ok := err.(*callError); ok && (ce.kind == ErrRejected || ce.kind == ErrPermissionDenied) {
			ce.kind = ErrAuth // Vault answers a wrong role or secret ID with 400
		}
		return err
	}
	if sec == nil || sec.Auth == nil || sec.Auth.ClientToken == "" {
		return fmt.Errorf("%w: login %s: no token in the answer", ErrResponse, path)
	}
	a.client.SetToken(sec.Auth.ClientToken)
	ttl := time.Duration(sec.Auth.LeaseDuration) * time.Second
	a.forever = ttl <= 0
	// Log in again when a fifth of the lifetime is left.
	a.refreshAt = start.Add(ttl - ttl/5)
	return nil
}
