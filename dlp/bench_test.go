package dlp

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// benchMessage builds a realistic message of n bytes: claims prose with
// an e-mail address, a phone number, amounts, dates, references, a URL
// with escapes and a short HTML fragment, repeated.
func benchMessage(n int) string {
	const para = "Claim POL-100231 from Alice Moreau (alice.moreau@example.com, +44 20 7946 0958): " +
		"water damage from a burst pipe on 2025-03-14, amount claimed 3,200.00 EUR, severity low. " +
		"The adjuster visited on Monday and will act as the point of contact; please ignore the duplicate upload. " +
		"Photos: https://example.com/uploads?id=8812%2Fa&size=large <p>Kitchen &amp; hallway</p>. " +
		"Order 4929 1234 5678 9012 was not charged. Version 2.14.3, ticket CLM-2025-004417.\n"
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(para)
	}
	return b.String()[:n]
}

// benchScan runs scan over msg and reports throughput and the median
// latency per KiB: wall clock ("p50-ns/KiB") and, where the platform
// can tell, CPU time of the scanning thread ("p50-cpu-ns/KiB"), which
// stays meaningful on a loaded machine.
func benchScan(b *testing.B, msg string, scan func(string) []Finding) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	var wall, cpu []time.Duration
	for b.Loop() {
		start := time.Now()
		c0, ok := threadCPU()
		scan(msg)
		if c1, _ := threadCPU(); ok {
			cpu = append(cpu, c1-c0)
		}
		wall = append(wall, time.Since(start))
	}
	perKiB := func(d time.Duration) float64 { return float64(d.Nanoseconds()) * 1024 / float64(len(msg)) }
	b.ReportMetric(perKiB(median(wall)), "p50-ns/KiB")
	if len(cpu) > 0 {
		b.ReportMetric(perKiB(median(cpu)), "p50-cpu-ns/KiB")
	}
}

func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

func dlpOnly(d detector) bool        { return !d.isInjection() }
func guardrailsOnly(d detector) bool { return d.isInjection() }

// BenchmarkDLP measures normalisation plus the DLP detectors (PII,
// financial, health, credentials).
func BenchmarkDLP(b *testing.B) {
	s := newScanner(Config{}, dlpOnly)
	for _, size := range []struct {
		name string
		n    int
	}{{"1KiB", 1 << 10}, {"64KiB", 64 << 10}} {
		msg := benchMessage(size.n)
		b.Run(size.name, func(b *testing.B) { benchScan(b, msg, s.Scan) })
	}
}

// BenchmarkGuardrails measures normalisation plus the injection
// detectors on a 1 KiB message.
func BenchmarkGuardrails(b *testing.B) {
	s := newScanner(Config{}, guardrailsOnly)
	msg := benchMessage(1 << 10)
	benchScan(b, msg, s.Scan)
}

// proseMessage is n bytes of claims prose without escapes or markup, the
// common case.
func proseMessage(n int) string {
	const para = "The claimant reported storm damage to the roof on 14 March; the adjuster visited the property " +
		"on Monday and estimated the repair at 3,200 EUR. Photos and the contractor's quote are attached to " +
		"claim CLM-2025-004417. Please confirm the policy covers wind damage before the payment is approved.\n"
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(para)
	}
	return b.String()[:n]
}

// BenchmarkScan measures a full Scan (DLP and guardrails, one canary) on
// 1 KiB: the markup-heavy message of the other benchmarks, and plain
// prose.
func BenchmarkScan(b *testing.B) {
	s := New(Config{Canaries: []string{"CANARY-7f3a9c2e51"}})
	b.Run("1KiB", func(b *testing.B) { benchScan(b, benchMessage(1<<10), s.Scan) })
	b.Run("1KiB-prose", func(b *testing.B) { benchScan(b, proseMessage(1<<10), s.Scan) })
}

// BenchmarkScanTask measures ScanTask on 1 KiB messages with a full 8 KiB
// window.
func BenchmarkScanTask(b *testing.B) {
	s := New(Config{})
	msg := benchMessage(1 << 10)
	for range 10 {
		s.ScanTask("t", msg)
	}
	benchScan(b, msg, func(m string) []Finding { return s.ScanTask("t", m) })
}

// BenchmarkNormalize measures normalisation and decoding alone on 1 KiB.
func BenchmarkNormalize(b *testing.B) {
	msg := benchMessage(1 << 10)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		Normalize(msg, DefaultMaxDepth)
	}
}
