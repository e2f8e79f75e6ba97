package identity

import (
	"testing"
	"time"
)

// BenchmarkVerifyCached measures the hot path: a certificate whose chain
// verification is cached. It includes the SHA-256 of the DER.
func BenchmarkVerifyCached(b *testing.B) {
	e := newVerifierEnv(b)
	now := time.Now()
	if _, err := e.v.Verify(e.cred.CertDER, now); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.v.Verify(e.cred.CertDER, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyCachedParallel is BenchmarkVerifyCached from all CPUs at
// once, to expose lock contention.
func BenchmarkVerifyCachedParallel(b *testing.B) {
	e := newVerifierEnv(b)
	now := time.Now()
	if _, err := e.v.Verify(e.cred.CertDER, now); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.v.Verify(e.cred.CertDER, now); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkVerifyCold measures a full verification: parse, chain to the
// bundle and identity checks, with a fresh Verifier each time.
func BenchmarkVerifyCold(b *testing.B) {
	e := newVerifierEnv(b)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		v := &Verifier{Bundle: e.bund, Revocations: e.revs, TrustDomain: testTD}
		if _, err := v.Verify(e.cred.CertDER, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyCachedAfterHash is BenchmarkVerifyCached without the
// SHA-256: the cost of the cache lookup, the time checks, the revocation
// check and the returned Peer.
func BenchmarkVerifyCachedAfterHash(b *testing.B) {
	e := newVerifierEnv(b)
	now := time.Now()
	der, fp := e.cred.CertDER, e.cred.Fingerprint
	if _, err := e.v.Verify(der, now); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.v.verify(der, fp, now); err != nil {
			b.Fatal(err)
		}
	}
}
