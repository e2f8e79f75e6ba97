package sandbox

import (
	"errors"
	"testing"
)

// moduleWithMemory is a minimal module header plus a custom section and a
// memory section declaring one memory of minPages (and a maximum).
func moduleWithMemory(minPages byte) []byte {
	m := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	m = append(m, 0, 3, 1, 'x', 0xff)                       // custom section "x", one byte
	m = append(m, memorySectionID, 4, 1, 1, minPages, 0x7f) // one memory, min and max
	return m
}

func TestCheckMemory(t *testing.T) {
	t.Parallel()
	if err := checkMemory(moduleWithMemory(4), 4); err != nil {
		t.Errorf("min 4 under a 4-page limit: %v", err)
	}
	if err := checkMemory(moduleWithMemory(5), 4); !errors.Is(err, ErrSpec) {
		t.Errorf("min 5 under a 4-page limit: err = %v, want ErrSpec", err)
	}
	m := moduleWithMemory(1)
	if err := checkMemory(m[:len(m)-2], 4); !errors.Is(err, ErrSpec) {
		t.Errorf("truncated section: err = %v, want ErrSpec", err)
	}
}

func TestWasmPages(t *testing.T) {
	t.Parallel()
	for in, want := range map[int64]uint32{1: 1, 65536: 1, 65536*3 + 5: 3, 1 << 40: 65536} {
		if got := wasmPages(in); got != want {
			t.Errorf("wasmPages(%d) = %d, want %d", in, got, want)
		}
	}
}
