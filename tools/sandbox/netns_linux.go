package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// netFDs are the two pipes that let the host act between bubblewrap's
// namespace setup and the exec of the command: bwrap writes its child's
// pid to info, then waits until a byte arrives on block.
type netFDs struct {
	infoR, infoW   *os.File
	blockR, blockW *os.File
}

func newNetFDs() (*netFDs, error) {
	infoR, infoW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("sandbox: pipe: %w", err)
	}
	blockR, blockW, err := os.Pipe()
	if err != nil {
		infoR.Close()
		infoW.Close()
		return nil, fmt.Errorf("sandbox: pipe: %w", err)
	}
	return &netFDs{infoR: infoR, infoW: infoW, blockR: blockR, blockW: blockW}, nil
}

// close closes all four ends. bwrap's ends are normally closed already,
// with the invocation's files, once bwrap has started.
func (n *netFDs) close() {
	for _, f := range []*os.File{n.infoR, n.infoW, n.blockR, n.blockW} {
		f.Close()
	}
}

// childPid reads the pid of bwrap's sandboxed child from the info pipe.
func (n *netFDs) childPid(deadline time.Time) (int, error) {
	if err := n.infoR.SetReadDeadline(deadline); err != nil {
		return 0, fmt.Errorf("sandbox: info pipe: %w", err)
	}
	b, err := io.ReadAll(n.infoR)
	if err != nil {
		return 0, fmt.Errorf("sandbox: read bwrap info: %w", err)
	}
	var info struct {
		ChildPid int `json:"child-pid"`
	}
	if err := json.Unmarshal(b, &info); err != nil || info.ChildPid <= 0 {
		return 0, fmt.Errorf("sandbox: bwrap info %q: no child pid (%v)", b, err)
	}
	return info.ChildPid, nil
}

// release lets the sandboxed command start.
func (n *netFDs) release() error {
	_, err := n.blockW.Write([]byte{1})
	if cerr := n.blockW.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sandbox: release sandbox: %w", err)
	}
	return nil
}

// listenInNetns opens one TCP listener per forward inside the network
// namespace of process pid. A socket belongs to the namespace it was
// created in, so the listeners accept the sandbox's connections while
// this process serves them from the host side. Needs CAP_SYS_ADMIN.
func listenInNetns(pid int, fwd []forward) ([]net.Listener, error) {
	target, err := os.Open(fmt.Sprintf("/proc/%d/ns/net", pid))
	if err != nil {
		return nil, fmt.Errorf("sandbox: open sandbox netns: %w", err)
	}
	defer target.Close()
	type outcome struct {
		ls  []net.Listener
		err error
	}
	ch := make(chan outcome, 1)
	go func() {
		// The thread is locked for the whole goroutine. If switching back
		// fails it stays locked and the runtime discards it on exit, so
		// no other goroutine ever runs in the sandbox's namespace.
		runtime.LockOSThread()
		ls, restored, err := listenFrom(target, fwd)
		if restored {
			runtime.UnlockOSThread()
		}
		ch <- outcome{ls, err}
	}()
	o := <-ch
	return o.ls, o.err
}

// listenFrom switches the calling (locked) thread into target, listens,
// and switches back. restored reports whether the thread is back in its
// own namespace.
func listenFrom(target *os.File, fwd []forward) (ls []net.Listener, restored bool, err error) {
	self, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		return nil, true, fmt.Errorf("sandbox: open own netns: %w", err)
	}
	defer self.Close()
	if err := setns(target); err != nil {
		return nil, true, fmt.Errorf("sandbox: enter sandbox netns (needs CAP_SYS_ADMIN): %w", err)
	}
	ls, err = listenAll(fwd)
	if rerr := setns(self); rerr != nil {
		closeAll(ls)
		return nil, false, fmt.Errorf("sandbox: leave sandbox netns: %w", rerr)
	}
	return ls, true, err
}

// listenAll listens on every forward's address. IP_FREEBIND lets the
// bind succeed before bwrap has brought the sandbox's loopback up.
func listenAll(fwd []forward) ([]net.Listener, error) {
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_FREEBIND, 1)
		})
		return errors.Join(err, serr)
	}}
	ls := make([]net.Listener, 0, len(fwd))
	for _, f := range fwd {
		l, err := lc.Listen(context.Background(), "tcp4", f.Listen.String())
		if err != nil {
			closeAll(ls)
			return nil, fmt.Errorf("sandbox: listen for %s: %w", f.Target, err)
		}
		ls = append(ls, l)
	}
	return ls, nil
}

func setns(f *os.File) error {
	return unix.Setns(int(f.Fd()), unix.CLONE_NEWNET)
}
