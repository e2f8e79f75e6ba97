package tools

import (
	"encoding/json"
	"strings"
	"testing"
)

func approvedTool(t testing.TB, m Manifest) *Tool {
	t.Helper()
	k := newKey(t)
	c := NewCatalog(Keys(pubOf(k)))
	if err := c.Approve(mustSign(t, m, k)); err != nil {
		t.Fatalf("Approve: %v", err)
	}
	tool, _ := c.Get(m.Name)
	return tool
}

func TestValidateArgs(t *testing.T) {
	t.Parallel()
	tool := approvedTool(t, testManifest())
	tests := []struct {
		name, args string
		want       string // "" means valid
	}{
		{"valid", `{"policy_number":"P-123456","amount":120.5,"currency":"EUR","paid_on":"2026-11-21"}`, ""},
		{"missing required", `{"amount":10}`, `argument "policy_number": missing property`},
		{"two missing", `{}`, `argument "amount": missing property; argument "policy_number": missing property`},
		{"empty means {}", ``, `argument "policy_number": missing property`},
		{"wrong type", `{"policy_number":"P-123456","amount":"ten"}`, `argument "amount": must be of type number, got string`},
		{"below minimum", `{"policy_number":"P-123456","amount":-1}`, `argument "amount": must be >= 0`},
		{"above maximum", `{"policy_number":"P-123456","amount":100000.5}`, `argument "amount": must be <= 100000`},
		{"enum", `{"policy_number":"P-123456","amount":1,"currency":"JPY"}`, `argument "currency": must be one of ["EUR","GBP","USD"]`},
		{"pattern", `{"policy_number":"123","amount":1}`, `argument "policy_number": must match pattern "^P-[0-9]{6}$"`},
		{"format", `{"policy_number":"P-123456","amount":1,"paid_on":"yesterday"}`, `argument "paid_on": must be a valid date`},
		{"additional property", `{"policy_number":"P-123456","amount":1,"bank":"x"}`, `argument "bank": property not allowed`},
		{"nested array", `{"policy_number":"P-123456","amount":1,"items":[{"sku":"abcd"},{"sku":"ab"},{}]}`,
			`argument "items[1].sku": must be at least 3 characters long; argument "items[2].sku": missing property`},
		{"not an object", `[1]`, `arguments: must be of type object, got array`},
		{"not JSON", `{"amount":`, `argument is not valid JSON`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tool.ValidateArgs(json.RawMessage(tt.args))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("ValidateArgs: %v", err)
				}
				return
			}
			wantErr(t, err, ErrSchema, "pay_claim: ", tt.want)
		})
	}
}

func TestValidateResult(t *testing.T) {
	t.Parallel()
	tool := approvedTool(t, testManifest())
	if err := tool.ValidateResult(json.RawMessage(`{"payment_id":"x"}`)); err != nil {
		t.Fatal(err)
	}
	wantErr(t, tool.ValidateResult(json.RawMessage(`{"payment_id":7}`)), ErrSchema, `result "payment_id": must be of type string, got number`)
	wantErr(t, tool.ValidateResult(json.RawMessage(`{}`)), ErrSchema, `result "payment_id": missing property`)

	m := testManifest()
	m.Result = nil
	free := approvedTool(t, m)
	if err := free.ValidateResult(json.RawMessage(`[1,2]`)); err != nil {
		t.Fatalf("no result schema: %v", err)
	}
	wantErr(t, free.ValidateResult(json.RawMessage(`[1,`)), ErrSchema, "not valid JSON")
}

func TestSchemaErrorListIsCapped(t *testing.T) {
	t.Parallel()
	m := testManifest()
	m.Params = json.RawMessage(`{"type":"object","additionalProperties":false}`)
	tool := approvedTool(t, m)
	var b strings.Builder
	b.WriteString("{")
	for i := range 12 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"p` + string(rune('a'+i)) + `":1`)
	}
	b.WriteString("}")
	wantErr(t, tool.ValidateArgs(json.RawMessage(b.String())), ErrSchema, "and 4 more")
}

func TestSchemasAreSelfContained(t *testing.T) {
	t.Parallel()
	for _, ref := range []string{"file:///etc/passwd", "https://example.com/s.json", "other.json"} {
		m := testManifest()
		m.Params = json.RawMessage(`{"type":"object","properties":{"a":{"$ref":"` + ref + `"}}}`)
		wantErr(t, m.Validate(), ErrInvalidManifest, "params schema")
	}
	m := testManifest()
	m.Params = json.RawMessage(`{"type":"object","$defs":{"id":{"type":"string"}},"properties":{"a":{"$ref":"#/$defs/id"}}}`)
	if err := m.Validate(); err != nil {
		t.Fatalf("local $ref: %v", err)
	}
}

func TestInvalidSchemaIsNamed(t *testing.T) {
	t.Parallel()
	m := testManifest()
	m.Params = json.RawMessage(`{"type":"object","properties":{"a":{"type":"strin"}}}`)
	wantErr(t, m.Validate(), ErrInvalidManifest, `params schema: not a valid JSON Schema: keyword "properties.a.type"`)
	m = testManifest()
	m.Result = json.RawMessage(`{"minimum":"zero"}`)
	wantErr(t, m.Validate(), ErrInvalidManifest, `result schema: not a valid JSON Schema: keyword "minimum": must be of type number, got string`)
}
