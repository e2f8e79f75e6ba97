package dlp

import (
	"encoding/base64"
	"strings"
)

// encodedRuns returns, in one pass over s, its base64 runs and its hex
// runs. A base64 run is at least minEncodedRun characters long counting
// padding, decodes as base64 (standard or URL alphabet, padded or not) to
// mostly printable text, and may continue over single line breaks after a
// multiple of four characters (MIME-style wrapping). A hex run is at
// least minEncodedRun hex digits, or \xNN escapes, decoding to mostly
// printable text.
func encodedRuns(s string) (b64, hx []run) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+3 < len(s) && s[i+1] == 'x' && isHex(s[i+2]) && isHex(s[i+3]):
			j := i
			for j+3 < len(s) && s[j] == '\\' && s[j+1] == 'x' && isHex(s[j+2]) && isHex(s[j+3]) {
				j += 4
			}
			if (j-i)/2 >= minEncodedRun {
				hx = appendEscapeRun(hx, s, i, j)
			}
			i = j
		case isB64(c):
			j, body := scanBase64(s, i)
			if j-i >= minEncodedRun {
				if text, ok := decodeBase64(body); ok {
					b64 = append(b64, run{start: i, end: j, text: text})
				}
				hx = appendHexRuns(hx, s, i, j)
			}
			i = j
		default:
			i++
		}
	}
	return b64, hx
}

// appendHexRuns appends the hex runs inside s[i:j].
func appendHexRuns(hx []run, s string, i, j int) []run {
	for k := i; k < j; {
		if !isHex(s[k]) {
			k++
			continue
		}
		e := k
		for e < j && isHex(s[e]) {
			e++
		}
		if e-k >= minEncodedRun {
			hx = appendHexRun(hx, s, k, e)
		}
		k = e
	}
	return hx
}

// scanBase64 returns the end of the base64 run starting at i and its
// characters without line breaks.
func scanBase64(s string, i int) (int, string) {
	var wrapped []byte
	seg, j := i, i
	for {
		for j < len(s) && isB64(s[j]) {
			j++
		}
		k := lineBreak(s, j)
		if k == j || (j-seg)%4 != 0 || j-seg < minEncodedRun || k >= len(s) || !isB64(s[k]) {
			break
		}
		wrapped = append(wrapped, s[seg:j]...)
		seg, j = k, k
	}
	end := j
	for p := 0; p < 2 && end < len(s) && s[end] == '='; p++ {
		end++
	}
	if wrapped == nil {
		return end, s[i:j]
	}
	return end, string(append(wrapped, s[seg:j]...))
}

// lineBreak returns the offset after a line break at s[j], or j.
func lineBreak(s string, j int) int {
	switch {
	case j < len(s) && s[j] == '\n':
		return j + 1
	case j+1 < len(s) && s[j] == '\r' && s[j+1] == '\n':
		return j + 2
	}
	return j
}

// decodeBase64 decodes an unpadded base64 body in whichever alphabet it
// uses, trying the four alignments when the first does not give printable
// text (the run may have picked up letters of a neighbouring word).
func decodeBase64(body string) (string, bool) {
	std := strings.ContainsAny(body, "+/")
	url := strings.ContainsAny(body, "-_")
	if std && url {
		return "", false
	}
	enc := base64.RawStdEncoding
	if url {
		enc = base64.RawURLEncoding
	}
	for skip := 0; skip < 4 && len(body)-skip >= minEncodedRun-2; skip++ {
		b := body[skip:]
		if len(b)%4 == 1 {
			b = b[:len(b)-1]
		}
		dec, err := enc.DecodeString(b)
		if err == nil && printable(dec) {
			return string(dec), true
		}
	}
	return "", false
}

// appendHexRun decodes s[i:j]; an odd run is tried without its last, then
// without its first digit.
func appendHexRun(runs []run, s string, i, j int) []run {
	tries := [][2]int{{i, j}}
	if (j-i)%2 == 1 {
		tries = [][2]int{{i, j - 1}, {i + 1, j}}
	}
	for _, t := range tries {
		b := make([]byte, 0, (t[1]-t[0])/2)
		for k := t[0]; k+1 < t[1]; k += 2 {
			b = append(b, unhex(s[k])<<4|unhex(s[k+1]))
		}
		if printable(b) {
			return append(runs, run{start: i, end: j, text: string(b)})
		}
	}
	return runs
}

// appendEscapeRun decodes a run of \xNN escapes s[i:j].
func appendEscapeRun(runs []run, s string, i, j int) []run {
	b := make([]byte, 0, (j-i)/4)
	for k := i; k < j; k += 4 {
		b = append(b, unhex(s[k+2])<<4|unhex(s[k+3]))
	}
	if !printable(b) {
		return runs
	}
	return append(runs, run{start: i, end: j, text: string(b)})
}
