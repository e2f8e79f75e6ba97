package identity

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

func TestMemoryRevocations(t *testing.T) {
	t.Parallel()
	r := NewMemoryRevocations()
	if r.IsRevoked("01") || len(r.Serials()) != 0 {
		t.Fatal("new set is not empty")
	}
	r.Revoke("0b:01")
	r.Revoke(" 0A:FF ")
	r.Revoke("0b:01")
	for _, s := range []string{"0b:01", "0a:ff"} {
		if !r.IsRevoked(s) {
			t.Errorf("IsRevoked(%q) = false", s)
		}
	}
	if r.IsRevoked("0b:02") {
		t.Error("IsRevoked reports a serial never revoked")
	}
	if got, want := r.Serials(), []string{"0a:ff", "0b:01"}; !slices.Equal(got, want) {
		t.Errorf("Serials = %v, want %v", got, want)
	}
	var zero MemoryRevocations
	zero.Revoke("01")
	if !zero.IsRevoked("01") {
		t.Error("zero MemoryRevocations did not record a revocation")
	}
}

func TestMemoryRevocationsConcurrent(t *testing.T) {
	t.Parallel()
	r := NewMemoryRevocations()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 250 {
				s := fmt.Sprintf("%02x:%02x", w, i)
				r.Revoke(s)
				if !r.IsRevoked(s) {
					t.Errorf("IsRevoked(%q) = false right after Revoke", s)
					return
				}
			}
		})
		wg.Go(func() {
			for range 250 {
				_ = r.Serials()
			}
		})
	}
	wg.Wait()
	if n := len(r.Serials()); n != 1000 {
		t.Fatalf("%d serials, want 1000", n)
	}
}
