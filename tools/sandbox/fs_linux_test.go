package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFilesystemOnlyDeclaredPathsVisible(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	// A world-readable secret outside the mounts: invisible because it is
	// not in the sandbox's mount namespace, not because of permissions.
	secret := filepath.Join(sandboxDir(t, false), "secret.txt")
	writeFile(t, secret, "host secret")
	repo, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{secret, filepath.Dir(secret), "/etc/shadow", "/etc/passwd", "/root", "/home", "/var", "/run", repo, filepath.Join(repo, "doc.go")} {
		res := runOK(t, ProcessSpec{Command: []string{"/bin/ls", "-d", p}})
		if res.ExitCode == 0 {
			t.Errorf("%s is visible in the sandbox: %s", p, res.Stdout)
		}
	}
	res := runOK(t, ProcessSpec{Command: []string{"/bin/cat", secret}})
	if res.ExitCode == 0 || strings.Contains(string(res.Stdout), "host secret") {
		t.Errorf("read the host secret: %+v", res)
	}
	res = runOK(t, ProcessSpec{Command: sh("ls / | tr '\\n' ' '")})
	if got, want := strings.TrimSpace(string(res.Stdout)), "bin dev etc lib lib64 proc sbin tmp usr work"; got != want && !strings.HasPrefix(got, "bin dev etc lib") {
		t.Errorf("sandbox root = %q, want about %q", got, want)
	}
}

func TestFilesystemReadOnlyMount(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	dir := sandboxDir(t, true) // writable on the host: the mount must still refuse writes
	writeFile(t, filepath.Join(dir, "policy.json"), `{"limit":5}`)
	res := runOK(t, ProcessSpec{
		Command: sh(`cat /data/policy.json; echo changed > /data/policy.json && echo wrote-existing; touch /data/new && echo created; rm /data/policy.json && echo removed; true`),
		Mounts:  []Mount{{Host: dir, Sandbox: "/data"}},
	})
	if got := string(res.Stdout); got != `{"limit":5}` {
		t.Errorf("stdout = %q, want only the file's content (every write refused)", got)
	}
	if !strings.Contains(string(res.Stderr), "Read-only file system") {
		t.Errorf("stderr = %q, want read-only errors", res.Stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "policy.json"))
	if err != nil || string(b) != `{"limit":5}` {
		t.Errorf("host file now %q (%v)", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "new")); err == nil {
		t.Error("a file was created through the read-only mount")
	}
}

func TestFilesystemWritableMount(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	dir := sandboxDir(t, true)
	res := runOK(t, ProcessSpec{
		Command: sh(`echo "$1" > /out/report.txt && cat /out/report.txt`),
		Mounts:  []Mount{{Host: dir, Sandbox: "/out", Writable: true}},
		WorkDir: "/out",
	})
	if res.ExitCode != 0 {
		t.Fatalf("write failed: %+v %s", res, res.Stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.txt"))
	if err != nil || string(b) != "\n" {
		t.Errorf("host sees %q (%v)", b, err)
	}
}

func TestFilesystemFileSizeLimit(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	res := runOK(t, ProcessSpec{
		Command: sh(`head -c 300000 /dev/zero > /work/big; ls -l /work/big | awk '{print $5}'`),
		Limits:  Limits{FileSize: 100000},
	})
	if got := strings.TrimSpace(string(res.Stdout)); got != "100000" {
		t.Errorf("file grew to %q bytes, want 100000 (RLIMIT_FSIZE)", got)
	}
}

func TestFilesystemSetupFailureIsAnError(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	_, err := Process(context.Background(), ProcessSpec{Command: sh("true"), WorkDir: "/no/such/dir"})
	if err == nil || !strings.Contains(err.Error(), "bwrap") {
		t.Errorf("missing work dir: err = %v, want bwrap's setup error", err)
	}
	if os.Geteuid() != 0 {
		return
	}
	// As root the sandbox runs as an unprivileged user: a root-only
	// directory cannot be mounted, and the error says so.
	private := t.TempDir() // 0700, owned by root
	_, err = Process(context.Background(), ProcessSpec{Command: sh("true"), Mounts: []Mount{{Host: private, Sandbox: "/data"}}})
	if err == nil || !strings.Contains(err.Error(), "Permission denied") {
		t.Errorf("root-only mount: err = %v, want permission denied", err)
	}
}
