package tools

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

const payYAML = `name: pay_claim
version: 1.2.0
description: Pays an approved insurance claim.
effect: external
reversible: false
target: external
max_duration: 30s
permissions: [payments:write]
data_class: confidential
runtime: go
params:
  type: object
  required: [policy_number, amount]
  additionalProperties: false
  properties:
    policy_number: {type: string, pattern: "^P-[0-9]{6}$"}
    amount: {type: number, minimum: 0, maximum: 100000}
    currency: {enum: [EUR, GBP, USD]}
    paid_on: {type: string, format: date}
    items:
      type: array
      items:
        type: object
        required: [sku]
        properties:
          sku: {type: string, minLength: 3}
result:
  type: object
  required: [payment_id]
  properties:
    payment_id: {type: string}
`

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadManifestYAMLAndJSONAgree(t *testing.T) {
	t.Parallel()
	y, err := LoadManifest(writeFile(t, "pay.yaml", payYAML))
	if err != nil {
		t.Fatalf("YAML: %v", err)
	}
	want, _ := Canonical(testManifest())
	got, _ := Canonical(y)
	if !bytes.Equal(got, want) {
		t.Fatalf("YAML manifest canonical:\n%s\nwant\n%s", got, want)
	}
	j, err := LoadManifest(writeFile(t, "pay.json", string(want)))
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	if got, _ := Canonical(j); !bytes.Equal(got, want) {
		t.Fatalf("JSON manifest canonical:\n%s", got)
	}
}

func TestLoadManifestStrict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, body string
		want             []string
	}{
		{"yaml unknown field", "m.yaml", payYAML + "owner: bob\n", []string{"m.yaml: line 32: field owner not found"}},
		{"yaml nested unknown field", "m.yaml", payYAML + "process: {command: [/bin/x], shell: true}\n", []string{"field shell not found"}},
		{"yaml duplicate key", "m.yaml", payYAML + "version: 2\n", []string{`line 32: mapping key "version" already defined at line 2`}},
		{"yaml duplicate schema key", "m.yaml", "params:\n  type: object\n  type: string\n", []string{`params: line 3: duplicate key "type"`}},
		{"yaml two documents", "m.yaml", payYAML + "---\nname: x\n", []string{"more than one YAML document"}},
		{"json unknown field", "m.json", `{"name":"x","owner":"bob"}`, []string{`unknown field "owner"`}},
		{"json duplicate key", "m.json", `{"name":"x","name":"y"}`, []string{`duplicate key "name"`}},
		{"json trailing", "m.json", `{"name":"x"} {}`, []string{"trailing data"}},
		{"invalid content", "m.json", `{"name":"x"}`, []string{"m.json", "version is required"}},
		{"extension", "m.toml", `name = "x"`, []string{`unknown extension ".toml"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadManifest(writeFile(t, tt.file, tt.body))
			wantErr(t, err, ErrInvalidManifest, tt.want...)
		})
	}
}

func TestLoadManifestYAMLDurationMustHaveUnit(t *testing.T) {
	t.Parallel()
	body := bytes.Replace([]byte(payYAML), []byte("max_duration: 30s"), []byte("max_duration: 30"), 1)
	_, err := LoadManifest(writeFile(t, "m.yaml", string(body)))
	wantErr(t, err, ErrInvalidManifest, `duration "30"`)
}

func TestSignedFileRoundTrip(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	sm := mustSign(t, testManifest(), k)
	dir := t.TempDir()
	path := filepath.Join(dir, "pay_claim"+SignedSuffix)
	if err := WriteSigned(path, sm); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSigned(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Hash != sm.Hash || !bytes.Equal(got.Raw, sm.Raw) || got.KeyID != sm.KeyID {
		t.Fatalf("round trip changed the manifest: %s vs %s", got.Hash, sm.Hash)
	}
	if err := Verify(got, Keys(pubOf(k))); err != nil {
		t.Fatal(err)
	}
	c := NewCatalog(Keys(pubOf(k)))
	if err := c.Approve(sm); err != nil {
		t.Fatal(err)
	}
	if tool, _ := c.Get("pay_claim"); !tool.verified(got) {
		t.Fatal("a manifest read back from disk is not recognised as the approved one")
	}
	all, err := ReadSignedDir(dir)
	if err != nil || len(all) != 1 || all[0].Hash != sm.Hash {
		t.Fatalf("ReadSignedDir = %d manifests, %v", len(all), err)
	}
}

func TestSignedFileTamperedOnDisk(t *testing.T) {
	t.Parallel()
	// SC-T2.2: a manifest file edited after signing is rejected at load.
	k := newKey(t)
	path := filepath.Join(t.TempDir(), "pay_claim"+SignedSuffix)
	if err := WriteSigned(path, mustSign(t, testManifest(), k)); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	b = bytes.Replace(b, []byte(`"maximum": 100000`), []byte(`"maximum": 1e12`), 1)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	sm, err := ReadSigned(path)
	if err != nil {
		t.Fatal(err)
	}
	err = NewCatalog(Keys(pubOf(k))).Approve(sm)
	wantErr(t, err, ErrBadSignature)
}

func TestReadSignedRejects(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "refund"+SignedSuffix)
	if err := WriteSigned(path, mustSign(t, testManifest(), k)); err != nil {
		t.Fatal(err)
	}
	_, err := ReadSigned(path)
	wantErr(t, err, ErrInvalidManifest, `holds the manifest of "pay_claim"`)

	bad := map[string]string{
		"extra field":   `{"manifest":{"name":"x"},"signature":"","key_id":"","note":"hi"}`,
		"bad base64":    `{"manifest":{"name":"x"},"signature":"***","key_id":""}`,
		"no manifest":   `{"signature":"","key_id":""}`,
		"unknown field": `{"manifest":{"name":"x","admin":true},"signature":"","key_id":""}`,
	}
	for name, body := range bad {
		_, err := ReadSigned(writeFile(t, "x.json", body))
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
