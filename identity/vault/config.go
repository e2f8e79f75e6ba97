package vault

import (
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/vault/api"
)

// Defaults applied to a zero Config field.
const (
	DefaultMount        = "pki"
	DefaultAppRoleMount = "approle"
	DefaultTimeout      = 10 * time.Second
)

// Config configures an Issuer. Empty fields take Vault's own conventions
// (the VAULT_* environment variables that api.DefaultConfig and
// api.NewClient read) or the defaults above.
type Config struct {
	// Address is Vault's URL. Empty means VAULT_ADDR, and Vault's default
	// https://127.0.0.1:8200 when that is unset too.
	Address string
	// Token authenticates to Vault. Empty means VAULT_TOKEN. Ignored when
	// AppRole is set. The Issuer does not renew it: a token given here is
	// kept fresh by whoever issued it (for example Vault Agent).
	Token string
	// AppRole, when set, is used instead of Token: the Issuer logs in at
	// New and logs in again before the token expires, or at once if Vault
	// reports the token invalid.
	AppRole *AppRole
	// Mount is the path of the PKI secrets engine. Empty means "pki".
	Mount string
	// Role is the PKI role agents are issued under unless Roles overrides
	// it. Required.
	Role string
	// Roles maps an agent class (for example "write", "read", "tier3") to
	// the PKI role for that class; see Issuer.ForClass. Optional.
	Roles map[string]string
	// TrustDomain, when set, restricts Issue to SPIFFE IDs in this trust
	// domain (identity.ErrTrustDomainMismatch otherwise), whatever the
	// Vault role would allow.
	TrustDomain string
	// CACert is a PEM file of the CA that signed Vault's TLS certificate,
	// added to any VAULT_CACERT / VAULT_CAPATH setting.
	CACert string
	// Timeout bounds each request to Vault. The Issuer does not retry a
	// failed request unless VAULT_MAX_RETRIES asks it to (retries then
	// count against Timeout): callers retry on ErrUnavailable with their
	// own backoff. Zero means DefaultTimeout.
	Timeout time.Duration
	// Logger receives the Issuer's log lines. Nil means slog.Default().
	// Tokens and secret IDs are never logged.
	Logger *slog.Logger
}

// AppRole is the AppRole login of an Issuer.
type AppRole struct {
	RoleID string
	// SecretID is a secret: it is sent to Vault's login endpoint and
	// nowhere else, and never appears in logs or errors.
	SecretID string
	// Mount is the path of the AppRole auth method. Empty means "approle".
	Mount string
}

// DefaultConfig returns a Config for the PKI mount "pki" and the given
// role, taking Vault's address and token from the environment.
func DefaultConfig(role string) Config {
	return Config{Mount: DefaultMount, Role: role, Timeout: DefaultTimeout}
}

// pathSegment is what the Issuer accepts as a mount path segment or role
// name: Vault allows more, but nothing here needs to.
var pathSegment = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Validate reports what is wrong with c, after defaults. Errors wrap
// ErrConfig.
func (c Config) Validate() error {
	c = c.withDefaults()
	if err := validMount("Mount", c.Mount); err != nil {
		return err
	}
	if !pathSegment.MatchString(c.Role) {
		return fmt.Errorf("%w: Role %q: want a Vault PKI role name", ErrConfig, c.Role)
	}
	for class, role := range c.Roles {
		if class == "" || !pathSegment.MatchString(role) {
			return fmt.Errorf("%w: Roles[%q] = %q: want a class name and a PKI role name", ErrConfig, class, role)
		}
	}
	if c.Timeout < 0 {
		return fmt.Errorf("%w: Timeout %v is negative", ErrConfig, c.Timeout)
	}
	if a := c.AppRole; a != nil {
		if a.RoleID == "" || a.SecretID == "" {
			return fmt.Errorf("%w: AppRole needs both RoleID and SecretID", ErrConfig)
		}
		if err := validMount("AppRole.Mount", a.Mount); err != nil {
			return err
		}
	}
	return nil
}

// validMount accepts one or more path segments separated by '/'.
func validMount(field, mount string) error {
	for seg := range strings.SplitSeq(mount, "/") {
		if !pathSegment.MatchString(seg) {
			return fmt.Errorf("%w: %s %q: want a Vault mount path", ErrConfig, field, mount)
		}
	}
	return nil
}

// withDefaults fills the zero fields that have a fixed default. It copies
// AppRole so that the caller's value is never modified.
func (c Config) withDefaults() Config {
	c.Mount = strings.Trim(c.Mount, "/")
	if c.Mount == "" {
		c.Mount = DefaultMount
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.AppRole != nil {
		a := *c.AppRole
		a.Mount = strings.Trim(a.Mount, "/")
		if a.Mount == "" {
			a.Mount = DefaultAppRoleMount
		}
		c.AppRole = &a
	}
	return c
}

// newClient builds the API client: VAULT_* environment first, then the
// explicit fields of c on top.
func newClient(c Config) (*api.Client, error) {
	ac := api.DefaultConfig()
	if ac.Error != nil {
		return nil, fmt.Errorf("%w: VAULT_* environment: %w", ErrConfig, ac.Error)
	}
	if c.Address != "" {
		ac.Address = c.Address
	}
	if c.CACert != "" {
		if err := ac.ConfigureTLS(&api.TLSConfig{CACert: c.CACert}); err != nil {
			return nil, fmt.Errorf("%w: CACert %s: %w", ErrConfig, c.CACert, err)
		}
	}
	ac.Timeout = c.Timeout
	if os.Getenv(api.EnvVaultMaxRetries) == "" {
		// Fail fast and let the caller back off (ErrUnavailable) rather
		// than retry inside a request.
		ac.MaxRetries = 0
	}
	client, err := api.NewClient(ac)
	if err != nil {
		return nil, fmt.Errorf("%w: client for %s: %w", ErrConfig, ac.Address, err)
	}
	if c.Token != "" {
		client.SetToken(c.Token)
	}
	return client, nil
}
