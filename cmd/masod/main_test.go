package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/maso-runtime/maso/workload/claims"
)

// lockedBuffer collects a process's output while it runs.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// buildMasod builds this command into dir and returns the binary's path.
func buildMasod(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "masod")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestMasod(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildMasod(t, t.TempDir())
	t.Run("serves and stops on SIGTERM", func(t *testing.T) { testServe(t, bin) })
	t.Run("bad config", func(t *testing.T) { testBadConfig(t, bin) })
	t.Run("bad flags", func(t *testing.T) { testBadFlags(t, bin) })
	t.Run("version", func(t *testing.T) {
		out, err := exec.Command(bin, "--version").Output()
		if err != nil || !strings.HasPrefix(string(out), "masod ") {
			t.Fatalf("--version: %q, %v", out, err)
		}
	})
}

var listening = regexp.MustCompile(`msg="admin API listening" addr=(127\.0\.0\.1:\d+)`)

// startMasod starts the binary on a free loopback port and returns the
// process, its stderr and the admin API's base URL.
func startMasod(t *testing.T, bin, dataDir string) (*exec.Cmd, *lockedBuffer, string) {
	t.Helper()
	stderr := &lockedBuffer{}
	cmd := exec.Command(bin, "--data-dir", dataDir, "--admin-addr", "127.0.0.1:0", "--log-level", "debug")
	cmd.Stderr, cmd.Stdout = stderr, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(stderr.String()); m != nil {
			return cmd, stderr, "http://" + m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("masod did not report its admin address:\n%s", stderr)
	return nil, nil, ""
}

func testServe(t *testing.T, bin string) {
	dataDir := filepath.Join(t.TempDir(), "data")
	cmd, stderr, base := startMasod(t, bin, dataDir)
	tokenFile := filepath.Join(dataDir, "admin.token")
	st, err := os.Stat(tokenFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, %v", st, err)
	}
	raw, _ := os.ReadFile(tokenFile)
	token := strings.TrimSpace(string(raw))
	c := &client{t: t, base: base, token: token}
	waitHealthy(t, c)

	payload, _ := json.Marshal(claims.Synthetic(3, 0))
	id := c.submit(`{"to":"intake","payload":` + string(payload) + `}`)
	if state := c.waitTask(id); state != "completed" {
		t.Fatalf("task %s ended %s", id, state)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("masod exited with %v:\n%s", err, stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("masod did not stop after SIGTERM:\n%s", stderr)
	}
	logs := stderr.String()
	if strings.Contains(logs, token) {
		t.Error("masod logged the admin token")
	}
	for _, want := range []string{"file=" + tokenFile, "admin API stopped", "node stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func waitHealthy(t *testing.T, c *client) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, body := c.do(http.MethodGet, "/v1/health", "")
		if status == http.StatusOK && strings.Contains(body, `"status":"ok"`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("health: %d %s", status, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func testBadConfig(t *testing.T, bin string) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.yaml")
	yaml := "trust_domain: t.local\ntools:\n  - name: a\n    effect: read\nagents:\n  - name: x\n" +
		"    behaviour: claims.intake\n    tools: [nope]\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stderr := runMasod(t, bin, "--config", path, "--data-dir", filepath.Join(dir, "data"))
	if code != 2 || !strings.Contains(stderr, path+":8: agents[0].tools[0]") {
		t.Fatalf("bad config: exit %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a bad config created the data directory: %v", err)
	}
}

func testBadFlags(t *testing.T, bin string) {
	for _, args := range [][]string{{"--bogus"}, {"--log-level", "loud"}, {"--admin-addr", "7480"}, {"extra"}} {
		code, stderr := runMasod(t, bin, args...)
		if code != 2 || !strings.Contains(stderr, "Usage: masod") {
			t.Errorf("%v: exit %d, stderr:\n%s", args, code, stderr)
		}
	}
}

// runMasod runs the binary to completion and returns its exit code and stderr.
func runMasod(t *testing.T, bin string, args ...string) (int, string) {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// client is a minimal admin API client.
type client struct {
	t     *testing.T
	base  string
	token string
}

func (c *client) do(method, path, body string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (c *client) submit(body string) string {
	c.t.Helper()
	status, out := c.do(http.MethodPost, "/v1/tasks", body)
	var r struct {
		TaskID string `json:"task_id"`
	}
	if status != http.StatusAccepted || json.Unmarshal([]byte(out), &r) != nil || r.TaskID == "" {
		c.t.Fatalf("submit: %d %s", status, out)
	}
	return r.TaskID
}

func (c *client) waitTask(id string) string {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		status, out := c.do(http.MethodGet, "/v1/tasks/"+id, "")
		var v struct {
			State string `json:"state"`
		}
		if status != http.StatusOK || json.Unmarshal([]byte(out), &v) != nil {
			c.t.Fatalf("get task: %d %s", status, out)
		}
		switch v.State {
		case "completed", "failed", "blocked":
			return v.State
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.t.Fatalf("task %s did not finish", id)
	return ""
}
