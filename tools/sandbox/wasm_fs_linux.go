package sandbox

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"

	experimentalsys "github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/experimental/sysfs"
	"github.com/tetratelabs/wazero/sys"
)

// rootFS is a writable wazero file system confined to one host directory
// by an os.Root: ".." and symlinks cannot lead out of it, whoever planted
// them. (wazero's own directory mount follows both out of the directory.)
// The guest may not create symlinks at all, so it cannot leave a trap for
// processes outside that follow them less carefully.
type rootFS struct {
	experimentalsys.UnimplementedFS
	root *os.Root
}

// rel maps wazero's path (relative to the mount, "" for its top) to an
// os.Root name.
func rel(path string) string {
	if path == "" || path == "/" {
		return "."
	}
	return path
}

// errno maps a host error to the guest's. os.Root refusing a path that
// escapes is not a syscall error; the guest sees EPERM for it.
func errno(err error) experimentalsys.Errno {
	e := experimentalsys.UnwrapOSError(err)
	var se syscall.Errno
	if e == experimentalsys.EIO && !errors.As(err, &se) {
		return experimentalsys.EPERM
	}
	return e
}

// OpenFile implements experimentalsys.FS. os.Root resolves, creates and
// truncates the file, confined to the directory; wazero's file
// implementation then reopens that very file through /proc/self/fd.
func (r *rootFS) OpenFile(path string, flag experimentalsys.Oflag, perm fs.FileMode) (experimentalsys.File, experimentalsys.Errno) {
	f, err := r.root.OpenFile(rel(path), osFlags(flag), perm)
	if err != nil {
		return nil, errno(err)
	}
	again := flag &^ (experimentalsys.O_CREAT | experimentalsys.O_EXCL | experimentalsys.O_TRUNC)
	wf, e := sysfs.DirFS(fmt.Sprintf("/proc/self/fd/%d", f.Fd())).OpenFile("", again, perm)
	if e != 0 {
		f.Close()
		return nil, e
	}
	return &pinnedFile{File: wf, pin: f}, 0
}

// osFlags translates the access mode and the creation flags; the others
// (sync, nonblock) do not change what a file can reach.
func osFlags(flag experimentalsys.Oflag) int {
	var o int
	switch {
	case flag&experimentalsys.O_RDWR != 0:
		o = os.O_RDWR
	case flag&experimentalsys.O_WRONLY != 0:
		o = os.O_WRONLY
	default:
		o = os.O_RDONLY
	}
	for _, m := range []struct {
		w  experimentalsys.Oflag
		os int
	}{
		{experimentalsys.O_APPEND, os.O_APPEND},
		{experimentalsys.O_CREAT, os.O_CREATE},
		{experimentalsys.O_EXCL, os.O_EXCL},
		{experimentalsys.O_TRUNC, os.O_TRUNC},
	} {
		if flag&m.w != 0 {
			o |= m.os
		}
	}
	return o
}

// Lstat implements experimentalsys.FS.
func (r *rootFS) Lstat(path string) (sys.Stat_t, experimentalsys.Errno) {
	fi, err := r.root.Lstat(rel(path))
	if err != nil {
		return sys.Stat_t{}, errno(err)
	}
	return sys.NewStat_t(fi), 0
}

// Stat implements experimentalsys.FS.
func (r *rootFS) Stat(path string) (sys.Stat_t, experimentalsys.Errno) {
	fi, err := r.root.Stat(rel(path))
	if err != nil {
		return sys.Stat_t{}, errno(err)
	}
	return sys.NewStat_t(fi), 0
}

// Readlink implements experimentalsys.FS.
func (r *rootFS) Readlink(path string) (string, experimentalsys.Errno) {
	s, err := r.root.Readlink(rel(path))
	return s, errno(err)
}

// Mkdir implements experimentalsys.FS.
func (r *rootFS) Mkdir(path string, perm fs.FileMode) experimentalsys.Errno {
	return errno(r.root.Mkdir(rel(path), perm))
}

// Chmod implements experimentalsys.FS.
func (r *rootFS) Chmod(path string, perm fs.FileMode) experimentalsys.Errno {
	return errno(r.root.Chmod(rel(path), perm))
}

// Rename implements experimentalsys.FS.
func (r *rootFS) Rename(from, to string) experimentalsys.Errno {
	return errno(r.root.Rename(rel(from), rel(to)))
}

// Rmdir implements experimentalsys.FS.
func (r *rootFS) Rmdir(path string) experimentalsys.Errno {
	fi, err := r.root.Lstat(rel(path))
	if err != nil {
		return errno(err)
	}
	if !fi.IsDir() {
		return experimentalsys.ENOTDIR
	}
	return errno(r.root.Remove(rel(path)))
}

// Unlink implements experimentalsys.FS.
func (r *rootFS) Unlink(path string) experimentalsys.Errno {
	fi, err := r.root.Lstat(rel(path))
	if err != nil {
		return errno(err)
	}
	if fi.IsDir() {
		return experimentalsys.EISDIR
	}
	return errno(r.root.Remove(rel(path)))
}

// Link implements experimentalsys.FS.
func (r *rootFS) Link(oldName, newName string) experimentalsys.Errno {
	return errno(r.root.Link(rel(oldName), rel(newName)))
}

// Symlink implements experimentalsys.FS: refused, see rootFS.
func (r *rootFS) Symlink(_, _ string) experimentalsys.Errno {
	return experimentalsys.EPERM
}

// Utimens implements experimentalsys.FS. UTIME_OMIT keeps the current
// value.
func (r *rootFS) Utimens(path string, atim, mtim int64) experimentalsys.Errno {
	st, e := r.Stat(path)
	if e != 0 {
		return e
	}
	if atim == experimentalsys.UTIME_OMIT {
		atim = st.Atim
	}
	if mtim == experimentalsys.UTIME_OMIT {
		mtim = st.Mtim
	}
	return errno(r.root.Chtimes(rel(path), time.Unix(0, atim), time.Unix(0, mtim)))
}

// pinnedFile is wazero's own file implementation opened through
// /proc/self/fd/N of a descriptor os.Root opened, which keeps N open (and
// the path meaning the same file) until the file is closed.
type pinnedFile struct {
	experimentalsys.File
	pin *os.File
}

// Close implements experimentalsys.File.
func (p *pinnedFile) Close() experimentalsys.Errno {
	e := p.File.Close()
	p.pin.Close()
	return e
}

// writableFS is the file system of a writable wasm directory.
func writableFS(root *os.Root) (experimentalsys.FS, error) {
	return &rootFS{root: root}, nil
}
