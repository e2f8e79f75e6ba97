package etcdtest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// member is one etcd process of a Cluster.
type member struct {
	name                  string
	dir                   string
	clientPort, peerPort  int
	token, initialCluster string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when the current process exits
}

func (m *member) clientURL() string { return "http://127.0.0.1:" + strconv.Itoa(m.clientPort) }
func (m *member) peerURL() string   { return "http://127.0.0.1:" + strconv.Itoa(m.peerPort) }
func (m *member) logPath() string   { return filepath.Join(m.dir, "etcd.log") }

func (m *member) args(state string) []string {
	return []string{
		"--name", m.name,
		"--data-dir", filepath.Join(m.dir, "data"),
		"--listen-client-urls", m.clientURL(),
		"--advertise-client-urls", m.clientURL(),
		"--listen-peer-urls", m.peerURL(),
		"--initial-advertise-peer-urls", m.peerURL(),
		"--initial-cluster", m.initialCluster,
		"--initial-cluster-token", m.token,
		"--initial-cluster-state", state,
		"--heartbeat-interval", "100",
		"--election-timeout", "1000",
		"--logger", "zap",
		"--log-outputs", "stderr",
	}
}

// start launches the process, appending its output to the log file.
func (m *member) start(state string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	out, err := os.OpenFile(m.logPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "=== etcdtest: starting %s (initial cluster state %s) at %s\n", m.name, state, time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(EtcdBinary, m.args(state)...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		out.Close()
		return fmt.Errorf("start %s: %w", EtcdBinary, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		out.Close()
		close(done)
	}()
	m.cmd, m.done = cmd, done
	return nil
}

func (m *member) running() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.done == nil {
		return false
	}
	select {
	case <-m.done:
		return false
	default:
		return true
	}
}

// signal sends sig to the member's process group and returns the
// channel that closes when it exits (nil if it never ran).
func (m *member) signal(sig syscall.Signal) <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cmd == nil {
		return nil
	}
	select {
	case <-m.done: // exited and reaped: its pid may belong to someone else now
	default:
		_ = syscall.Kill(-m.cmd.Process.Pid, sig)
	}
	return m.done
}

// stop terminates the member gracefully, killing it after timeout.
func (m *member) stop(timeout time.Duration) error {
	done := m.signal(syscall.SIGTERM)
	if done == nil {
		return nil
	}
	select {
	case <-done:
		return nil
	case <-time.After(timeout):
	}
	m.kill()
	return errors.New("did not exit on SIGTERM; killed")
}

// kill kills the member's process group and waits for the exit.
func (m *member) kill() {
	if done := m.signal(syscall.SIGKILL); done != nil {
		<-done
	}
}

// waitListening waits until the client port accepts connections.
func (m *member) waitListening(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(m.clientPort), time.Second)
		if err == nil {
			conn.Close()
			return nil
		}
		if !m.running() {
			return errors.New("exited while starting")
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("client port not listening after %s: %w", timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
