package vaulttest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Timeouts of the harness.
const (
	healthTimeout = 60 * time.Second
	stopTimeout   = 10 * time.Second
	startAttempts = 3
)

// Server is a Vault dev server on 127.0.0.1. Its methods must be called
// from the test goroutine.
type Server struct {
	// Addr is the server's URL, http://127.0.0.1:<port>.
	Addr string
	// Token is the dev root token, random for each Start.
	Token string

	t       testing.TB
	bin     string
	listen  string // 127.0.0.1:<port>
	dir     string // HOME of the server and home of its log
	logPath string
	proc    *process
}

// Start runs `vault server -dev` on a free loopback port and waits until
// /v1/sys/health answers. The binary is $MASO_VAULT_BIN or bin/vault in
// the module root; Start builds nothing and fails the test if it is
// missing. The server is killed at cleanup and its log (with the root
// token and unseal key redacted) is printed if the test failed.
//
// A dev server keeps everything in memory and listens on plain HTTP:
// right for tests, never for production.
func Start(t testing.TB) *Server {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatalf("vaulttest: %v", err)
	}
	bin, err := findBinary(wd)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := &Server{t: t, bin: bin, dir: dir, logPath: filepath.Join(dir, "vault.log"), Token: randomToken()}
	t.Cleanup(func() {
		if t.Failed() {
			s.dumpLog()
		}
		s.kill()
	})
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			t.Fatalf("vaulttest: %v", err)
		}
		s.listen = "127.0.0.1:" + strconv.Itoa(port)
		s.Addr = "http://" + s.listen
		err = s.start()
		if err == nil {
			return s
		}
		clash := s.portClash()
		s.kill()
		if !clash || attempt == startAttempts {
			s.dumpLog()
			t.Fatalf("vaulttest: start vault: %v", err)
		}
		t.Logf("vaulttest: port %d was taken; retrying with another", port)
	}
}

// Stop stops the server (SIGTERM, SIGKILL after 10s) and waits for it to
// exit; requests then fail with connection refused. Stopping a stopped
// server does nothing.
func (s *Server) Stop() {
	s.t.Helper()
	if s.proc == nil {
		return
	}
	if err := s.proc.stop(stopTimeout); err != nil {
		s.t.Logf("vaulttest: stop: %v", err)
	}
}

// Restart starts the server again on the same address with the same root
// token. A dev server keeps nothing across restarts: the restarted Vault
// is empty, so mounts, CAs, roles, policies and AppRoles must be set up
// again (SetupPKI, SetupAppRole), and certificates and tokens from before
// are unknown to it.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	var err error
	for attempt := 1; attempt <= startAttempts; attempt++ {
		if err = s.start(); err == nil {
			return
		}
		s.kill()
		if !s.portClash() {
			break
		}
		time.Sleep(time.Second) // the old socket may linger briefly
	}
	s.dumpLog()
	s.t.Fatalf("vaulttest: restart vault on %s: %v", s.listen, err)
}

// start launches the process and waits for health.
func (s *Server) start() error {
	args := []string{"server", "-dev", "-dev-listen-address=" + s.listen, "-dev-no-store-token"}
	p, err := startProcess(s.bin, args, s.env(), s.logPath)
	if err != nil {
		return err
	}
	s.proc = p
	return s.waitHealthy()
}

// env is the server's environment: ours without VAULT_* variables, a
// private HOME, and the root token (passed in the environment so that it
// does not show in the process list).
func (s *Server) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "VAULT_") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	return append(env, "HOME="+s.dir, "VAULT_DEV_ROOT_TOKEN_ID="+s.Token)
}

// waitHealthy polls /v1/sys/health until it answers 200 (initialised,
// unsealed, active).
func (s *Server) waitHealthy() error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(healthTimeout)
	for {
		resp, err := client.Get(s.Addr + "/v1/sys/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("sys/health answered %s", resp.Status)
		}
		if !s.proc.running() {
			return fmt.Errorf("vault exited while starting (see its log)")
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not healthy after %s: %w", healthTimeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *Server) kill() {
	if s.proc != nil {
		s.proc.kill()
	}
}

func (s *Server) portClash() bool {
	data, err := os.ReadFile(s.logPath)
	return err == nil && strings.Contains(string(data), "address already in use")
}

// dumpLog prints the tail of the server's log with secrets redacted.
func (s *Server) dumpLog() {
	data, err := os.ReadFile(s.logPath)
	if err != nil {
		s.t.Logf("vaulttest: no log: %v", err)
		return
	}
	lines := strings.Split(strings.TrimRight(redact(string(data), s.Token), "\n"), "\n")
	lines = lines[max(0, len(lines)-80):]
	s.t.Logf("vaulttest: last %d lines of the vault log:\n%s", len(lines), strings.Join(lines, "\n"))
}

// redact removes the root token and the unseal key from a dev server log.
func redact(log, token string) string {
	if token != "" {
		log = strings.ReplaceAll(log, token, "[redacted]")
	}
	lines := strings.Split(log, "\n")
	for i, l := range lines {
		if k := strings.Index(l, "Unseal Key:"); k >= 0 {
			lines[i] = l[:k] + "Unseal Key: [redacted]"
		}
	}
	return strings.Join(lines, "\n")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "vaulttest-" + hex.EncodeToString(b[:])
}
