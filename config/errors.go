package config

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Sentinel errors. Every [*Error] matches ErrInvalid with [errors.Is].
var (
	// ErrRead reports that the configuration file could not be read.
	ErrRead = errors.New("config: cannot read file")
	// ErrInvalid reports a configuration that failed to parse or validate.
	ErrInvalid = errors.New("config: invalid configuration")
	// ErrDuration reports a value that is not a duration string.
	ErrDuration = errors.New("invalid duration")
)

// Error is one configuration problem with its position.
type Error struct {
	File  string // file name; empty when unknown
	Line  int    // 1-based line of the offending value; 0 when unknown
	Field string // field path such as "agents[1].tools[0]"; empty for the whole file
	Msg   string
}

// Error formats e as "file:line: field: msg", leaving out empty parts.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	}
	if e.Line > 0 {
		if b.Len() > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(e.Line))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns [ErrInvalid].
func (e *Error) Unwrap() error { return ErrInvalid }

// Errors is every problem found in one configuration, sorted by line.
type Errors []*Error

// Error joins the messages with newlines.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the individual errors, so [errors.Is] and [errors.As]
// see each of them.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// sorted orders es by line, keeping discovery order within a line, and
// returns nil for no errors so callers never get a typed nil.
func (es Errors) sorted() error {
	if len(es) == 0 {
		return nil
	}
	slices.SortStableFunc(es, func(a, b *Error) int { return a.Line - b.Line })
	return es
}

// yamlLine matches the position prefix of yaml.v3 messages.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// fromYAML converts a yaml.v3 error into positioned errors: a syntax
// error becomes "file:line: message".
func fromYAML(file string, err error) Errors {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	out := make(Errors, 0, len(msgs))
	for _, m := range msgs {
		e := &Error{File: file, Msg: strings.TrimPrefix(m, "yaml: ")}
		if sub := yamlLine.FindStringSubmatch(m); sub != nil {
			e.Line, _ = strconv.Atoi(sub[1])
			e.Msg = m[len(sub[0]):]
		}
		out = append(out, e)
	}
	return out
}

// describe names a node's kind for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return strconv.Quote(n.Value)
	default:
		return "an alias"
	}
}
