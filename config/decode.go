package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// positions maps a field path such as "agents[1].tools[0]" to the line
// of its value in the source file. Null values are not recorded.
type positions map[string]int

// line returns the line of path, or of its nearest recorded ancestor, or
// 0 when none is known.
func (p positions) line(path string) int {
	for path != "" {
		if l, ok := p[path]; ok {
			return l
		}
		path = parentPath(path)
	}
	return 0
}

// set reports whether path was given a non-null value in the file.
func (p positions) set(path string) bool {
	_, ok := p[path]
	return ok
}

// parentPath strips the last ".name" or "[i]" segment from path.
func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// joinPath appends a field name to path.
func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// walker checks a YAML node tree against the Go types it will be decoded
// into, the way a strict decoder would, but reports every problem with
// its field path, and records the line of every value.
type walker struct {
	file string
	pos  positions
	errs Errors
}

func (w *walker) fail(line int, field, format string, args ...any) {
	w.errs = append(w.errs, &Error{File: w.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// walk checks node n at path against type t.
func (w *walker) walk(path string, n *yaml.Node, t reflect.Type) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		// Check the anchored value, but report it at the alias.
		target := *n.Alias
		target.Line, target.Column = n.Line, n.Column
		n = &target
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return
	}
	if path != "" {
		w.pos[path] = n.Line
	}
	switch {
	case reflect.PointerTo(t).Implements(unmarshalerType):
		w.leaf(path, n, t)
	case t.Kind() == reflect.Pointer:
		w.walk(path, n, t.Elem())
	case t.Kind() == reflect.Struct:
		w.mapping(path, n, t)
	case t.Kind() == reflect.Slice:
		w.sequence(path, n, t.Elem())
	case t.Kind() == reflect.Map:
		w.dict(path, n, t.Elem())
	default:
		w.leaf(path, n, t)
	}
}

// mapping checks a struct: known fields only, each at most once.
func (w *walker) mapping(path string, n *yaml.Node, t reflect.Type) {
	if n.Kind != yaml.MappingNode {
		w.fail(n.Line, path, "expected a mapping, got %s", describe(n))
		return
	}
	fields := fieldTypes(t)
	w.pairs(path, n, func(fp, name string, k, v *yaml.Node) {
		ft, ok := fields[name]
		if !ok {
			w.fail(k.Line, fp, "unknown field %q", name)
			return
		}
		w.walk(fp, v, ft)
	})
}

// dict checks a map with string keys.
func (w *walker) dict(path string, n *yaml.Node, elem reflect.Type) {
	if n.Kind != yaml.MappingNode {
		w.fail(n.Line, path, "expected a mapping, got %s", describe(n))
		return
	}
	w.pairs(path, n, func(fp, _ string, _, v *yaml.Node) { w.walk(fp, v, elem) })
}

// pairs calls fn for each key of mapping n, rejecting non-scalar keys,
// merge keys and duplicate keys.
func (w *walker) pairs(path string, n *yaml.Node, fn func(fp, name string, k, v *yaml.Node)) {
	seen := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			w.fail(k.Line, path, "expected a key name, got %s", describe(k))
			continue
		}
		fp := joinPath(path, k.Value)
		if first, dup := seen[k.Value]; dup {
			w.fail(k.Line, fp, "duplicate key %q (first set on line %d)", k.Value, first)
			continue
		}
		seen[k.Value] = k.Line
		if k.ShortTag() == "!!merge" {
			w.fail(k.Line, fp, "merge keys are not supported; use an alias for the whole value")
			continue
		}
		fn(fp, k.Value, k, v)
	}
}

// sequence checks a list and each of its items.
func (w *walker) sequence(path string, n *yaml.Node, elem reflect.Type) {
	if n.Kind != yaml.SequenceNode {
		w.fail(n.Line, path, "expected a list, got %s", describe(n))
		return
	}
	for i, item := range n.Content {
		w.walk(fmt.Sprintf("%s[%d]", path, i), item, elem)
	}
}

// leaf decodes a scalar into a scratch value of type t to check it.
func (w *walker) leaf(path string, n *yaml.Node, t reflect.Type) {
	custom := reflect.PointerTo(t).Implements(unmarshalerType)
	if n.Kind != yaml.ScalarNode && !custom {
		w.fail(n.Line, path, "expected %s, got %s", typeName(t), describe(n))
		return
	}
	err := n.Decode(reflect.New(t).Interface())
	var te *yaml.TypeError
	switch {
	case err == nil:
	case errors.As(err, &te):
		w.fail(n.Line, path, "expected %s, got %s", typeName(t), describe(n))
	default:
		w.fail(n.Line, path, "%s", err)
	}
}

// fieldTypes maps the YAML names of t's exported fields to their types.
func fieldTypes(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, t.NumField())
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

// typeName describes a scalar type for "expected X" messages.
func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "a boolean"
	default:
		return t.String()
	}
}
