package identity

import (
	"crypto/x509"
	"sync"
	"testing"
)

func TestMemoryBundle(t *testing.T) {
	t.Parallel()
	caA := newTestCA(t, testTD, CAOptions{}).Certificate()
	caB := newTestCA(t, testTD, CAOptions{}).Certificate()

	var zero MemoryBundle
	if zero.Version() != 0 || !zero.Pool().Equal(x509.NewCertPool()) {
		t.Fatal("zero MemoryBundle is not empty at version 0")
	}

	b := NewMemoryBundle(caA, caA, nil)
	if b.Version() != 1 || len(b.Certificates()) != 1 {
		t.Fatalf("NewMemoryBundle: version %d, %d certs; want 1, 1", b.Version(), len(b.Certificates()))
	}
	b.Add(caA)
	if b.Version() != 1 {
		t.Fatalf("Add of a present cert changed version to %d", b.Version())
	}
	b.Add(caB)
	if b.Version() != 2 || len(b.Certificates()) != 2 {
		t.Fatalf("Add: version %d, %d certs; want 2, 2", b.Version(), len(b.Certificates()))
	}
	b.Set(caB)
	if b.Version() != 3 || len(b.Certificates()) != 1 || !b.Certificates()[0].Equal(caB) {
		t.Fatalf("Set: version %d, certs %v", b.Version(), b.Certificates())
	}
	want := x509.NewCertPool()
	want.AddCert(caB)
	if !b.Pool().Equal(want) {
		t.Fatal("Pool does not hold exactly the set certificates")
	}
	b.Pool().AddCert(caA)
	if !b.Pool().Equal(want) {
		t.Fatal("changing a returned Pool changed the bundle")
	}
}

func TestMemoryBundleConcurrent(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t, testTD, CAOptions{}).Certificate()
	b := NewMemoryBundle()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				before := b.Version()
				b.Set(ca)
				if b.Version() <= before {
					t.Error("Version did not increase after Set")
					return
				}
				_ = b.Pool()
			}
		})
	}
	wg.Wait()
	if got := b.Version(); got != 1+800 {
		t.Fatalf("Version = %d after 800 Sets, want 801", got)
	}
}
