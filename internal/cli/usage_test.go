package cli_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maso-runtime/maso/admin"
)

func TestUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{nil, 2, "", "Commands:"},
		{[]string{"help"}, 0, "task submit --to AGENT", ""},
		{[]string{"-h"}, 0, "Global flags:", ""},
		{[]string{"help", "task", "submit"}, 0, "-wait-timeout", ""},
		{[]string{"help", "agents"}, 0, "agents get NAME", ""},
		{[]string{"task", "submit", "-h"}, 0, "Usage: masoctl task submit", ""},
		{[]string{"agents", "-h"}, 0, "agents list", ""},
		{[]string{"help", "frob"}, 2, "", `no help for "frob"`},
		{[]string{"frob"}, 2, "", `unknown command "frob" (commands: health, agents, task, phase, kill, recover, approvals, token, scan, judge, tools, audit, demo, help)`},
		{[]string{"task"}, 2, "", "task needs a subcommand (commands: task submit, task get, task watch)"},
		{[]string{"task", "frob"}, 2, "", "Run 'masoctl help task' for usage."},
		{[]string{"agents", "frob"}, 2, "", `unknown command "agents frob"`},
		{[]string{"task", "get"}, 2, "", "missing task ID"},
		{[]string{"task", "get", "a", "b"}, 2, "", `unexpected argument "b"`},
		{[]string{"health", "--bogus"}, 2, "", "flag provided but not defined: -bogus"},
		{[]string{"--timeout", "0", "health"}, 2, "", "--timeout must be greater than 0"},
		{[]string{"task", "submit", "--payload", "{}"}, 2, "", "needs --to AGENT"},
		{[]string{"task", "submit", "--to", "intake"}, 2, "", "exactly one of --payload JSON, --file FILE or -"},
		{[]string{"task", "submit", "--to", "intake", "--payload", "{}", "-"}, 2, "", "exactly one of"},
		{[]string{"task", "submit", "--to", "intake", "--payload", `{"a":}`}, 2, "", "not valid JSON: invalid character '}' looking for beginning of value at byte offset 6"},
		{[]string{"task", "submit", "--to", "intake", "--payload", `{"a":1`}, 2, "", "ends early, at byte offset 6"},
		{[]string{"demo", "load", "--rate", "0"}, 2, "", "--rate must be between 1 and 10000"},
		{[]string{"demo", "load", "--rate", "10001"}, 2, "", "--rate must be between 1 and 10000"},
		{[]string{"demo", "load", "--duration", "0s"}, 2, "", "--duration must be greater than 0"},
		{[]string{"demo", "load", "--duration", "-1s"}, 2, "", "--duration must be greater than 0"},
		{[]string{"demo", "load", "--rate", "1", "--duration", "500ms"}, 2, "", "rate × duration must be at least 1"},
		{[]string{"demo", "load", "--concurrency", "0"}, 2, "", "--concurrency must be between"},
		{[]string{"--addr", "ftp://host", "health"}, 2, "", `--addr "ftp://host" is not an admin API address`},
	}
	for _, tt := range tests {
		r := run(t, env{}, "", tt.args...)
		if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("masoctl %q: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", tt.args, r.code, tt.code, r.stdout, r.stderr)
		}
	}
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r := run(t, env{"MASO_TOKEN": "x"}, "", "health", "--addr", addr)
	r.wantErr(t, 1, "cannot reach masod at http://"+addr, "connection refused", "start it with `masod` (or `make run`)")
	r = run(t, env{"MASO_ADDR": addr, "MASO_TOKEN": "x"}, "", "demo", "load", "--rate", "5", "--duration", "1s")
	r.wantErr(t, 1, "cannot reach masod at http://"+addr)
}

func TestAddressForms(t *testing.T) {
	t.Parallel()
	a := startAPI(t, admin.CISO)
	hostPort := strings.TrimPrefix(a.url, "http://")
	for _, e := range []env{
		{"MASO_ADDR": hostPort, "MASO_TOKEN": a.node.Token()},
		{"MASO_ADDR": a.url + "/", "MASO_TOKEN": a.node.Token()},
		{"MASO_ADDR": "127.0.0.1:1", "MASO_TOKEN": a.node.Token(), "x": "--addr wins"},
	} {
		args := []string{"health"}
		if e["x"] != "" {
			args = append(args, "--addr", hostPort)
		}
		run(t, e, "", args...).want(t, 0, "status:")
	}
}

func TestForbiddenRole(t *testing.T) {
	t.Parallel()
	a := startAPI(t, admin.Viewer)
	a.ctl(t, "health").want(t, 0)
	a.ctl(t, "task", "submit", "--to", "intake", "--payload", "{}").
		wantErr(t, 1, "role viewer may not POST /v1/tasks", "HTTP 403 Forbidden; requires role operator")
}

func TestTokenPrecedence(t *testing.T) {
	t.Parallel()
	a := startAPI(t, admin.CISO)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.token")
	bad := filepath.Join(dir, "bad.token")
	empty := filepath.Join(dir, "empty.token")
	writeFile(t, good, a.node.Token()+"\n")
	writeFile(t, bad, "not-the-token\n")
	writeFile(t, empty, "\n")
	addr := env{"MASO_ADDR": a.url}

	// --token-file wins over MASO_TOKEN, both ways.
	run(t, env{"MASO_ADDR": a.url, "MASO_TOKEN": "wrong"}, "", "health", "--token-file", good).want(t, 0, "status:")
	run(t, env{"MASO_ADDR": a.url, "MASO_TOKEN": a.node.Token()}, "", "--token-file", bad, "health").
		wantErr(t, 1, "missing or invalid bearer token", "HTTP 401", "token from --token-file "+bad)
	// MASO_TOKEN holds the token itself.
	run(t, env{"MASO_ADDR": a.url, "MASO_TOKEN": a.node.Token()}, "", "health").want(t, 0, "status:")
	// Problems with the token file are reported.
	run(t, addr, "", "health", "--token-file", empty).wantErr(t, 1, "is empty")
	run(t, addr, "", "health", "--token-file", filepath.Join(dir, "missing")).wantErr(t, 1, "read token")
}

// TestDefaultTokenFile changes directory, so it does not run in parallel.
func TestDefaultTokenFile(t *testing.T) {
	a := startAPI(t, admin.CISO)
	t.Chdir(t.TempDir())
	addr := env{"MASO_ADDR": a.url}
	run(t, addr, "", "health").wantErr(t, 1, "HTTP 401", "token from nowhere")
	if err := os.Mkdir("maso-data", 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join("maso-data", "admin.token"), a.node.Token()+"\n")
	run(t, addr, "", "health").want(t, 0, "status:")
	run(t, env{"MASO_ADDR": a.url, "MASO_TOKEN": "wrong"}, "", "health").wantErr(t, 1, "HTTP 401", "token from MASO_TOKEN")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
