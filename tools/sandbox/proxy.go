package sandbox

import (
	"context"
	"io"
	"net"
	"sync"
	"time"
)

// Bounds on what one sandbox can make the host do through its
// forwarders.
const (
	maxConns    = 32
	dialTimeout = 5 * time.Second
)

// forwarders relay connections accepted inside a sandbox's network
// namespace to their allow-listed targets, dialled from the host. They
// live as long as one Process call.
type forwarders struct {
	ctx    context.Context
	cancel context.CancelFunc
	ls     []net.Listener
	slots  chan struct{}
	wg     sync.WaitGroup

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

// serveForwarders starts one accept loop per listener; ls[i] relays to
// fwd[i].Target.
func serveForwarders(ctx context.Context, ls []net.Listener, fwd []forward) *forwarders {
	f := &forwarders{ls: ls, slots: make(chan struct{}, maxConns), conns: map[net.Conn]struct{}{}}
	f.ctx, f.cancel = context.WithCancel(ctx)
	for i, l := range ls {
		f.wg.Add(1)
		go f.serve(l, fwd[i].Target)
	}
	return f
}

func (f *forwarders) serve(l net.Listener, target string) {
	defer f.wg.Done()
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		select {
		case f.slots <- struct{}{}:
		default:
			c.Close() // over maxConns
			continue
		}
		if !f.track(c) {
			<-f.slots
			return
		}
		f.wg.Add(1)
		go f.relay(c, target)
	}
}

// relay dials target and copies both ways until both directions end or
// the forwarders close.
func (f *forwarders) relay(in net.Conn, target string) {
	defer f.wg.Done()
	defer func() { <-f.slots }()
	defer f.untrack(in)
	d := net.Dialer{Timeout: dialTimeout}
	out, err := d.DialContext(f.ctx, "tcp", target)
	if err != nil || !f.track(out) {
		if out != nil {
			out.Close()
		}
		return
	}
	defer f.untrack(out)
	done := make(chan struct{})
	go func() {
		copyHalf(out, in)
		close(done)
	}()
	copyHalf(in, out)
	<-done
}

// copyHalf copies src to dst, then half-closes dst so the peer sees EOF.
func copyHalf(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	if cw, ok := dst.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
}

// track registers c for close; false (and c closed) once closing.
func (f *forwarders) track(c net.Conn) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		c.Close()
		return false
	}
	f.conns[c] = struct{}{}
	return true
}

func (f *forwarders) untrack(c net.Conn) {
	f.mu.Lock()
	delete(f.conns, c)
	f.mu.Unlock()
	c.Close()
}

// close stops accepting, cuts every relayed connection and waits for
// the goroutines.
func (f *forwarders) close() {
	f.cancel()
	closeAll(f.ls)
	f.mu.Lock()
	f.closed = true
	for c := range f.conns {
		c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
}

func closeAll(ls []net.Listener) {
	for _, l := range ls {
		l.Close()
	}
}
