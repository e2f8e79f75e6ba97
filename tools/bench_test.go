package tools

import (
	"encoding/json"
	"testing"
)

// BenchmarkCatalogCheckValidateArgs is the per-invocation cost of the
// manifest re-check (canonical bytes, hash, Ed25519 verification) plus
// argument validation.
func BenchmarkCatalogCheckValidateArgs(b *testing.B) {
	k := newKey(b)
	c := NewCatalog(Keys(pubOf(k)))
	sm := mustSign(b, testManifest(), k)
	if err := c.Approve(sm); err != nil {
		b.Fatal(err)
	}
	args := json.RawMessage(`{"policy_number":"P-123456","amount":120.5,"currency":"EUR","items":[{"sku":"abc"}]}`)
	b.ReportAllocs()
	for b.Loop() {
		tool, err := c.Check("pay_claim", sm)
		if err != nil {
			b.Fatal(err)
		}
		if err := tool.ValidateArgs(args); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateArgs(b *testing.B) {
	tool := approvedTool(b, testManifest())
	args := json.RawMessage(`{"policy_number":"P-123456","amount":120.5,"currency":"EUR","items":[{"sku":"abc"}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if err := tool.ValidateArgs(args); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCatalogCheckFullVerify presents a manifest that is equal in
// content but not identical in form (the schema is indented), so Check
// cannot reuse the approval's verification and runs the full Verify.
func BenchmarkCatalogCheckFullVerify(b *testing.B) {
	k := newKey(b)
	c := NewCatalog(Keys(pubOf(k)))
	sm := mustSign(b, testManifest(), k)
	if err := c.Approve(sm); err != nil {
		b.Fatal(err)
	}
	sm.Manifest.Params = json.RawMessage(payParams)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Check("pay_claim", sm); err != nil {
			b.Fatal(err)
		}
	}
}
