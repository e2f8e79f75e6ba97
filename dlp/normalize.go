package dlp

import "strings"

// Encoding names used in Layer.Encoding chains.
const (
	encBase64 = "base64"
	encHex    = "hex"
	encURL    = "url"
	encHTML   = "html"
	encTags   = "tags"
)

// Layer is one decoded layer of a text.
type Layer struct {
	// Encoding is the chain of encodings decoded to get Text, outermost
	// first, joined by ">": "base64", "url>base64". "url+html" is one
	// level where both URL escapes and HTML character references were
	// decoded; "tags" is text hidden in Unicode tag characters.
	Encoding string
	// Text is the decoded text, normalised like the original.
	Text string
	// Start and End are the span of the original text the layer was
	// decoded from.
	Start, End int

	// pos, when set, holds the original offset of every byte of Text plus
	// a final entry (URL and HTML decoding keep exact positions). When nil
	// and ident is false, the whole layer maps to Start..End.
	pos   []int32
	ident bool
}

// Normalized is a text prepared for the detectors: the normalised
// original and every decoded layer found in it.
type Normalized struct {
	// Text is the original after NFKC, look-alike folding and removal of
	// invisible characters.
	Text string
	// Layers are the decoded layers, parents before their children.
	Layers []Layer

	pos []int32 // original offset of every byte of Text; nil when Text is the original
	n   int     // length of the original
}

// Normalize folds s (Unicode NFKC; Cyrillic, Greek and other look-alikes
// to ASCII; zero-width and bidi controls removed) and decodes, up to
// maxDepth levels deep, the encodings found in it: base64 (standard and
// URL alphabets, padded or not, runs of at least 16 characters decoding
// to mostly printable text), hex (at least 16 digits, or \xNN escapes),
// URL percent-encoding, HTML entities (named and numeric) and text hidden
// in Unicode tag characters. Each decoded layer is folded the same way
// and decoded further. maxDepth 0 decodes nothing.
func Normalize(s string, maxDepth int) Normalized {
	text, pos := fold(s)
	n := Normalized{Text: text, pos: pos, n: len(s)}
	if maxDepth <= 0 {
		return n
	}
	e := expander{}
	for _, r := range tagRuns(s) {
		e.add(Layer{Encoding: encTags, Text: r.text, Start: r.start, End: r.end}, "")
	}
	hidden := len(e.layers)
	for i := range hidden {
		l := e.layers[i]
		e.expand(&l, maxDepth-1)
	}
	root := n.root()
	e.expand(&root, maxDepth)
	n.Layers = e.layers
	return n
}

// root returns the normalised original as a layer.
func (n *Normalized) root() Layer {
	return Layer{Text: n.Text, Start: 0, End: n.n, pos: n.pos, ident: n.pos == nil}
}

// orig maps offset i of l.Text (0 <= i <= len(l.Text)) to the original.
func (l *Layer) orig(i int) int {
	switch {
	case l.ident:
		return i
	case l.pos != nil:
		return int(l.pos[i])
	case i >= len(l.Text):
		return l.End
	default:
		return l.Start
	}
}

// span maps the range [a, b) of l.Text to the original text. The end is
// the end of the original character that produced byte b-1.
func (l *Layer) span(a, b int) (int, int) {
	switch {
	case l.ident:
		return a, b
	case l.pos == nil:
		return l.Start, l.End
	case b <= a:
		return l.orig(a), l.orig(a)
	}
	last := l.pos[b-1]
	j := b
	for j < len(l.Text) && l.pos[j] == last {
		j++
	}
	return l.orig(a), int(l.pos[j])
}

// layerMargin is how much unchanged text a URL/HTML layer keeps around
// its decoded characters, for detectors that need context.
const layerMargin = 128

// expander collects decoded layers.
type expander struct {
	layers []Layer
	seen   map[string]bool // layer texts already produced
}

// add appends l with its encoding chained after parent's, unless a layer
// with the same text exists.
func (e *expander) add(l Layer, parent string) {
	if e.seen[l.Text] {
		return
	}
	if e.seen == nil {
		e.seen = map[string]bool{}
	}
	e.seen[l.Text] = true
	if parent != "" {
		l.Encoding = parent + ">" + l.Encoding
	}
	e.layers = append(e.layers, l)
}

// expand decodes parent's text and, depth permitting, the new layers.
func (e *expander) expand(parent *Layer, depth int) {
	if depth <= 0 {
		return
	}
	first := len(e.layers)
	e.markup(parent)
	b64, hx := encodedRuns(parent.Text)
	for _, r := range b64 {
		e.fromRun(parent, encBase64, r)
	}
	for _, r := range hx {
		e.fromRun(parent, encHex, r)
	}
	last := len(e.layers)
	for i := first; i < last; i++ {
		l := e.layers[i]
		e.expand(&l, depth-1)
	}
}

// markup adds the layers that decoding URL escapes and HTML character
// references makes of parent's text: one per stretch around escapes, with
// layerMargin bytes of context either side. When parent maps bytes to
// the original, so do the new layers.
func (e *expander) markup(parent *Layer) {
	for _, w := range markupWindows(parent.Text) {
		dec, dpos := decodeEscapes(parent.Text[w.start:w.end])
		text, fpos := fold(dec)
		l := Layer{Encoding: markupEncoding(w.url, w.html), Text: text, Start: parent.Start, End: parent.End}
		if parent.ident || parent.pos != nil {
			l.pos = make([]int32, len(text)+1)
			for i := range l.pos {
				k := i
				if fpos != nil {
					k = int(fpos[i])
				}
				l.pos[i] = int32(parent.orig(w.start + int(dpos[k])))
			}
			l.Start, l.End = int(l.pos[0]), int(l.pos[len(text)])
		}
		e.add(l, parent.Encoding)
	}
}

// markupEncoding names a markup layer: "url", "html" or, when both kinds
// of escape were decoded in one pass, "url+html".
func markupEncoding(url, html bool) string {
	switch {
	case url && html:
		return encURL + "+" + encHTML
	case url:
		return encURL
	}
	return encHTML
}

// fromRun adds the layer decoded from one encoded run of parent's text.
func (e *expander) fromRun(parent *Layer, enc string, r run) {
	text, _ := fold(r.text)
	start, end := parent.span(r.start, r.end)
	e.add(Layer{Encoding: enc, Text: text, Start: start, End: end}, parent.Encoding)
}

// technique returns the evasion technique of an encoding chain: its
// outermost encoding.
func technique(chain string) string {
	enc, _, _ := strings.Cut(chain, ">")
	enc, _, _ = strings.Cut(enc, "+")
	switch enc {
	case encBase64:
		return EvasionBase64
	case encHex:
		return EvasionHex
	case encURL:
		return EvasionURL
	case encHTML:
		return EvasionHTML
	case encTags:
		return EvasionZeroWidth
	}
	return ""
}
