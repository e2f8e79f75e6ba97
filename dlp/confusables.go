package dlp

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// confusables maps look-alike characters to the ASCII letter a reader
// takes them for. NFKC runs first and already folds fullwidth forms
// (U+FF01..U+FF5E), mathematical alphanumerics (U+1D400..U+1D7FF),
// ligatures, circled and super/subscript letters and digits, so the table
// only lists what NFKC keeps: Cyrillic and Greek letters that look Latin,
// Latin small capitals, and a few Latin and Armenian letters that pass for
// others. Case follows appearance: Cyrillic "А" folds to "A", "а" to "a".
//
// The table is data on purpose: add a row, not code, when a new
// look-alike shows up. Latin letters with diacritics ("é", "ï") are folded
// to their base letter by foldTable's construction, not listed here.
var confusables = map[rune]byte{
	// Cyrillic capitals.
	'А': 'A', 'В': 'B', 'С': 'C', 'Е': 'E', 'Н': 'H', 'І': 'I', 'Ј': 'J',
	'К': 'K', 'М': 'M', 'О': 'O', 'Р': 'P', 'Ѕ': 'S', 'Т': 'T', 'Х': 'X',
	'Ү': 'Y', 'Ԁ': 'D', 'Ԛ': 'Q', 'Ԝ': 'W', 'Ӏ': 'I',
	// Cyrillic small letters.
	'а': 'a', 'с': 'c', 'е': 'e', 'һ': 'h', 'і': 'i', 'ј': 'j', 'о': 'o',
	'р': 'p', 'ѕ': 's', 'х': 'x', 'у': 'y', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w',
	'ӏ': 'l', 'ү': 'y', 'ɡ': 'g',
	// Greek capitals.
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K',
	'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
	// Greek small letters.
	'α': 'a', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't',
	'υ': 'u', 'χ': 'x', 'ϲ': 'c', 'ϳ': 'j',
	// Latin small capitals and other Latin look-alikes.
	'ᴀ': 'a', 'ʙ': 'b', 'ᴄ': 'c', 'ᴅ': 'd', 'ᴇ': 'e', 'ɢ': 'g', 'ʜ': 'h',
	'ɪ': 'i', 'ᴊ': 'j', 'ᴋ': 'k', 'ʟ': 'l', 'ᴍ': 'm', 'ɴ': 'n', 'ᴏ': 'o',
	'ᴘ': 'p', 'ʀ': 'r', 'ꜱ': 's', 'ᴛ': 't', 'ᴜ': 'u', 'ᴠ': 'v', 'ᴡ': 'w',
	'ʏ': 'y', 'ᴢ': 'z', 'ı': 'i', 'ȷ': 'j', 'ƅ': 'b', 'ǀ': 'l',
	// Armenian.
	'օ': 'o', 'ս': 'u', 'հ': 'h', 'ո': 'n',
	// Punctuation: typographic quotes and dashes.
	'‘': '\'', '’': '\'', 'ʼ': '\'', '“': '"', '”': '"',
	'‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '−': '-',
}

// foldTable is confusables plus every precomposed Latin letter whose
// canonical decomposition is an ASCII letter followed by combining marks
// ("é" -> "e").
var foldTable = buildFoldTable()

func buildFoldTable() map[rune]byte {
	t := make(map[rune]byte, len(confusables)+600)
	for r, c := range confusables {
		t[r] = c
	}
	for _, rng := range [][2]rune{{0xC0, 0x24F}, {0x1E00, 0x1EFF}} {
		for r := rng[0]; r <= rng[1]; r++ {
			if c, ok := baseLetter(r); ok {
				t[r] = c
			}
		}
	}
	return t
}

// baseLetter returns the ASCII base letter of r when r decomposes to one
// followed only by combining marks.
func baseLetter(r rune) (byte, bool) {
	d := norm.NFD.String(string(r))
	if len(d) < 2 || !isAlpha(d[0]) {
		return 0, false
	}
	for _, m := range d[1:] {
		if !unicode.Is(unicode.Mn, m) {
			return 0, false
		}
	}
	return d[0], true
}
