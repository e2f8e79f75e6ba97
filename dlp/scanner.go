package dlp

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// minInvisibleRun is how many invisible characters in a row count as text
// hidden in zero-width characters.
const minInvisibleRun = 4

// Scanner runs the detectors over normalised text and its decoded layers.
// It is safe for concurrent use.
type Scanner struct {
	cfg       Config
	detectors []detector
	redact    map[string]bool
	hidden    bool // the hidden-markup detector runs
	tasks     *taskWindows
}

// New returns a Scanner for c. Zero fields of c take their defaults; call
// c.Validate first to reject bad values (New treats them as zero).
func New(c Config) *Scanner { return newScanner(c, nil) }

// newScanner builds a Scanner with the detectors keep accepts (all when
// keep is nil).
func newScanner(c Config, keep func(detector) bool) *Scanner {
	c = c.withDefaults()
	s := &Scanner{cfg: c, redact: map[string]bool{}, tasks: newTaskWindows(c.Window, c.MaxTasks)}
	for _, d := range detectorInfo {
		switch {
		case d.name == detCanary && len(c.Canaries) > 0:
			d.find = newCanaries(c.Canaries).find
		case d.name == detPrompt && len(c.Prompts) > 0:
			d.find = newPrompts(c.Prompts, c.PromptWords).find
		}
		if d.find == nil || (keep != nil && !keep(d)) {
			continue
		}
		s.detectors = append(s.detectors, d)
		s.hidden = s.hidden || d.name == detHiddenMarkup
		if !d.alwaysBlocks() && redactable(c.Redact, d.name) {
			s.redact[d.name] = true
		}
	}
	return s
}

// redactable reports whether a Redact map covers detector name.
func redactable(keys map[string]bool, name string) bool {
	for k, on := range keys {
		if on && matchesKey(name, k) {
			return true
		}
	}
	return false
}

// Scan checks one text on its own: the normalised original and every
// decoded layer. Findings are ordered by position.
func (s *Scanner) Scan(text string) []Finding {
	return s.finish(s.scan(text))
}

// scan returns the findings of text, deduplicated, sorted by detector,
// not yet marked redactable.
func (s *Scanner) scan(text string) []Finding {
	n := Normalize(text, s.cfg.MaxDepth)
	root := n.root()
	fs := s.scanLayer(nil, text, &root)
	for i := range n.Layers {
		fs = s.scanLayer(fs, text, &n.Layers[i])
	}
	if s.hidden {
		fs = s.hiddenText(fs, text, n.Layers)
	}
	return dedupe(fs)
}

// scanLayer runs every detector over one layer and maps the matches to
// the original text.
func (s *Scanner) scanLayer(fs []Finding, orig string, l *Layer) []Finding {
	v := newView(l.Text)
	var spans []span
	for _, d := range s.detectors {
		spans = d.find(v, spans[:0])
		for _, sp := range spans {
			a, b := l.span(sp.start, sp.end)
			fs = add(fs, d, a, b, l.Encoding, evasion(orig, l, a, b))
		}
	}
	return fs
}

// add appends a finding.
func add(fs []Finding, d detector, a, b int, layer, ev string) []Finding {
	return append(fs, Finding{Detector: d.name, Control: d.control, Class: d.class, Start: a, End: b, Layer: layer, Evasion: ev})
}

// dedupe keeps, of each group of findings of one detector with
// overlapping spans, the one found first. The original text is scanned
// before the decoded layers, so a match seen both plainly and in a layer
// is reported as plain. The result is sorted by detector, then start.
func dedupe(fs []Finding) []Finding {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Or(strings.Compare(fs[a].Detector, fs[b].Detector), cmp.Compare(fs[a].Start, fs[b].Start))
	})
	out := make([]Finding, 0, len(fs))
	best, end := -1, 0
	for _, i := range idx {
		f := &fs[i]
		if best >= 0 && f.Detector == fs[best].Detector && (f.Start < end || f.Start == fs[best].Start) {
			best, end = min(best, i), max(end, f.End)
			continue
		}
		if best >= 0 {
			out = append(out, fs[best])
		}
		best, end = i, f.End
	}
	if best >= 0 {
		out = append(out, fs[best])
	}
	return out
}

// evasion names the technique that hid a match: the escapes inside it
// (URL/HTML layers) or the layer's outermost encoding, or for the
// original text, invisible characters or folded look-alikes inside it.
func evasion(orig string, l *Layer, a, b int) string {
	if l.Encoding != "" && l.pos != nil && a >= 0 && b <= len(orig) {
		return markupEvasion(orig[a:b], l.Encoding)
	}
	if l.Encoding != "" {
		return technique(l.Encoding)
	}
	if l.ident || a < 0 || b > len(orig) {
		return ""
	}
	seg := orig[a:b]
	folded := false
	for i := 0; i < len(seg); {
		r, size := utf8.DecodeRuneInString(seg[i:])
		if invisible(r) {
			return EvasionZeroWidth
		}
		if r >= utf8.RuneSelf && (foldRune(r) != 0 || !norm.NFKC.IsNormalString(seg[i:i+size])) {
			folded = true
		}
		i += size
	}
	if folded {
		return EvasionHomoglyph
	}
	return ""
}

// markupEvasion names the escapes in the original span of a match found
// in a URL/HTML layer: "url" for %XX, "html" for character references,
// else the layer's outermost encoding.
func markupEvasion(seg, chain string) string {
	switch {
	case hasEscape(seg, '%'):
		return EvasionURL
	case hasEscape(seg, '&'):
		return EvasionHTML
	}
	return technique(chain)
}

// hiddenText reports text hidden in invisible characters: runs of tag
// characters (decoded as "tags" layers) and runs of minInvisibleRun or
// more zero-width characters.
func (s *Scanner) hiddenText(fs []Finding, text string, layers []Layer) []Finding {
	d := info(detHiddenMarkup)
	for _, l := range layers {
		if l.Encoding == encTags {
			fs = add(fs, d, l.Start, l.End, "", EvasionZeroWidth)
		}
	}
	for _, r := range invisibleRuns(text) {
		fs = add(fs, d, r.start, r.end, "", EvasionZeroWidth)
	}
	return fs
}

// invisibleRuns returns the runs of at least minInvisibleRun invisible
// characters in s.
func invisibleRuns(s string) []span {
	if isASCII(s) {
		return nil
	}
	var runs []span
	start, n := 0, 0
	for i, r := range s {
		if invisible(r) {
			if n == 0 {
				start = i
			}
			n++
			continue
		}
		if n >= minInvisibleRun {
			runs = append(runs, span{start, i})
		}
		n = 0
	}
	if n >= minInvisibleRun {
		runs = append(runs, span{start, len(s)})
	}
	return runs
}

// finish drops generic secrets that a specific credential detector also
// matched, marks redactable findings and sorts.
func (s *Scanner) finish(fs []Finding) []Finding {
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		if f.Detector == detHighEntropy && overlapsCredential(fs, f) {
			continue
		}
		f.Redactable = s.redact[f.Detector]
		out = append(out, f)
	}
	sortFindings(out)
	return out
}

func overlapsCredential(fs []Finding, f Finding) bool {
	for _, g := range fs {
		if g.Control == ctrlSecrets && g.Detector != detHighEntropy && g.Start < f.End && f.Start < g.End {
			return true
		}
	}
	return false
}
