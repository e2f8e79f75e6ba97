package tools

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// maxReported caps the problems listed in one schema error.
const maxReported = 8

var printer = message.NewPrinter(language.English)

// describe flattens a validation error into "argument "a.b": why" lines,
// one per failing leaf, sorted and joined with "; ".
func describe(ve *jsonschema.ValidationError, inst any, what string) string {
	var lines []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			lines = append(lines, leafLines(e, inst, what)...)
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	slices.Sort(lines)
	lines = slices.Compact(lines)
	if n := len(lines); n > maxReported {
		lines = append(lines[:maxReported], fmt.Sprintf("and %d more", n-maxReported))
	}
	return strings.Join(lines, "; ")
}

// leafLines words one failing keyword. Required and additionalProperties
// report at the property they concern, not at the enclosing object.
func leafLines(e *jsonschema.ValidationError, inst any, what string) []string {
	loc := e.InstanceLocation
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		return perProperty(loc, k.Missing, inst, what, "missing property")
	case *kind.AdditionalProperties:
		return perProperty(loc, k.Properties, inst, what, "property not allowed")
	case *kind.DependentRequired:
		return perProperty(loc, k.Missing, inst, what, fmt.Sprintf("missing property (required when %q is present)", k.Prop))
	}
	return []string{field(loc, inst, what) + ": " + reason(e.ErrorKind)}
}

func perProperty(loc []string, props []string, inst any, what, why string) []string {
	out := make([]string, 0, len(props))
	for _, p := range props {
		out = append(out, field(append(slices.Clip(loc), p), inst, what)+": "+why)
	}
	return out
}

// reason words the common keywords plainly and falls back to the
// library's own wording.
func reason(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Type:
		return fmt.Sprintf("must be of type %s, got %s", strings.Join(k.Want, " or "), k.Got)
	case *kind.Enum:
		return "must be one of " + jsonText(k.Want)
	case *kind.Const:
		return "must be " + jsonText(k.Want)
	case *kind.Minimum:
		return "must be >= " + ratText(k.Want)
	case *kind.Maximum:
		return "must be <= " + ratText(k.Want)
	case *kind.ExclusiveMinimum:
		return "must be > " + ratText(k.Want)
	case *kind.ExclusiveMaximum:
		return "must be < " + ratText(k.Want)
	case *kind.MultipleOf:
		return "must be a multiple of " + ratText(k.Want)
	case *kind.MinLength:
		return fmt.Sprintf("must be at least %d characters long", k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("must be at most %d characters long", k.Want)
	case *kind.Pattern:
		return fmt.Sprintf("must match pattern %q", k.Want)
	case *kind.Format:
		return "must be a valid " + k.Want
	case *kind.MinItems:
		return fmt.Sprintf("must have at least %d items", k.Want)
	case *kind.MaxItems:
		return fmt.Sprintf("must have at most %d items", k.Want)
	case *kind.FalseSchema:
		return "not allowed"
	}
	return k.LocalizedString(printer)
}

// field names an instance location: `argument "claim.items[0].sku"`, or
// "arguments" for the whole document.
func field(loc []string, inst any, what string) string {
	if len(loc) == 0 {
		if what == "argument" {
			return "arguments"
		}
		return what
	}
	var b strings.Builder
	cur := inst
	for i, tok := range loc {
		arr, isArr := cur.([]any)
		switch {
		case isArr:
			b.WriteString("[" + tok + "]")
			if n, err := strconv.Atoi(tok); err == nil && n >= 0 && n < len(arr) {
				cur = arr[n]
			}
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(tok)
			obj, _ := cur.(map[string]any)
			cur = obj[tok]
		}
	}
	return fmt.Sprintf("%s %q", what, b.String())
}

func ratText(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
