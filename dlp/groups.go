package dlp

// maxGroups bounds the digit groups readGroups records.
const maxGroups = 8

// numGroups is a number written as digit groups separated by one
// separator character, the same one throughout ("4111 1111 1111 1111",
// "123-45-6789").
type numGroups struct {
	size   [maxGroups]int
	n      int // groups read; more than maxGroups means the number is too long to be one we want
	sep    byte
	dig    [24]byte
	nd     int
	end    int
	nonNum bool // the number continues with a letter, digit or separated digit group
}

func (g *numGroups) digits() []byte { return g.dig[:min(g.nd, len(g.dig))] }

// readGroups reads the number starting with the digit at s[i]. seps are
// the separators allowed between groups.
func readGroups(s string, i int, seps string) numGroups {
	var g numGroups
	j := i
	for {
		start := j
		for j < len(s) && isDigit(s[j]) {
			if g.nd < len(g.dig) {
				g.dig[g.nd] = s[j]
			}
			g.nd++
			j++
		}
		if g.n < maxGroups {
			g.size[g.n] = j - start
		}
		g.n++
		g.end = j
		if j+1 >= len(s) || !isDigit(s[j+1]) || !sepOK(s[j], g.sep, seps) {
			break
		}
		g.sep = s[j]
		j++
	}
	g.nonNum = !boundaryAfter(s, g.end) || (g.end+1 < len(s) && (s[g.end] == '-' || s[g.end] == '.') && isDigit(s[g.end+1]))
	return g
}

// sepOK reports whether c may separate groups given the separator seen so
// far (0 for none).
func sepOK(c, seen byte, seps string) bool {
	for k := 0; k < len(seps); k++ {
		if seps[k] == c {
			return seen == 0 || seen == c
		}
	}
	return false
}

// numberStart reports whether a number may start at s[i]: it does not
// continue a word, a decimal, an identifier or another number.
func numberStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	p := s[i-1]
	if isAlnum(p) || p == '_' || p == '/' || p == '+' {
		return false
	}
	if (p == '-' || p == '.' || p == ',') && i >= 2 && isAlnum(s[i-2]) {
		return false
	}
	return true
}

// forNumbers calls fn for every number start in v, skipping the numbers
// fn consumed (fn returns the end of what it read).
func forNumbers(v *view, fn func(i int) int) {
	done := 0
	for _, t := range v.tokens() {
		if t.start < done || !isDigit(v.s[t.start]) || !numberStart(v.s, t.start) {
			continue
		}
		done = fn(t.start)
	}
}

func atoi(d []byte) int {
	n := 0
	for _, c := range d {
		n = n*10 + int(c-'0')
	}
	return n
}
