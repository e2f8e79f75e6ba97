package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Canonical returns the canonical JSON encoding of m: object keys sorted,
// no insignificant whitespace, the schemas compacted and re-sorted, no
// HTML escaping. Two manifests that differ only in key order or
// whitespace have the same canonical bytes; these bytes are what is
// hashed and signed. A duplicate key anywhere, including inside the
// schemas, is an error: a document a reader could interpret two ways must
// not be signed.
func Canonical(m Manifest) ([]byte, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrInvalidManifest, m.Name, err)
	}
	out, err := canonicalJSON(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrInvalidManifest, m.Name, err)
	}
	return out, nil
}

// canonicalJSON re-encodes one JSON document with sorted keys.
func canonicalJSON(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after the JSON document")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// decodeValue reads one value; objects become maps (which encoding/json
// writes with sorted keys) and numbers keep their literal text.
func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		return decodeObject(dec)
	case json.Delim('['):
		return decodeArray(dec)
	}
	if d, ok := tok.(json.Delim); ok {
		return nil, fmt.Errorf("unexpected %q", rune(d))
	}
	return tok, nil
}

func decodeObject(dec *json.Decoder) (map[string]any, error) {
	obj := map[string]any{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		if _, dup := obj[key]; dup {
			return nil, fmt.Errorf("duplicate key %q", key)
		}
		if obj[key], err = decodeValue(dec); err != nil {
			return nil, err
		}
	}
	_, err := dec.Token() // the closing brace
	return obj, err
}

func decodeArray(dec *json.Decoder) ([]any, error) {
	arr := []any{}
	for dec.More() {
		v, err := decodeValue(dec)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
	}
	_, err := dec.Token() // the closing bracket
	return arr, err
}
