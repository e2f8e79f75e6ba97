package sandbox

import (
	"sync/atomic"

	"github.com/tetratelabs/wazero/experimental"
)

const wasmPageSize = 65536

// wasmPages is MemoryBytes in whole 64 KiB pages: at least one, at most
// the 4 GiB a 32-bit memory can address.
func wasmPages(memoryBytes int64) uint32 {
	return uint32(min(max(memoryBytes/wasmPageSize, 1), 65536))
}

// memoryCap allocates a module's linear memory and refuses to grow it
// past limit bytes, remembering that it refused. It is the cap: wazero's
// own page limit (WithMemoryLimitPages) refuses growth without telling
// anyone, so the runtime keeps its default and the refusal happens here.
// A module whose declared minimum is over the limit is refused before it
// is instantiated (checkMemory), so the first allocation fits too.
type memoryCap struct {
	limit  uint64
	denied atomic.Bool
}

// Allocate implements experimental.MemoryAllocator.
func (m *memoryCap) Allocate(capacity, _ uint64) experimental.LinearMemory {
	return &cappedMemory{owner: m, initial: min(capacity, m.limit)}
}

// cappedMemory is one linear memory under a memoryCap.
type cappedMemory struct {
	owner   *memoryCap
	initial uint64
	buf     []byte
}

// Reallocate implements experimental.LinearMemory. The first call sizes
// the memory to the module's declared minimum; later calls are
// memory.grow.
func (c *cappedMemory) Reallocate(size uint64) []byte {
	if c.buf != nil && size > c.owner.limit {
		c.owner.denied.Store(true)
		return nil
	}
	if size <= uint64(cap(c.buf)) {
		c.buf = c.buf[:size]
		return c.buf
	}
	grown := make([]byte, size, max(size, c.initial, min(2*uint64(cap(c.buf)), c.owner.limit)))
	copy(grown, c.buf)
	c.buf = grown
	return c.buf
}

// Free implements experimental.LinearMemory.
func (c *cappedMemory) Free() { c.buf = nil }
