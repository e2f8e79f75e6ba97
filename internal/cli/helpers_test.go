package cli_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maso-runtime/maso/admin"
	"github.com/maso-runtime/maso/internal/cli"
	"github.com/maso-runtime/maso/internal/testlog"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/workload/claims"
)

func testLogger(t testing.TB) *slog.Logger { return testlog.New(t, slog.LevelWarn) }

// api is a real node with the claims workload behind the real admin
// handler on a loopback port, and the token masoctl uses.
type api struct {
	node  *node.Node
	url   string
	token string
}

// startAPI serves a node's API authenticating with its token store; the
// returned client uses a token with role (the bootstrap token for ciso).
func startAPI(t testing.TB, role admin.Role) *api {
	t.Helper()
	cfg, err := claims.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	w := claims.New()
	log := testLogger(t)
	n, err := node.Start(context.Background(), node.Options{Config: cfg, DataDir: t.TempDir(),
		Behaviours: w.Behaviours(), Tools: w.Tools(), Logger: log, Telemetry: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Stop(context.Background()) })
	ts := httptest.NewServer(admin.NewHandler(admin.Config{Runtime: n, Auth: admin.RuntimeAuth(n), Logger: log}))
	t.Cleanup(ts.Close)
	a := &api{node: n, url: ts.URL, token: n.Token()}
	if role != admin.CISO {
		a = a.as(t, role)
	}
	return a
}

// as returns a client of the same API with a new token of role, made
// with "masoctl token create" (a must be ciso).
func (a *api) as(t testing.TB, role admin.Role) *api {
	t.Helper()
	r := a.ctl(t, "token", "create", "--role", role.String(), "--name", "test "+role.String())
	r.want(t, 0)
	tok := strings.TrimSuffix(r.stdout, "\n")
	if len(tok) != 64 || strings.ContainsAny(tok, " \n") {
		t.Fatalf("token create printed %q, want only the token", r.stdout)
	}
	return &api{node: a.node, url: a.url, token: tok}
}

// env is a fake environment.
type env map[string]string

func (e env) get(k string) string { return e[k] }

// result is what one masoctl run printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// run runs masoctl with args, the environment e and stdin.
func run(t testing.TB, e env, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr, e.get)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// ctl runs masoctl against the API with its token in MASO_TOKEN.
func (a *api) ctl(t testing.TB, args ...string) result {
	t.Helper()
	return run(t, env{"MASO_ADDR": a.url, "MASO_TOKEN": a.token}, "", args...)
}

func (r result) want(t testing.TB, code int, stdout ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range stdout {
		if !strings.Contains(r.stdout, s) {
			t.Fatalf("stdout lacks %q:\n%s\nstderr:\n%s", s, r.stdout, r.stderr)
		}
	}
}

func (r result) wantErr(t testing.TB, code int, stderr ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range stderr {
		if !strings.Contains(r.stderr, s) {
			t.Fatalf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
}

// copyAudit copies the segment files of the node's decision log.
func copyAudit(t testing.TB, n *node.Node) string {
	t.Helper()
	segs, err := filepath.Glob(filepath.Join(n.DataDir(), "audit", "*.log"))
	if err != nil || len(segs) == 0 {
		t.Fatalf("no audit segments: %v", err)
	}
	dir := t.TempDir()
	for _, s := range segs {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(s)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// flipInLine flips one bit in the middle of the given line of file.
func flipInLine(t testing.TB, file string, line int) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	if len(lines) < line {
		t.Fatalf("%s has %d lines", file, len(lines))
	}
	off := len(bytes.Join(lines[:line-1], nil)) + len(lines[line-1])/2
	b[off] ^= 0x01
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
