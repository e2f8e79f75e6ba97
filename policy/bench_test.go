package policy

import "testing"

// BenchmarkClassify classifies a reversible internal write with the
// default rules: every rule is evaluated and none matches, the worst case
// for a rule set of this size.
func BenchmarkClassify(b *testing.B) {
	p, err := Compile(DefaultRules())
	if err != nil {
		b.Fatal(err)
	}
	a := with(write)
	a.Amount = 1200
	b.ReportAllocs()
	for b.Loop() {
		if d, _ := p.Classify(a); d != Auto {
			b.Fatalf("Classify = %s", d)
		}
	}
}
