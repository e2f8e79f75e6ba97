package tools

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestCanonicalIgnoresKeyOrderAndWhitespace(t *testing.T) {
	t.Parallel()
	a := testManifest()
	b := testManifest()
	b.Params = json.RawMessage(`{"properties":{"items":{"items":{"properties":{"sku":{"minLength":3,"type":"string"}},"required":["sku"],"type":"object"},"type":"array"},
	  "paid_on":{"format":"date","type":"string"},"currency":{"enum":["EUR","GBP","USD"]},
	  "amount":{"maximum":100000,"minimum":0,"type":"number"},"policy_number":{"pattern":"^P-[0-9]{6}$","type":"string"}},
	  "additionalProperties":false,"required":["policy_number","amount"],"type":"object"}`)
	ca, err := Canonical(a)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := Canonical(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ca, cb) {
		t.Fatalf("canonical bytes differ:\n%s\n%s", ca, cb)
	}
	again, _ := Canonical(a)
	if !bytes.Equal(ca, again) {
		t.Fatal("Canonical is not deterministic")
	}
}

func TestCanonicalForm(t *testing.T) {
	t.Parallel()
	m := Manifest{Name: "x", Params: json.RawMessage("{ \"type\" : \"object\" ,\n \"b\":1, \"a\":\"<&>\" }"),
		MaxDuration: Duration{90e9}}
	got, err := Canonical(m)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"data_class":"","description":"","effect":"","max_duration":"1m30s","name":"x",` +
		`"params":{"a":"<&>","b":1,"type":"object"},"reversible":false,"runtime":"","target":"","version":""}`
	if string(got) != want {
		t.Fatalf("Canonical =\n%s\nwant\n%s", got, want)
	}
}

func TestCanonicalChangesWithContent(t *testing.T) {
	t.Parallel()
	base, _ := Canonical(testManifest())
	m := testManifest()
	m.Params = json.RawMessage(bytes.Replace([]byte(payParams), []byte(`"maximum": 100000`), []byte(`"maximum": 100001`), 1))
	changed, _ := Canonical(m)
	if bytes.Equal(base, changed) {
		t.Fatal("a changed schema gave the same canonical bytes")
	}
}

func TestCanonicalRejectsDuplicateKeys(t *testing.T) {
	t.Parallel()
	m := testManifest()
	m.Params = json.RawMessage(`{"type":"object","properties":{"a":{"type":"string"},"a":{"type":"number"}}}`)
	_, err := Canonical(m)
	wantErr(t, err, ErrInvalidManifest, `duplicate key "a"`)
}
