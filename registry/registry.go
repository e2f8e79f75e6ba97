package registry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Registry is a handle on the etcd-backed registry. It is safe for
// concurrent use. Close it when done; watches started from it end then
// (or earlier, when their ctx ends).
type Registry struct {
	cli       *clientv3.Client
	endpoints []string
	prefix    string
	opTimeout time.Duration
	log       *slog.Logger
	now       func() time.Time
}

// Connect dials etcd and waits, up to DialTimeout, for any endpoint to
// answer. When none does it fails with an error wrapping ErrUnavailable
// that names the endpoints.
func Connect(ctx context.Context, c Config) (*Registry, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c = c.withDefaults()
	cli, err := clientv3.New(clientConfig(c))
	if err != nil {
		return nil, fmt.Errorf("registry: etcd client for %s: %w", strings.Join(c.Endpoints, ", "), err)
	}
	r := &Registry{
		cli:       cli,
		endpoints: append([]string(nil), c.Endpoints...),
		prefix:    c.Prefix,
		opTimeout: c.OpTimeout,
		log:       c.Logger.With("component", "registry"),
		now:       c.Clock,
	}
	if err := r.probe(ctx, c.DialTimeout); err != nil {
		_ = cli.Close()
		return nil, err
	}
	return r, nil
}

func clientConfig(c Config) clientv3.Config {
	reconnect := backoff.DefaultConfig
	reconnect.BaseDelay = 100 * time.Millisecond
	reconnect.MaxDelay = 2 * time.Second
	return clientv3.Config{
		Endpoints:            c.Endpoints,
		TLS:                  c.TLS,
		DialTimeout:          c.DialTimeout,
		DialKeepAliveTime:    10 * time.Second,
		DialKeepAliveTimeout: 5 * time.Second,
		Logger:               newZapLogger(c.Logger, "etcd-client"),
		DialOptions: []grpc.DialOption{grpc.WithConnectParams(grpc.ConnectParams{
			Backoff:           reconnect,
			MinConnectTimeout: c.DialTimeout,
		})},
	}
}

// probe makes one serializable read, which any live member answers even
// without quorum.
func (r *Registry) probe(ctx context.Context, timeout time.Duration) error {
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, err := r.cli.Get(pctx, r.key(keyPhase), clientv3.WithSerializable())
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("registry: connect to %s: %w", strings.Join(r.endpoints, ", "), ctx.Err())
	}
	return fmt.Errorf("%w: no etcd endpoint answered within %s (endpoints: %s): %w",
		ErrUnavailable, timeout, strings.Join(r.endpoints, ", "), err)
}

// Close closes the etcd client. Watches started from r stop.
func (r *Registry) Close() error {
	err := r.cli.Close()
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("registry: close: %w", err)
	}
	return nil
}

// Client returns the underlying etcd client, for callers that need an
// etcd feature the registry does not wrap (elections, for example).
func (r *Registry) Client() *clientv3.Client { return r.cli }

// Endpoints returns the endpoints r was configured with.
func (r *Registry) Endpoints() []string { return append([]string(nil), r.endpoints...) }

// Healthy makes one linearizable read within OpTimeout. It returns nil
// when a quorum answered, and an error wrapping ErrUnavailable otherwise.
func (r *Registry) Healthy(ctx context.Context) error {
	octx, cancel := r.opCtx(ctx)
	defer cancel()
	if _, err := r.cli.Get(octx, r.key(keyPhase)); err != nil {
		return r.fail(ctx, octx, "health check", err)
	}
	return nil
}

func (r *Registry) opCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, r.opTimeout)
}

// fail wraps err, returned by an etcd call made for op under octx, the
// OpTimeout context derived from the caller's ctx. When ctx ended, the
// caller's reason is returned; when etcd did not answer within
// OpTimeout (whatever form the error took on the wire), ErrUnavailable.
func (r *Registry) fail(ctx, octx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("registry: %s: %w", op, cerr)
	}
	if errors.Is(octx.Err(), context.DeadlineExceeded) || isUnavailable(err) {
		return fmt.Errorf("%w: %s: not confirmed by a quorum within %s: %w", ErrUnavailable, op, r.opTimeout, err)
	}
	return fmt.Errorf("registry: %s: %w", op, err)
}

// isUnavailable reports whether err means etcd could not answer: a
// deadline, no leader, no reachable endpoint, a server-side timeout.
func isUnavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, clientv3.ErrNoAvailableEndpoints) {
		return true
	}
	var ee rpctypes.EtcdError
	if errors.As(err, &ee) {
		return unavailableCode(ee.Code())
	}
	if s, ok := status.FromError(err); ok {
		// The server's copy of the propagated deadline can fire a moment
		// before the client's; it then answers Unknown with the context
		// error's text.
		return unavailableCode(s.Code()) ||
			(s.Code() == codes.Unknown && s.Message() == context.DeadlineExceeded.Error())
	}
	return false
}

func unavailableCode(c codes.Code) bool {
	return c == codes.Unavailable || c == codes.DeadlineExceeded
}
