package sandbox

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestProcessEchoAndExitCode(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	res := runOK(t, ProcessSpec{
		Command: sh("cat; echo to-stderr >&2; exit 3"),
		Stdin:   []byte(`{"claim":"C-1"}`),
	})
	if got := string(res.Stdout); got != `{"claim":"C-1"}` {
		t.Errorf("stdout = %q", got)
	}
	if got := string(res.Stderr); got != "to-stderr\n" {
		t.Errorf("stderr = %q", got)
	}
	if res.ExitCode != 3 || res.Killed != "" || res.Truncated {
		t.Errorf("result = %+v, want exit 3, not killed, not truncated", res)
	}
}

func TestProcessEnvIsOnlyWhatWasGiven(t *testing.T) {
	requireSandbox(t)
	t.Setenv("MASO_SANDBOX_LEAK", "host-secret") // must not reach the sandbox
	res := runOK(t, ProcessSpec{Command: []string{"/usr/bin/env"}, Env: map[string]string{"TOOL": "lookup", "MODE": "x y"}})
	got := strings.Split(strings.TrimSpace(string(res.Stdout)), "\n")
	slices.Sort(got)
	// PWD is bubblewrap's, naming the sandbox's working directory.
	want := []string{"MODE=x y", "PATH=/usr/bin:/bin", "PWD=/work", "TOOL=lookup"}
	if !slices.Equal(got, want) {
		t.Fatalf("environment = %q, want exactly %q", got, want)
	}
}

func TestProcessIdentityAndNamespaces(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	// Only the sandbox's own processes are visible, the host name is the
	// sandbox's, and no further user namespace can be made.
	res := runOK(t, ProcessSpec{Command: sh(`ls /proc | grep -c '^[0-9]'; hostname; unshare -U true 2>/dev/null && echo unshared || echo no-userns`)})
	lines := strings.Fields(string(res.Stdout))
	if len(lines) != 3 {
		t.Fatalf("stdout = %q", res.Stdout)
	}
	// pid 1 (bwrap's reaper), sh, ls, grep, and the subshell at most.
	if n := lines[0]; len(n) != 1 || n > "5" {
		t.Errorf("%s processes visible in the sandbox's /proc; want only its own", n)
	}
	if lines[1] != "sandbox" {
		t.Errorf("hostname = %q", lines[1])
	}
	if lines[2] != "no-userns" {
		t.Errorf("a user namespace could be created inside the sandbox")
	}
}

func TestProcessFreshEachCall(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	first := runOK(t, ProcessSpec{Command: sh("echo left-behind > /tmp/marker && echo w > /work/marker && ls /tmp /work")})
	if first.ExitCode != 0 || !strings.Contains(string(first.Stdout), "marker") {
		t.Fatalf("first call: %+v %s", first, first.Stderr)
	}
	second := runOK(t, ProcessSpec{Command: sh("ls -A /tmp /work; cat /tmp/marker /work/marker")})
	if second.ExitCode == 0 || strings.Contains(string(second.Stdout), "marker") {
		t.Fatalf("second call still sees the first call's files: %q", second.Stdout)
	}
}

func TestProcessRejectsBadSpecs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, spec := range map[string]ProcessSpec{
		"empty command":     {},
		"relative command":  {Command: []string{"sh", "-c", "true"}},
		"bad env":           {Command: sh("true"), Env: map[string]string{"A=B": "c"}},
		"missing mount":     {Command: sh("true"), Mounts: []Mount{{Host: dir + "/none", Sandbox: "/data"}}},
		"mount over /usr":   {Command: sh("true"), Mounts: []Mount{{Host: dir, Sandbox: "/usr/local"}}},
		"mount over /proc":  {Command: sh("true"), Mounts: []Mount{{Host: dir, Sandbox: "/proc"}}},
		"mount on hosts":    {Command: sh("true"), Mounts: []Mount{{Host: dir, Sandbox: "/etc/hosts"}}},
		"relative mount":    {Command: sh("true"), Mounts: []Mount{{Host: dir, Sandbox: "data"}}},
		"negative limit":    {Command: sh("true"), Limits: Limits{MemoryBytes: -1}},
		"relative work dir": {Command: sh("true"), WorkDir: "work"},
		"external IP host":  {Command: sh("true"), Hosts: []string{"10.0.0.1:443"}},
		"no port":           {Command: sh("true"), Hosts: []string{"example.com"}},
		"bad host name":     {Command: sh("true"), Hosts: []string{"exa mple.com:80"}},
	} {
		if _, err := Process(context.Background(), spec); !errors.Is(err, ErrSpec) {
			t.Errorf("%s: err = %v, want ErrSpec", name, err)
		}
	}
}
