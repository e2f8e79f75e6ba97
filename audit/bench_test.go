package audit

import (
	"testing"
)

func BenchmarkAppend(b *testing.B) {
	l, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	ev := Event{
		Type:        "message.delivered",
		Verdict:     "pass",
		Controls:    []string{"IA-2.3", "OB-1.2"},
		Agent:       "spiffe://maso.local/agent/researcher",
		MessageID:   "0190f0b8-5c1e-7a3b-9a4e-2f6d1c7b8e90",
		From:        "spiffe://maso.local/agent/planner",
		To:          "spiffe://maso.local/agent/researcher",
		Kind:        "instruction",
		PayloadHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Append(ev); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendParallel(b *testing.B) {
	l, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	ev := Event{Type: "tool.call", Verdict: "pass", Agent: "agent", Controls: []string{"OB-1.1"}}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := l.Append(ev); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	dir := b.TempDir()
	l, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for range 10000 {
		if _, err := l.Append(Event{Type: "tool.call", Agent: "agent"}); err != nil {
			b.Fatal(err)
		}
	}
	l.Close()
	b.ResetTimer()
	for b.Loop() {
		if rep, err := Verify(dir); err != nil || !rep.OK {
			b.Fatal(rep, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/entry")
}
