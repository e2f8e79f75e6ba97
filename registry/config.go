package registry

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Defaults applied by Connect to zero Config fields.
const (
	DefaultDialTimeout = 5 * time.Second
	DefaultOpTimeout   = 3 * time.Second
	DefaultPrefix      = "/maso/"
)

// Config says how to reach etcd. The zero value of every field except
// Endpoints is useful.
type Config struct {
	// Endpoints are the etcd client URLs, e.g. "http://127.0.0.1:2379".
	Endpoints []string
	// TLS secures the client connection. nil means plain text, which is
	// only acceptable on loopback or in development.
	TLS *tls.Config
	// DialTimeout bounds Connect's wait for a first answer. Default 5s.
	DialTimeout time.Duration
	// OpTimeout bounds every single operation: a write that cannot reach
	// quorum fails with ErrUnavailable within it. Default 3s.
	OpTimeout time.Duration
	// Prefix is prepended to every key. Default "/maso/"; a missing
	// trailing slash is added.
	Prefix string
	// Logger receives the registry's and the etcd client's logs. Default
	// slog.Default().
	Logger *slog.Logger
	// Clock returns the current time for timestamps and expiry
	// decisions. Default time.Now. Waits still use real timers.
	Clock func() time.Time
}

// DefaultConfig returns a Config for endpoints with every default filled
// in.
func DefaultConfig(endpoints ...string) Config {
	return Config{Endpoints: endpoints}.withDefaults()
}

// Validate reports a Config that Connect cannot use.
func (c Config) Validate() error {
	if len(c.Endpoints) == 0 {
		return fmt.Errorf("%w: no etcd endpoints configured", ErrInvalid)
	}
	for _, ep := range c.Endpoints {
		if strings.TrimSpace(ep) == "" {
			return fmt.Errorf("%w: empty etcd endpoint in %q", ErrInvalid, c.Endpoints)
		}
	}
	if c.DialTimeout < 0 || c.OpTimeout < 0 {
		return fmt.Errorf("%w: negative timeout", ErrInvalid)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.DialTimeout == 0 {
		c.DialTimeout = DefaultDialTimeout
	}
	if c.OpTimeout == 0 {
		c.OpTimeout = DefaultOpTimeout
	}
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	if !strings.HasSuffix(c.Prefix, "/") {
		c.Prefix += "/"
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	return c
}
