package sandbox

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
)

// Paths of the programs the sandbox runs on the host. Variables so tests
// can point them elsewhere.
var (
	bwrapPath   = "/usr/bin/bwrap"
	prlimitPath = "/usr/bin/prlimit"
)

// unprivilegedID is the uid and gid bubblewrap runs as when the caller is
// root. Root's own processes are exempt from RLIMIT_NPROC, and a sandbox
// mapped to host root would own root's files, so root never runs one.
const unprivilegedID = 65534

// systemDirs besides /usr appear in the sandbox as on the host: a symlink
// stays a symlink (merged /usr), a directory is bound read-only.
var systemDirs = []string{"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}

const etcAlternatives = "/etc/alternatives"

// nsswitch makes glibc resolve names from /etc/hosts only.
const nsswitch = "hosts: files\n"

// invocation is one bwrap command line and the descriptors it reads.
type invocation struct {
	args []string
	// files become fd 3, 4, ... in bwrap (exec.Cmd.ExtraFiles). The
	// parent closes its copies once bwrap has started.
	files []*os.File
}

// addFile passes f to bwrap and returns its descriptor number there.
func (inv *invocation) addFile(f *os.File) string {
	inv.files = append(inv.files, f)
	return strconv.Itoa(2 + len(inv.files))
}

func (inv *invocation) add(args ...string) { inv.args = append(inv.args, args...) }

// closeFiles closes the parent's copies of the passed descriptors.
func (inv *invocation) closeFiles() {
	for _, f := range inv.files {
		f.Close()
	}
}

// buildInvocation assembles the bwrap command line for p. The caller
// passes the network descriptors (nil without an allow-list) and must
// call closeFiles.
func buildInvocation(p *processPlan, nfd *netFDs) (*invocation, error) {
	inv := &invocation{}
	inv.add("--unshare-all", "--unshare-user", "--disable-userns",
		"--die-with-parent", "--new-session", "--hostname", "sandbox")
	inv.add(systemArgs()...)
	inv.add("--proc", "/proc", "--dev", "/dev")
	size := strconv.FormatInt(p.limits.FileSize, 10)
	inv.add("--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", defaultWorkDir)
	for _, d := range []struct {
		path string
		data []byte
	}{{etcHosts, p.hosts.hosts}, {etcNsswitch, []byte(nsswitch)}} {
		f, err := dataPipe(d.data)
		if err != nil {
			inv.closeFiles()
			return nil, err
		}
		inv.add("--ro-bind-data", inv.addFile(f), d.path)
	}
	for _, m := range p.mounts {
		flag := "--ro-bind"
		if m.Writable {
			flag = "--bind"
		}
		inv.add(flag, m.Host, m.Sandbox)
	}
	inv.add("--chdir", p.workDir, "--clearenv")
	for _, k := range slices.Sorted(maps.Keys(p.env)) {
		inv.add("--setenv", k, p.env[k])
	}
	if nfd != nil {
		inv.add("--info-fd", inv.addFile(nfd.infoW), "--block-fd", inv.addFile(nfd.blockR))
	}
	inv.add("--", prlimitPath)
	inv.add(p.limits.prlimitArgs()...)
	inv.add("--")
	inv.add(p.argv...)
	return inv, nil
}

// systemArgs binds /usr, mirrors systemDirs, and binds Debian's
// /etc/alternatives (symlinks into /usr that commands such as awk go
// through) when the host has it.
func systemArgs() []string {
	args := []string{"--ro-bind", "/usr", "/usr", "--ro-bind-try", etcAlternatives, etcAlternatives}
	for _, d := range systemDirs {
		fi, err := os.Lstat(d)
		switch {
		case err != nil:
		case fi.Mode()&os.ModeSymlink != 0:
			if target, err := os.Readlink(d); err == nil {
				args = append(args, "--symlink", target, d)
			}
		case fi.IsDir():
			args = append(args, "--ro-bind", d, d)
		}
	}
	return args
}

// dataPipe returns the read end of a pipe that holds b (small: it must
// fit the pipe buffer) and is closed for writing.
func dataPipe(b []byte) (*os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("sandbox: pipe: %w", err)
	}
	_, werr := w.Write(b)
	cerr := w.Close()
	if werr != nil || cerr != nil {
		r.Close()
		return nil, fmt.Errorf("sandbox: fill pipe: %w", errors.Join(werr, cerr))
	}
	return r, nil
}
