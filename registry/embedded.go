package registry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

// Embedded etcd settings.
const (
	embeddedName         = "maso"
	embeddedReadyTimeout = 30 * time.Second
	embeddedStartTries   = 3
)

// Embedded is a single-member etcd running inside this process: the
// default control plane for one node and for tests. Production clusters
// run etcd out of process (see doc.go).
type Embedded struct {
	etcd      *embed.Etcd
	endpoints []string
	once      sync.Once
}

// StartEmbedded starts a single-member etcd with its data in dir,
// listening on 127.0.0.1 only. The client and peer ports are chosen by
// the OS the first time and saved in dir/ports.json; later starts on the
// same dir reuse them when they are free and pick new ones otherwise
// (the data stays; a changed peer URL is written back into the member
// list). It returns once etcd is ready to serve, within 30s.
//
// In a process that also runs a protoactor remote, start the remote
// first: it replaces gRPC's global logger, which races with a running
// etcd.
func StartEmbedded(ctx context.Context, dir string, log *slog.Logger) (*Embedded, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("registry: embedded etcd dir: %w", err)
	}
	saved, err := readPorts(dir)
	if err != nil {
		return nil, err
	}
	var lastErr error
	for range embeddedStartTries {
		ports, err := choosePorts(saved)
		if err != nil {
			return nil, err
		}
		e, err := startEtcd(ctx, dir, ports, log)
		if err == nil {
			return e, e.finishStart(ctx, dir, saved, ports, log)
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			return nil, err
		}
		lastErr = err // lost a race for a port: choose again
		saved = embeddedPorts{}
	}
	return nil, lastErr
}

// finishStart records the ports and, when the peer port moved, updates
// the member's peer URL. On failure it stops etcd.
func (e *Embedded) finishStart(ctx context.Context, dir string, saved, ports embeddedPorts, log *slog.Logger) error {
	if saved.Peer != 0 && saved.Peer != ports.Peer {
		if err := e.updatePeerURL(ctx, ports, log); err != nil {
			_ = e.Close()
			return err
		}
	}
	if err := writePorts(dir, ports); err != nil {
		_ = e.Close()
		return err
	}
	log.Info("embedded etcd ready", "endpoints", e.endpoints, "dir", dir)
	return nil
}

// startEtcd starts etcd on ports and waits until it is ready.
func startEtcd(ctx context.Context, dir string, ports embeddedPorts, log *slog.Logger) (*Embedded, error) {
	cfg := embeddedConfig(dir, ports, log)
	etcd, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, fmt.Errorf("registry: start embedded etcd in %s: %w", dir, err)
	}
	timer := time.NewTimer(embeddedReadyTimeout)
	defer timer.Stop()
	select {
	case <-etcd.Server.ReadyNotify():
		eps := []string{cfg.AdvertiseClientUrls[0].String()}
		return &Embedded{etcd: etcd, endpoints: eps}, nil
	case err = <-etcd.Err():
		err = fmt.Errorf("registry: embedded etcd in %s failed while starting: %w", dir, err)
	case <-timer.C:
		err = fmt.Errorf("registry: embedded etcd in %s not ready within %s", dir, embeddedReadyTimeout)
	case <-ctx.Done():
		err = fmt.Errorf("registry: start embedded etcd: %w", ctx.Err())
	}
	etcd.Server.Stop()
	etcd.Close()
	return nil, err
}

func embeddedConfig(dir string, ports embeddedPorts, log *slog.Logger) *embed.Config {
	cfg := embed.NewConfig()
	cfg.Name = embeddedName
	cfg.Dir = filepath.Join(dir, "etcd")
	client := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports.Client)}
	peer := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports.Peer)}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.InitialClusterToken = "maso-embedded"
	cfg.AutoCompactionMode = "periodic"
	cfg.AutoCompactionRetention = "1h"
	cfg.EnableGRPCGateway = false
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(newZapLogger(log, "etcd"))
	return cfg
}

// Endpoints returns the client URLs of the embedded etcd.
func (e *Embedded) Endpoints() []string { return append([]string(nil), e.endpoints...) }

// Close stops etcd. Its data stays in the directory. It is safe to call
// more than once.
func (e *Embedded) Close() error {
	e.once.Do(e.etcd.Close)
	return nil
}
