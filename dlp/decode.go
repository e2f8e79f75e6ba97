package dlp

import (
	"html"
	"strings"
	"unicode/utf8"
)

// minEncodedRun is the shortest base64 or hex run worth decoding.
const minEncodedRun = 16

// run is one encoded run: its span in the text and the decoded text.
type run struct {
	start, end int
	text       string
}

// escapeAt returns the decoded text and the length of the %XX escape or
// HTML character reference at s[i], or n == 0.
func escapeAt(s string, i int) (string, int) {
	switch s[i] {
	case '%':
		if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			return byteStrings[unhex(s[i+1])<<4|unhex(s[i+2])], 3
		}
	case '&':
		return entityAt(s, i)
	}
	return "", 0
}

// byteStrings holds every byte value as a one-byte string.
var byteStrings = func() (t [256]string) {
	for i := range t {
		t[i] = string([]byte{byte(i)})
	}
	return t
}()

// nextEscape returns the offset of the first %XX escape or character
// reference in s at or after i, and its length, or -1.
func nextEscape(s string, i int) (int, int) {
	for i < len(s) {
		k := strings.IndexAny(s[i:], "%&")
		if k < 0 {
			return -1, 0
		}
		i += k
		if _, n := escapeAt(s, i); n > 0 {
			return i, n
		}
		i++
	}
	return -1, 0
}

// window is a stretch of text around escapes, and the kinds of escape in
// it.
type window struct {
	span
	url, html bool
}

// markupWindows returns the stretches of s around its URL escapes and
// HTML character references, layerMargin bytes either side, merged.
func markupWindows(s string) []window {
	var ws []window
	for i, n := nextEscape(s, 0); i >= 0; i, n = nextEscape(s, i+n) {
		a, b := max(0, i-layerMargin), min(len(s), i+n+layerMargin)
		if k := len(ws); k == 0 || a > ws[k-1].end {
			ws = append(ws, window{span: span{a, b}})
		}
		w := &ws[len(ws)-1]
		w.end = b
		w.url, w.html = w.url || s[i] == '%', w.html || s[i] == '&'
	}
	return ws
}

// decodeEscapes decodes the URL escapes and HTML character references of
// s. pos gives the offset in s of every byte of the result, plus len(s).
func decodeEscapes(s string) (string, []int32) {
	out := make([]byte, 0, len(s))
	pos := make([]int32, 0, len(s)+1)
	for i := 0; i < len(s); {
		j := len(s)
		if k := strings.IndexAny(s[i:], "%&"); k >= 0 {
			j = i + k
		}
		out = append(out, s[i:j]...)
		for p := i; p < j; p++ {
			pos = append(pos, int32(p))
		}
		if i = j; i == len(s) {
			break
		}
		dec, n := escapeAt(s, i)
		if n == 0 {
			dec, n = s[i:i+1], 1
		}
		for range len(dec) {
			pos = append(pos, int32(i))
		}
		out = append(out, dec...)
		i += n
	}
	return string(out), append(pos, int32(len(s)))
}

// hasEscape reports whether s holds a %XX escape (url) or a character
// reference (html).
func hasEscape(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			if _, n := escapeAt(s, i); n > 0 {
				return true
			}
		}
	}
	return false
}

// entityAt decodes the character reference at s[i] ('&'), returning the
// decoded text and the reference's length, or n == 0.
func entityAt(s string, i int) (string, int) {
	j := i + 1
	if j < len(s) && s[j] == '#' {
		return numericEntity(s, i)
	}
	for j < len(s) && j-i <= 32 && isAlnum(s[j]) {
		j++
	}
	if j == i+1 || j >= len(s) || s[j] != ';' {
		return "", 0
	}
	ref := s[i : j+1]
	dec := html.UnescapeString(ref)
	if dec == ref {
		return "", 0
	}
	return dec, len(ref)
}

// numericEntity decodes &#NNN; or &#xHH; at s[i].
func numericEntity(s string, i int) (string, int) {
	j, base := i+2, 10
	if j < len(s) && (s[j] == 'x' || s[j] == 'X') {
		j, base = j+1, 16
	}
	v, k := 0, j
	for k < len(s) && k-j < 7 && (isDigit(s[k]) || (base == 16 && isHex(s[k]))) {
		v = v*base + int(unhex(s[k]))
		k++
	}
	if k == j || v == 0 || v > utf8.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
		return "", 0
	}
	if k < len(s) && s[k] == ';' {
		k++
	}
	return string(rune(v)), k - i
}

// printable reports whether b is mostly printable text: valid UTF-8 with
// at least 90% of its runes printable or whitespace, and at least 4 bytes.
func printable(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	good, total := 0, 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		i += size
		total++
		switch {
		case r == utf8.RuneError && size == 1:
		case r == '\n' || r == '\r' || r == '\t':
			good++
		case r >= 0x20 && r < 0x7f, r >= 0xa0 && r != 0xfffd:
			good++
		}
	}
	return good*10 >= total*9
}

// tagRuns returns the runs of Unicode tag characters (U+E0000..U+E007F) in
// s, decoded to the ASCII text they hide.
func tagRuns(s string) []run {
	if strings.IndexByte(s, 0xF3) < 0 {
		return nil
	}
	var runs []run
	var cur []byte
	start := -1
	for i, r := range s {
		if r >= 0xE0000 && r <= 0xE007F {
			if start < 0 {
				start = i
			}
			if c := r - 0xE0000; c >= 0x20 && c < 0x7f {
				cur = append(cur, byte(c))
			}
			continue
		}
		if start >= 0 {
			runs = appendTagRun(runs, start, i, cur)
			start, cur = -1, cur[:0]
		}
	}
	if start >= 0 {
		runs = appendTagRun(runs, start, len(s), cur)
	}
	return runs
}

func appendTagRun(runs []run, start, end int, text []byte) []run {
	if len(text) == 0 {
		return runs
	}
	return append(runs, run{start: start, end: end, text: string(text)})
}
