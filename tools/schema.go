package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// compileSchema compiles one JSON Schema (draft 2020-12 unless it names
// another draft). Formats are asserted, not just annotated. No external
// reference is ever loaded: the signed manifest must hold the whole
// schema, or its signature would not cover what is enforced.
func compileSchema(raw json.RawMessage, url string) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseLoader(jsonschema.SchemeURLLoader{})
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	sch, err := c.Compile(url)
	var sve *jsonschema.SchemaValidationError
	var ve *jsonschema.ValidationError
	if errors.As(err, &sve) && errors.As(sve.Err, &ve) {
		return nil, errors.New("not a valid JSON Schema: " + describe(ve, doc, "keyword"))
	}
	return sch, err
}

// schemaURL is the in-memory location of a manifest's schema; each schema
// has a compiler of its own, so the name need not be unique.
func schemaURL(which string) string {
	return "mem://manifest/" + which + ".json"
}

// validateJSON checks data against sch. what is "argument" or "result" and
// prefixes each field path in the error.
func validateJSON(sch *jsonschema.Schema, data json.RawMessage, tool, what string) error {
	if len(bytes.TrimSpace(data)) == 0 && what == "argument" {
		data = json.RawMessage("{}")
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%w: %s: %s is not valid JSON: %w", ErrSchema, tool, what, err)
	}
	err = sch.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("%w: %s: %w", ErrSchema, tool, err)
	}
	return fmt.Errorf("%w: %s: %s", ErrSchema, tool, describe(ve, v, what))
}
