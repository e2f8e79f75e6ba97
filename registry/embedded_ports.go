package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// portsFile holds the embedded etcd's ports, so that restarts keep them.
const portsFile = "ports.json"

// embeddedPorts are the loopback ports of the embedded etcd.
type embeddedPorts struct {
	Client int `json:"client"`
	Peer   int `json:"peer"`
}

func readPorts(dir string) (embeddedPorts, error) {
	data, err := os.ReadFile(filepath.Join(dir, portsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return embeddedPorts{}, nil
	}
	if err != nil {
		return embeddedPorts{}, fmt.Errorf("registry: read %s: %w", portsFile, err)
	}
	var p embeddedPorts
	if err := json.Unmarshal(data, &p); err != nil {
		return embeddedPorts{}, fmt.Errorf("registry: %s in %s: %w", portsFile, dir, err)
	}
	return p, nil
}

// writePorts saves p atomically (write to a temporary file, rename).
func writePorts(dir string, p embeddedPorts) error {
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("registry: encode ports: %w", err)
	}
	tmp := filepath.Join(dir, portsFile+".tmp")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("registry: save ports: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, portsFile)); err != nil {
		return fmt.Errorf("registry: save ports: %w", err)
	}
	return nil
}

// choosePorts keeps each saved port that is free and lets the OS pick
// the others.
func choosePorts(saved embeddedPorts) (embeddedPorts, error) {
	var p embeddedPorts
	var err error
	if p.Client, err = reusePort(saved.Client); err != nil {
		return p, err
	}
	for {
		if p.Peer, err = reusePort(saved.Peer); err != nil || p.Peer != p.Client {
			return p, err
		}
		saved.Peer = 0 // the OS handed out the client port again
	}
}

// reusePort returns port if it can be bound on 127.0.0.1, else a free
// port picked by the OS.
func reusePort(port int) (int, error) {
	if port != 0 {
		if l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			_ = l.Close()
			return port, nil
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("registry: pick a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// updatePeerURL rewrites the member's peer URL after the peer port had
// to change, so the member list matches where the member listens.
func (e *Embedded) updatePeerURL(ctx context.Context, ports embeddedPorts, log *slog.Logger) error {
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:   e.endpoints,
		DialTimeout: DefaultDialTimeout,
		Logger:      newZapLogger(log, "etcd-client"),
	})
	if err != nil {
		return fmt.Errorf("registry: embedded etcd client: %w", err)
	}
	defer cli.Close()
	octx, cancel := context.WithTimeout(ctx, DefaultDialTimeout)
	defer cancel()
	peer := fmt.Sprintf("http://127.0.0.1:%d", ports.Peer)
	id := uint64(e.etcd.Server.MemberID())
	if _, err := cli.MemberUpdate(octx, id, []string{peer}); err != nil {
		return fmt.Errorf("registry: update embedded etcd peer URL to %s: %w", peer, err)
	}
	log.Info("embedded etcd peer URL changed", "peer", peer)
	return nil
}
