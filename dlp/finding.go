package dlp

import (
	"cmp"
	"slices"
	"strings"
)

// Data classifications (DP-1.1), lowest first.
const (
	ClassPublic       = "public"
	ClassInternal     = "internal"
	ClassConfidential = "confidential"
	ClassRestricted   = "restricted"
)

// classRank orders the classifications; "" ranks below all of them.
var classRank = map[string]int{
	ClassPublic:       1,
	ClassInternal:     2,
	ClassConfidential: 3,
	ClassRestricted:   4,
}

// Evasion techniques reported in Finding.Evasion.
const (
	EvasionBase64    = "base64"
	EvasionHex       = "hex"
	EvasionURL       = "url"
	EvasionHTML      = "html"
	EvasionHomoglyph = "homoglyph"
	EvasionZeroWidth = "zero_width"
	EvasionSplit     = "split"
)

// Finding is one match of one detector.
type Finding struct {
	// Detector names the detector, e.g. "email", "national_id.us_ssn",
	// "aws_access_key", "canary", "injection.role_play".
	Detector string
	// Control is the MASO control the detector enforces: DP-2.1 for PII,
	// financial and health data, IA-2.6 for credentials, PG-2.3 for
	// canaries and system-prompt fragments, PG-1.1 for injection and
	// PG-1.2 for prompt-extraction requests.
	Control string
	// Class is the classification the match implies: "confidential" for
	// PII and financial data, "restricted" for health data, credentials,
	// canaries and prompt fragments, "" for injection.
	Class string
	// Start and End are byte offsets in the original text. A match in a
	// decoded layer is reported with the span its encoded run came from
	// (or, for URL and HTML decoding, the exact encoded characters). A
	// match split across messages by ScanTask is reported with the part in
	// the scanned message.
	Start, End int
	// Layer is "" for a match in the (normalised) original text, else the
	// chain of encodings decoded to find it, outermost first: "base64",
	// "url>base64".
	Layer string
	// Evasion is the technique the match was hidden with, if any: base64,
	// hex, url, html (outermost encoding of its layer), homoglyph,
	// zero_width or split.
	Evasion string
	// Redactable is true when the Scanner's Config marks the detector as
	// redactable: the match may be removed with Redact instead of blocking
	// the message.
	Redactable bool
}

// Redact returns text with the spans of redactable findings replaced by
// "[REDACTED:<detector>]". Overlapping spans are merged and take the
// detector of the finding that starts first. Spans outside text are
// ignored.
func Redact(text string, findings []Finding) string {
	spans := redactSpans(text, findings)
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for _, f := range spans {
		b.WriteString(text[at:f.Start])
		b.WriteString("[REDACTED:")
		b.WriteString(f.Detector)
		b.WriteString("]")
		at = f.End
	}
	b.WriteString(text[at:])
	return b.String()
}

// redactSpans returns the redactable findings clamped to text, sorted and
// merged.
func redactSpans(text string, findings []Finding) []Finding {
	var spans []Finding
	for _, f := range findings {
		if !f.Redactable || f.Start < 0 || f.End > len(text) || f.Start >= f.End {
			continue
		}
		spans = append(spans, f)
	}
	slices.SortFunc(spans, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End))
	})
	merged := spans[:0]
	for _, f := range spans {
		if n := len(merged); n > 0 && f.Start < merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, f.End)
			continue
		}
		merged = append(merged, f)
	}
	return merged
}

// HighestClass returns the highest classification implied by fs, or ""
// when none implies one.
func HighestClass(fs []Finding) string {
	best := ""
	for _, f := range fs {
		if classRank[f.Class] > classRank[best] {
			best = f.Class
		}
	}
	return best
}

// Blocks reports whether any finding blocks the message, that is, is not
// redactable.
func Blocks(fs []Finding) bool {
	for _, f := range fs {
		if !f.Redactable {
			return true
		}
	}
	return false
}

// sortFindings orders findings by position, then detector name.
func sortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), strings.Compare(a.Detector, b.Detector))
	})
}
