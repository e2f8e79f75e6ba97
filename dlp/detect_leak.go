package dlp

import "strings"

// canaries finds canary tokens. Every canary is matched ignoring case;
// one with at least minCanaryAlnum letters and digits is also matched on
// its letters and digits alone, with up to maxCanaryGap other characters
// between them, so separators, spaces or invisible characters put
// between its characters do not hide it.
type canaries struct {
	exact    []string
	squeezed []string
}

func newCanaries(list []string) *canaries {
	c := &canaries{}
	for _, k := range list {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		folded, _ := fold(k)
		c.exact = append(c.exact, asciiLower(folded))
		if sq := squeezeKey(k); len(sq) >= minCanaryAlnum {
			c.squeezed = append(c.squeezed, sq)
		}
	}
	return c
}

// squeezeKey returns the folded, lowercased letters and digits of k.
func squeezeKey(k string) string {
	folded, _ := fold(k)
	lower := asciiLower(folded)
	b := make([]byte, 0, len(lower))
	for i := 0; i < len(lower); i++ {
		if isAlnum(lower[i]) {
			b = append(b, lower[i])
		}
	}
	return string(b)
}

// maxCanaryGap is how many other characters may separate two letters or
// digits of a canary in a squeezed match.
const maxCanaryGap = 8

func (c *canaries) find(v *view, out []span) []span {
	for _, k := range c.exact {
		out = appendAll(out, v.lower, k)
	}
	for _, k := range c.squeezed {
		for at := 0; at < len(v.lower); {
			i := strings.IndexByte(v.lower[at:], k[0])
			if i < 0 {
				break
			}
			i += at
			at = i + 1
			if end, ok := squeezedAt(v.lower, i, k); ok {
				out = append(out, span{i, end})
				at = end
			}
		}
	}
	return out
}

// squeezedAt matches k at s[i], allowing up to maxCanaryGap characters
// other than letters and digits before each of its characters but the
// first.
func squeezedAt(s string, i int, k string) (int, bool) {
	j := i
	for m := 0; m < len(k); m++ {
		for gap := 0; j < len(s) && !isAlnum(s[j]); gap++ {
			if gap == maxCanaryGap || m == 0 {
				return 0, false
			}
			j++
		}
		if j >= len(s) || s[j] != k[m] {
			return 0, false
		}
		j++
	}
	return j, true
}

// appendAll appends every occurrence of k in s.
func appendAll(out []span, s, k string) []span {
	for at := 0; at < len(s); {
		i := strings.Index(s[at:], k)
		if i < 0 {
			break
		}
		i += at
		at = i + len(k)
		out = append(out, span{i, i + len(k)})
	}
	return out
}

// minPromptWords is the fewest words a prompt shorter than the fragment
// length must have to be matched whole.
const minPromptWords = 4

// prompts finds fragments of system prompts: any run of n consecutive
// words of a prompt, or a whole prompt of minPromptWords to n-1 words,
// compared on lowercased letters and digits.
type prompts struct {
	n       int
	shingle map[uint64]bool
	short   map[uint64]int // hashes of whole prompts shorter than n words, by word count
}

func newPrompts(list []string, n int) *prompts {
	p := &prompts{n: n, shingle: map[uint64]bool{}, short: map[uint64]int{}}
	for _, text := range list {
		folded, _ := fold(text)
		lower := asciiLower(folded)
		ws := words(lower)
		if len(ws) < n {
			if len(ws) >= minPromptWords {
				p.short[hashWords(lower, ws)] = len(ws)
			}
			continue
		}
		for i := 0; i+n <= len(ws); i++ {
			p.shingle[hashWords(lower, ws[i:i+n])] = true
		}
	}
	return p
}

// words returns the spans of the runs of letters and digits of s.
func words(s string) []span {
	var ws []span
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		j := runEnd(s, i, isAlnum)
		ws = append(ws, span{i, j})
		i = j
	}
	return ws
}

// hashWords returns the FNV-1a hash of the words ws of s, each followed by
// a space.
func hashWords(s string, ws []span) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, w := range ws {
		for i := w.start; i < w.end; i++ {
			h = (h ^ uint64(s[i])) * prime
		}
		h = (h ^ ' ') * prime
	}
	return h
}

func (p *prompts) find(v *view, out []span) []span {
	ws := v.tokens()
	for i := 0; i+p.n <= len(ws); i++ {
		if p.shingle[hashWords(v.lower, ws[i:i+p.n])] {
			out = append(out, span{ws[i].start, ws[i+p.n-1].end})
		}
	}
	for h, n := range p.short {
		for i := 0; i+n <= len(ws); i++ {
			if hashWords(v.lower, ws[i:i+n]) == h {
				out = append(out, span{ws[i].start, ws[i+n-1].end})
			}
		}
	}
	return out
}
