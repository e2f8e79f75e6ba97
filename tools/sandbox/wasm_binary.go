package sandbox

import (
	"encoding/binary"
	"fmt"
)

// memorySectionID is the id of a module's memory section.
const memorySectionID = 5

// checkMemory refuses a module that declares a memory whose minimum is
// over pages. It reads the memory section of a module wazero has already
// validated: a count, then per memory a flags byte, the minimum and,
// when flags&1, the maximum. (An imported memory cannot be satisfied
// here: the only host module is WASI, which exports none.)
func checkMemory(module []byte, pages uint32) error {
	r := &wasmReader{b: module[min(8, len(module)):]} // after magic and version
	for r.ok() && len(r.b) > 0 {
		id := r.byte()
		body := &wasmReader{b: r.bytes(r.uvarint())}
		if id != memorySectionID {
			continue
		}
		for count := body.uvarint(); count > 0 && body.ok(); count-- {
			flags := body.byte()
			minPages := body.uvarint()
			if flags&1 != 0 {
				body.uvarint()
			}
			if body.ok() && minPages > uint64(pages) {
				return fmt.Errorf("%w: module needs %d memory pages, MemoryBytes allows %d", ErrSpec, minPages, pages)
			}
		}
		r.bad = r.bad || body.bad
	}
	if !r.ok() {
		return fmt.Errorf("%w: malformed module sections", ErrSpec)
	}
	return nil
}

// wasmReader reads the WebAssembly binary format. Its integers are
// LEB128, which is encoding/binary's Uvarint. Reading past the end sets
// bad and yields zeros.
type wasmReader struct {
	b   []byte
	bad bool
}

func (r *wasmReader) ok() bool { return !r.bad }

func (r *wasmReader) byte() byte {
	if len(r.b) == 0 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *wasmReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *wasmReader) bytes(n uint64) []byte {
	if r.bad || n > uint64(len(r.b)) {
		r.bad = true
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}
