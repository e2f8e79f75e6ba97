package etcdtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// EtcdBinary is the etcd server the Cluster harness runs (Debian package
// etcd-server).
const EtcdBinary = "/usr/bin/etcd"

// Timeouts of the Cluster harness.
const (
	healthTimeout = 30 * time.Second
	stopTimeout   = 10 * time.Second
	startAttempts = 3
)

// Cluster is a running multi-member etcd cluster of separate processes.
// Its methods must be called from the test goroutine.
type Cluster struct {
	t       testing.TB
	members []*member
}

// NewCluster starts a size-member cluster on 127.0.0.1 with free ports,
// each member in its own temporary directory, and waits until every
// member serves linearizable reads. Everything is killed at cleanup; the
// members' output is printed if the test failed.
func NewCluster(t testing.TB, size int) *Cluster {
	t.Helper()
	if _, err := os.Stat(EtcdBinary); err != nil {
		t.Fatalf("etcdtest: %s not found: install etcd-server (make test-deps): %v", EtcdBinary, err)
	}
	if size < 1 {
		t.Fatalf("etcdtest: cluster size %d", size)
	}
	for attempt := 1; ; attempt++ {
		c, err := startCluster(t, size)
		if err == nil {
			return c
		}
		clash := c.portClash()
		c.kill()
		if !clash || attempt == startAttempts {
			c.dumpLogs()
			t.Fatalf("etcdtest: start %d-member cluster: %v", size, err)
		}
		t.Logf("etcdtest: port clash while starting the cluster; retrying with new ports")
	}
}

// startCluster starts the members and waits for health. The returned
// cluster is non-nil even on error, so the caller can clean it up.
func startCluster(t testing.TB, size int) (*Cluster, error) {
	c := &Cluster{t: t}
	ports, err := freePorts(2 * size)
	if err != nil {
		return c, err
	}
	token := randomToken()
	var initial []string
	for i := range size {
		m := &member{
			name:       fmt.Sprintf("m%d", i),
			dir:        t.TempDir(),
			clientPort: ports[2*i],
			peerPort:   ports[2*i+1],
			token:      token,
		}
		c.members = append(c.members, m)
		initial = append(initial, m.name+"="+m.peerURL())
	}
	for _, m := range c.members {
		m.initialCluster = strings.Join(initial, ",")
		if err := m.start("new"); err != nil {
			return c, err
		}
	}
	t.Cleanup(func() {
		if t.Failed() {
			c.dumpLogs()
		}
		c.kill()
	})
	return c, c.waitHealthy()
}

// Endpoints returns the client URLs of all members, running or not.
func (c *Cluster) Endpoints() []string {
	eps := make([]string, len(c.members))
	for i, m := range c.members {
		eps[i] = m.clientURL()
	}
	return eps
}

// Stop sends SIGTERM to member i and waits for it to exit (SIGKILL after
// 10s). Stopping a stopped member does nothing.
func (c *Cluster) Stop(i int) {
	c.t.Helper()
	if err := c.member(i).stop(stopTimeout); err != nil {
		c.t.Fatalf("etcdtest: stop member %d: %v", i, err)
	}
}

// Start restarts member i with its data directory and ports (initial
// cluster state "existing") and waits until it accepts connections. It
// does not wait for quorum: see WaitHealthy.
func (c *Cluster) Start(i int) {
	c.t.Helper()
	m := c.member(i)
	if m.running() {
		c.t.Fatalf("etcdtest: member %d is already running", i)
	}
	if err := m.start("existing"); err != nil {
		c.t.Fatalf("etcdtest: start member %d: %v", i, err)
	}
	if err := m.waitListening(healthTimeout); err != nil {
		c.dumpLogs()
		c.t.Fatalf("etcdtest: member %d: %v", i, err)
	}
}

// WaitHealthy waits until every running member serves a linearizable
// read, which needs a quorum.
func (c *Cluster) WaitHealthy() {
	c.t.Helper()
	if err := c.waitHealthy(); err != nil {
		c.dumpLogs()
		c.t.Fatalf("etcdtest: %v", err)
	}
}

// Close kills every member. Cleanup calls it; calling it earlier is fine.
func (c *Cluster) Close() { c.kill() }

func (c *Cluster) member(i int) *member {
	c.t.Helper()
	if i < 0 || i >= len(c.members) {
		c.t.Fatalf("etcdtest: no member %d in a %d-member cluster", i, len(c.members))
	}
	return c.members[i]
}

func (c *Cluster) kill() {
	for _, m := range c.members {
		m.kill()
	}
}

func (c *Cluster) waitHealthy() error {
	deadline := time.Now().Add(healthTimeout)
	for _, m := range c.members {
		if !m.running() {
			continue
		}
		if err := waitReadable(m.clientURL(), deadline); err != nil {
			return fmt.Errorf("member %s not healthy: %w", m.name, err)
		}
	}
	return nil
}

// waitReadable retries a linearizable read through endpoint until it
// succeeds or deadline passes.
func waitReadable(endpoint string, deadline time.Time) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: time.Second, Logger: zap.NewNop()})
	if err != nil {
		return err
	}
	defer cli.Close()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err = cli.Get(ctx, "etcdtest-health")
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (c *Cluster) portClash() bool {
	for _, m := range c.members {
		if data, err := os.ReadFile(m.logPath()); err == nil && strings.Contains(string(data), "address already in use") {
			return true
		}
	}
	return false
}

// dumpLogs prints the tail of every member's output.
func (c *Cluster) dumpLogs() {
	for _, m := range c.members {
		data, err := os.ReadFile(m.logPath())
		if err != nil {
			c.t.Logf("etcdtest: %s: no output: %v", m.name, err)
			continue
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		lines = lines[max(0, len(lines)-60):]
		c.t.Logf("etcdtest: last %d lines of %s (%s):\n%s", len(lines), m.name,
			filepath.Base(m.logPath()), strings.Join(lines, "\n"))
	}
}

// freePorts returns n distinct ports the OS reports free on 127.0.0.1.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func randomToken() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "etcdtest-" + hex.EncodeToString(b[:])
}
