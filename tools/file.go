package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// LoadManifest reads a manifest written in YAML (.yaml, .yml) or JSON
// (.json) and validates it. Parsing is strict: an unknown field, a
// duplicate key or a second document is an error that names it.
func LoadManifest(path string) (Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("%w: %w", ErrInvalidManifest, err)
	}
	var m Manifest
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".json":
		m, err = decodeManifestJSON(b)
	case ".yaml", ".yml":
		m, err = decodeManifestYAML(b)
	default:
		err = fmt.Errorf("unknown extension %q (want .yaml, .yml or .json)", ext)
	}
	if err != nil {
		return Manifest{}, fmt.Errorf("%w: %s: %w", ErrInvalidManifest, path, err)
	}
	if _, _, p := m.check(); len(p) > 0 {
		return Manifest{}, fmt.Errorf("%w: %s: %s", ErrInvalidManifest, path, strings.Join(p, "; "))
	}
	return m, nil
}

// decodeManifestJSON decodes one JSON manifest strictly.
func decodeManifestJSON(b []byte) (Manifest, error) {
	var m Manifest
	return m, decodeStrict(b, &m)
}

// decodeStrict decodes one JSON document into v, refusing unknown
// fields, duplicate keys and trailing data.
func decodeStrict(b []byte, v any) error {
	if _, err := canonicalJSON(b); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON document")
	}
	return nil
}

// yamlManifest reads the schemas as YAML nodes; they are converted to
// JSON afterwards.
type yamlManifest struct {
	Manifest `yaml:",inline"`
	Params   yaml.Node `yaml:"params"`
	Result   yaml.Node `yaml:"result"`
}

// decodeManifestYAML decodes one YAML manifest strictly.
func decodeManifestYAML(b []byte) (Manifest, error) {
	var ym yamlManifest
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&ym); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return Manifest{}, errors.New(strings.Join(te.Errors, "; "))
		}
		return Manifest{}, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return Manifest{}, errors.New("more than one YAML document")
	}
	m := ym.Manifest
	var err error
	if m.Params, err = nodeJSON(&ym.Params); err != nil {
		return Manifest{}, fmt.Errorf("params: %w", err)
	}
	if m.Result, err = nodeJSON(&ym.Result); err != nil {
		return Manifest{}, fmt.Errorf("result: %w", err)
	}
	return m, nil
}
