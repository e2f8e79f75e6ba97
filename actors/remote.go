package actors

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
)

// RemoteConfig makes a node reachable by other nodes over protoactor remote,
// with mutual TLS: both sides present a certificate from the trust bundle.
type RemoteConfig struct {
	Listen    string      // host:port; port 0 picks a free port
	ServerTLS *tls.Config // must require and verify client certificates
	ClientTLS *tls.Config // used to dial other nodes
	Logger    *slog.Logger
}

type remoteServer struct {
	r *remote.Remote
}

func (r *remoteServer) stop() { r.r.Shutdown(false) }

// allowedRemoteTypes are the only message types a peer node may send. Our own
// traffic is signed envelopes; the rest is what protoactor needs for watches
// and failing futures fast. Peer-sent Stop, PoisonPill, Restart or Failure
// never reach an actor.
var allowedRemoteTypes = map[string]bool{
	"maso.bus.v1.Signed":       true,
	"actor.Watch":              true,
	"actor.Unwatch":            true,
	"actor.Terminated":         true,
	"actor.DeadLetterResponse": true,
}

// startRemote starts protoactor remote with mTLS and the stream guard.
func startRemote(as *actor.ActorSystem, c *RemoteConfig) (*remoteServer, error) {
	if c.ServerTLS == nil || c.ClientTLS == nil {
		return nil, errors.New("actors: remote needs server and client TLS configs (mutual TLS)")
	}
	if c.ServerTLS.ClientAuth != tls.RequireAndVerifyClientCert {
		return nil, errors.New("actors: remote server TLS must require and verify client certificates")
	}
	host, portStr, err := net.SplitHostPort(c.Listen)
	if err != nil {
		return nil, fmt.Errorf("actors: remote listen address %q: %w", c.Listen, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("actors: remote listen port %q: %w", portStr, err)
	}
	if port == 0 {
		if port, err = freePort(host); err != nil {
			return nil, err
		}
	}
	log := c.Logger
	if log == nil {
		log = slog.Default()
	}
	g := &streamGuard{log: log}
	cfg := remote.Configure(host, port,
		remote.WithServerOptions(grpc.Creds(credentials.NewTLS(c.ServerTLS)), grpc.StreamInterceptor(g.intercept)),
		remote.WithDialOptions(grpc.WithTransportCredentials(credentials.NewTLS(c.ClientTLS))))
	r := remote.NewRemote(as, cfg)
	if err := startOrError(r); err != nil {
		return nil, err
	}
	return &remoteServer{r: r}, nil
}

// startOrError turns remote.Start's panic on a failed listen into an error.
func startOrError(r *remote.Remote) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("actors: start remote: %v", p)
		}
	}()
	r.Start()
	return nil
}

func freePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, fmt.Errorf("actors: find a free port on %s: %w", host, err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// streamGuard protects the remote endpoint: it recovers a panic in the
// protoactor stream handler (a malformed frame must not crash the node) and
// filters every inbound batch (indices in range, only allowed message types).
type streamGuard struct {
	log *slog.Logger
}

func (g *streamGuard) intercept(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("remote stream handler panicked; stream closed, node unaffected", "method", info.FullMethod, "panic", fmt.Sprint(p))
			err = status.Errorf(codes.Internal, "malformed stream")
		}
	}()
	return handler(srv, &filteredStream{ServerStream: ss, g: g})
}

type filteredStream struct {
	grpc.ServerStream
	g *streamGuard
}

func (s *filteredStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	rm, ok := m.(*remote.RemoteMessage)
	if !ok {
		return nil
	}
	if b := rm.GetMessageBatch(); b != nil {
		if err := s.g.filter(b); err != nil {
			s.g.log.Warn("remote batch refused", "err", err)
			return status.Errorf(codes.InvalidArgument, "%v", err)
		}
	}
	return nil
}

// filter validates every index of a batch and drops envelopes of types a peer
// may not send.
func (g *streamGuard) filter(b *remote.MessageBatch) error {
	kept := b.Envelopes[:0]
	for _, e := range b.Envelopes {
		if int(e.TypeId) < 0 || int(e.TypeId) >= len(b.TypeNames) {
			return fmt.Errorf("envelope type index %d out of range", e.TypeId)
		}
		if int(e.Target) < 0 || int(e.Target) >= len(b.Targets) {
			return fmt.Errorf("envelope target index %d out of range", e.Target)
		}
		if e.Sender < 0 || int(e.Sender) > len(b.Senders) {
			return fmt.Errorf("envelope sender index %d out of range", e.Sender)
		}
		if t := b.TypeNames[e.TypeId]; !allowedRemoteTypes[t] {
			g.log.Warn("remote message of a refused type dropped (IA-2.3)", "type", t)
			continue
		}
		kept = append(kept, e)
	}
	b.Envelopes = kept
	return nil
}
