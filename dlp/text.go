package dlp

import (
	"math"
	"strings"
)

// span is a half-open byte range in the text a detector looked at.
type span struct{ start, end int }

// view is one text the detectors look at: a normalised layer and its
// ASCII-lowercased twin, which has the same byte offsets.
type view struct {
	s     string
	lower string

	toks   []span // runs of ASCII letters and digits, computed on first use (tokens)
	tokOK  bool
	kw     []hit // keyword occurrences, computed on first use (hits)
	kwDone bool
}

func newView(s string) *view { return &view{s: s, lower: asciiLower(s)} }

// tokens returns the runs of ASCII letters and digits of v, in order.
// Most detectors look at these candidates instead of every byte.
func (v *view) tokens() []span {
	if v.tokOK {
		return v.toks
	}
	v.tokOK = true
	s := v.s
	v.toks = make([]span, 0, len(s)/5+1)
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		v.toks = append(v.toks, span{i, j})
		i = j
	}
	return v.toks
}

// asciiLower lowercases ASCII letters only, so byte offsets are kept.
func asciiLower(s string) string {
	i := 0
	for i < len(s) && !isUpper(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for j := i; j < len(b); j++ {
		if isUpper(b[j]) {
			b[j] += 'a' - 'A'
		}
	}
	return string(b)
}

// Character classes of ASCII bytes, for the hot loops.
const (
	clDigit = 1 << iota
	clUpper
	clLower
	clHexLetter
	clB64Punct // + / - _
)

var classes = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] |= clDigit
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] |= clUpper
		t[c+'a'-'A'] |= clLower
	}
	for _, c := range "abcdefABCDEF" {
		t[c] |= clHexLetter
	}
	for _, c := range "+/-_" {
		t[c] |= clB64Punct
	}
	return t
}()

func isDigit(c byte) bool { return classes[c]&clDigit != 0 }
func isUpper(c byte) bool { return classes[c]&clUpper != 0 }
func isLower(c byte) bool { return classes[c]&clLower != 0 }
func isAlpha(c byte) bool { return classes[c]&(clUpper|clLower) != 0 }
func isAlnum(c byte) bool { return classes[c]&(clDigit|clUpper|clLower) != 0 }
func isHex(c byte) bool   { return classes[c]&(clDigit|clHexLetter) != 0 }
func isB64(c byte) bool   { return classes[c]&(clDigit|clUpper|clLower|clB64Punct) != 0 }

func upper(c byte) byte {
	if isLower(c) {
		return c - ('a' - 'A')
	}
	return c
}

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// boundaryBefore reports whether s[i] starts a word: it is the first byte
// or follows a byte that is not a letter or digit.
func boundaryBefore(s string, i int) bool { return i == 0 || !isAlnum(s[i-1]) }

// boundaryAfter reports whether s[:j] ends a word.
func boundaryAfter(s string, j int) bool { return j >= len(s) || !isAlnum(s[j]) }

// indexes calls fn with the start of every occurrence of sub in s that
// begins a word.
func indexes(s, sub string, fn func(i int)) {
	for at := 0; at < len(s); {
		i := strings.Index(s[at:], sub)
		if i < 0 {
			return
		}
		i += at
		if boundaryBefore(s, i) {
			fn(i)
		}
		at = i + 1
	}
}

// hasWord reports whether any of words occurs in s starting a word.
func hasWord(s string, words []string) bool {
	for _, w := range words {
		found := false
		indexes(s, w, func(int) { found = true })
		if found {
			return true
		}
	}
	return false
}

// around returns s[a-before : b+after], clamped to s.
func around(s string, a, b, before, after int) string {
	return s[max(0, a-before):min(len(s), b+after)]
}

// entropy returns the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}
