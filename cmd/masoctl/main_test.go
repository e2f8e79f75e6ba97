package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/maso-runtime/maso/admin"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/workload/claims"
)

// startAPI serves a real node's admin API on a loopback port.
func startAPI(t *testing.T) (url, token string) {
	t.Helper()
	cfg, err := claims.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	w := claims.New()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := node.Start(context.Background(), node.Options{Config: cfg, DataDir: t.TempDir(),
		Behaviours: w.Behaviours(), Tools: w.Tools(), Logger: log, Telemetry: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Stop(context.Background()) })
	ts := httptest.NewServer(admin.NewHandler(admin.Config{Runtime: n, Auth: admin.RuntimeAuth(n), Logger: log}))
	t.Cleanup(ts.Close)
	return ts.URL, n.Token()
}

func TestMasoctl(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "masoctl")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	url, token := startAPI(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()

	tests := []struct {
		env    []string
		args   []string
		code   int
		output string
	}{
		{nil, []string{"help"}, 0, "Commands:"},
		{nil, []string{"frob"}, 2, `unknown command "frob"`},
		{[]string{"MASO_ADDR=" + url, "MASO_TOKEN=" + token}, []string{"agents", "--json"}, 0, `"spiffe_id":"spiffe://claims.maso.local/agent/intake"`},
		{[]string{"MASO_ADDR=" + url, "MASO_TOKEN=wrong"}, []string{"health"}, 1, "HTTP 401"},
		{[]string{"MASO_TOKEN=x"}, []string{"--addr", closed, "health"}, 1, "cannot reach masod at http://" + closed},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		cmd := exec.Command(bin, tt.args...)
		cmd.Env = append(os.Environ(), tt.env...)
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		if code := cmd.ProcessState.ExitCode(); code != tt.code || !strings.Contains(out.String(), tt.output) {
			t.Errorf("masoctl %q: exit %d, want %d; output:\n%s", tt.args, code, tt.code, out.String())
		}
	}
	testTokenCreate(t, bin, url, token)
}

// testTokenCreate: "token create" prints only the token, which then works
// with its role.
func testTokenCreate(t *testing.T, bin, url, ciso string) {
	cmd := exec.Command(bin, "token", "create", "--role", "viewer", "--name", "ci")
	cmd.Env = append(os.Environ(), "MASO_ADDR="+url, "MASO_TOKEN="+ciso)
	out, err := cmd.Output()
	if err != nil || !regexp.MustCompile(`^[0-9a-f]{64}\n$`).Match(out) {
		t.Fatalf("token create: %q, %v", out, err)
	}
	cmd = exec.Command(bin, "phase", "--json")
	cmd.Env = append(os.Environ(), "MASO_ADDR="+url, "MASO_TOKEN="+strings.TrimSpace(string(out)))
	if out, err := cmd.Output(); err != nil || !strings.Contains(string(out), `"phase":"primary"`) {
		t.Fatalf("phase with the new token: %s, %v", out, err)
	}
}
