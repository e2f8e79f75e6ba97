package dlp

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fold normalises s for the detectors: Unicode NFKC, look-alikes and
// diacritics folded to ASCII (foldTable), decimal digits of every script
// folded to ASCII digits, and zero-width, bidi and other invisible
// characters removed. Case is kept.
//
// pos is nil when the result is s itself (pure ASCII input). Otherwise it
// has one entry per byte of the result, the offset in s of the character
// that byte came from, plus a final entry len(s).
func fold(s string) (string, []int32) {
	if isASCII(s) {
		return s, nil
	}
	out := make([]byte, 0, len(s))
	pos := make([]int32, 0, len(s)+1)
	var seg []byte
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf && (i+1 == len(s) || s[i+1] < utf8.RuneSelf) {
			out = append(out, s[i])
			pos = append(pos, int32(i))
			i++
			continue
		}
		n := max(norm.NFKC.NextBoundaryInString(s[i:], true), 1)
		seg = norm.NFKC.AppendString(seg[:0], s[i:i+n])
		out, pos = appendFolded(out, pos, seg, int32(i))
		i += n
	}
	pos = append(pos, int32(len(s)))
	return string(out), pos
}

// appendFolded appends the folded runes of one NFKC segment that started
// at offset at of the input.
func appendFolded(out []byte, pos []int32, seg []byte, at int32) ([]byte, []int32) {
	for j := 0; j < len(seg); {
		r, size := utf8.DecodeRune(seg[j:])
		j += size
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, seg[j-1])
		case invisible(r):
			continue
		case r < utf8.RuneSelf:
			out = append(out, byte(r))
		default:
			c := foldRune(r)
			if c == 0 {
				n := len(out)
				out = utf8.AppendRune(out, r)
				for ; n < len(out)-1; n++ {
					pos = append(pos, at)
				}
			} else {
				out = append(out, c)
			}
		}
		pos = append(pos, at)
	}
	return out, pos
}

// foldRune returns the ASCII character r folds to, or 0.
func foldRune(r rune) byte {
	if c, ok := foldTable[r]; ok {
		return c
	}
	if unicode.Is(unicode.Nd, r) {
		return digitValue(r)
	}
	return 0
}

// digitValue returns the ASCII digit of a decimal digit rune: its distance
// from the zero of its block of ten.
func digitValue(r rune) byte {
	k := 0
	for k < 9 && unicode.Is(unicode.Nd, r-rune(k)-1) {
		k++
	}
	return byte('0' + k%10)
}

// invisible reports characters that render as nothing: zero-width spaces
// and joiners, bidi controls, the soft hyphen, word joiners and invisible
// operators, the BOM, Hangul fillers, variation selectors and tag
// characters.
func invisible(r rune) bool {
	switch {
	case r == 0xAD, r == 0x34F, r == 0x61C, r == 0x115F, r == 0x1160, r == 0x17B4, r == 0x17B5,
		r == 0x180E, r == 0x3164, r == 0xFEFF, r == 0xFFA0:
		return true
	case 0x200B <= r && r <= 0x200F, 0x202A <= r && r <= 0x202E, 0x2060 <= r && r <= 0x206F:
		return true
	case 0xFE00 <= r && r <= 0xFE0F, 0xE0000 <= r && r <= 0xE007F, 0xE0100 <= r && r <= 0xE01EF:
		return true
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
