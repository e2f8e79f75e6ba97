package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunExitCodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("trust_domain: t.local\nnode: [1]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"--version"}, 0, "masod v1.2.3", ""},
		{[]string{"-h"}, 0, "", "Usage: masod"},
		{[]string{"--nope"}, 2, "", "flag provided but not defined: -nope"},
		{[]string{"--log-level", "trace"}, 2, "", "want debug, info, warn or error"},
		{[]string{"--remote-listen", "nohost"}, 2, "", "want host:port"},
		{[]string{"--etcd-endpoints", "127.0.0.1:2379"}, 2, "", "want http(s)://host:port"},
		{[]string{"--etcd-cert", "c.pem"}, 2, "", "-etcd-cert and -etcd-key go together"},
		{[]string{"--issuer", "ldap"}, 2, "", "want builtin or vault"},
		{[]string{"--config", bad}, 2, "", bad + ":2: node"},
		{[]string{"--config", filepath.Join(dir, "missing.yaml")}, 2, "", "cannot read file"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), tt.args, IO{Stdout: &stdout, Stderr: &stderr}, "v1.2.3")
		if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", tt.args, code, stdout.String(), stderr.String())
		}
	}
}

var listening = regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)

func TestRunServesUntilCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	dataDir := t.TempDir()
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"--data-dir", dataDir, "--admin-addr", "127.0.0.1:0",
			"--remote-listen", "127.0.0.1:0"}, IO{Stdout: &bytes.Buffer{}, Stderr: &stderr}, "test")
	}()
	var addr string
	for deadline := time.Now().Add(20 * time.Second); addr == ""; time.Sleep(10 * time.Millisecond) {
		if m := listening.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no admin address logged:\n%s", stderr.String())
		}
	}
	res, err := http.Get("http://" + addr + "/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("health without token: %d", res.StatusCode)
	}
	checkTokens(t, "http://"+addr, filepath.Join(dataDir, "admin.token"))
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if !strings.Contains(stderr.String(), "node stopped") {
		t.Errorf("no stop logged:\n%s", stderr.String())
	}
}

func TestRunPortInUse(t *testing.T) {
	t.Parallel()
	var stderr syncBuffer
	// The admin address is taken by a listener of our own.
	srv := &http.Server{}
	ln := listenLoopback(t)
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	code := Run(context.Background(), []string{"--data-dir", t.TempDir(), "--admin-addr", ln.Addr().String()},
		IO{Stdout: &bytes.Buffer{}, Stderr: &stderr}, "test")
	if code != 1 || !strings.Contains(stderr.String(), "address already in use") || !strings.Contains(stderr.String(), "node stopped") {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
}

func listenLoopback(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// checkTokens: the bootstrap token (ciso) creates a viewer token, which
// then authenticates with viewer rights.
func checkTokens(t *testing.T, base, tokenFile string) {
	t.Helper()
	raw, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	status, body := call(t, base, strings.TrimSpace(string(raw)), http.MethodPost, "/v1/tokens", `{"role":"viewer","name":"dash"}`)
	var created struct {
		Token string `json:"token"`
	}
	if status != http.StatusCreated || json.Unmarshal([]byte(body), &created) != nil || created.Token == "" {
		t.Fatalf("create token: %d %s", status, body)
	}
	if status, body := call(t, base, created.Token, http.MethodGet, "/v1/phase", ""); status != http.StatusOK {
		t.Errorf("viewer GET /v1/phase: %d %s", status, body)
	}
	if status, body := call(t, base, created.Token, http.MethodPost, "/v1/tasks", `{"to":"intake","payload":{}}`); status != http.StatusForbidden {
		t.Errorf("viewer POST /v1/tasks: %d %s", status, body)
	}
}

func call(t *testing.T, base, token, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
