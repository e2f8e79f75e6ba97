package sandbox

import (
	"bytes"
	"strings"
	"sync"
)

// cappedBuffer keeps the first limit bytes written to it and discards
// the rest. The first write that overflows calls onOverflow once (the
// caller kills the execution there). It also keeps the last tailSize
// bytes seen, so an out-of-memory message at the end of a long stream
// can still be recognised. Safe for concurrent use.
type cappedBuffer struct {
	mu         sync.Mutex
	buf        bytes.Buffer
	tail       []byte
	limit      int64
	truncated  bool
	onOverflow func()
}

const tailSize = 4096

func newCappedBuffer(limit int64, onOverflow func()) *cappedBuffer {
	return &cappedBuffer{limit: limit, onOverflow: onOverflow}
}

// Write implements io.Writer. It never fails, so the producer is not
// disturbed by a short write; the overflow callback stops it instead.
func (c *cappedBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.keepTail(p)
	room := c.limit - int64(c.buf.Len())
	overflow := int64(len(p)) > room
	if overflow {
		c.buf.Write(p[:max(room, 0)])
	} else {
		c.buf.Write(p)
	}
	first := overflow && !c.truncated
	if overflow {
		c.truncated = true
	}
	c.mu.Unlock()
	if first && c.onOverflow != nil {
		c.onOverflow()
	}
	return len(p), nil
}

func (c *cappedBuffer) keepTail(p []byte) {
	if len(p) >= tailSize {
		c.tail = append(c.tail[:0], p[len(p)-tailSize:]...)
		return
	}
	c.tail = append(c.tail, p...)
	if over := len(c.tail) - tailSize; over > 0 {
		c.tail = append(c.tail[:0], c.tail[over:]...)
	}
}

// result returns a copy of the kept bytes and whether any were dropped.
func (c *cappedBuffer) result() ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.buf.Bytes()), c.truncated
}

// oomMessages are what common runtimes print when an allocation fails
// under RLIMIT_AS (or a wasm memory cap): glibc/strerror, Go, Python,
// bash, C++, Java and Node.
var oomMessages = []string{
	"cannot allocate memory",
	"out of memory",
	"memoryerror",
	"xmalloc: cannot allocate",
	"bad_alloc",
	"memory exhausted",
	"outofmemoryerror",
	"heap out of memory",
}

// saysOutOfMemory reports whether the tail of the stream names an
// allocation failure.
func (c *cappedBuffer) saysOutOfMemory() bool {
	c.mu.Lock()
	tail := strings.ToLower(string(c.tail))
	c.mu.Unlock()
	for _, m := range oomMessages {
		if strings.Contains(tail, m) {
			return true
		}
	}
	return false
}
