package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"

	"gopkg.in/yaml.v3"
)

// Load reads the file at path and parses it with [Parse], using path as
// the file name in errors.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRead, err)
	}
	c, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRead, err)
	}
	c.Files, c.Dir = os.DirFS(dir), dir
	return c, nil
}

// Parse decodes one YAML document strictly, applies defaults and
// validates the result. name is the file name used in errors. On failure
// the error is an [Errors] holding every problem found, sorted by line.
//
// Structural problems (syntax, unknown or duplicate keys, wrong types) are
// reported without validating further, since the values are incomplete.
func Parse(name string, data []byte) (*Config, error) {
	root, err := parseNode(name, data)
	if err != nil {
		return nil, err
	}
	w := &walker{file: name, pos: positions{}}
	if root != nil {
		w.walk("", root, reflect.TypeFor[Config]())
	}
	if len(w.errs) > 0 {
		return nil, w.errs.sorted()
	}
	c := &Config{}
	if err := decodeStrict(data, c); err != nil {
		return nil, fromYAML(name, err).sorted()
	}
	c.Source = name
	c.pos = w.pos
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// parseNode parses data into a node tree and returns the root value of
// its single document, or nil for an empty file.
func parseNode(name string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, fromYAML(name, err).sorted()
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, fromYAML(name, err).sorted()
	default:
		return nil, Errors{{File: name, Line: extra.Line, Msg: "a configuration file holds one YAML document, found another"}}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// decodeStrict decodes data into c, rejecting unknown fields.
func decodeStrict(data []byte, c *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}
