package dlp

import "strings"

// ssnContext are words that make a bare nine-digit number an SSN.
var ssnContext = []string{"ssn", "social security", "ss#", "ss no", "taxpayer id"}

// findSSNs finds US Social Security numbers written 123-45-6789 or
// 123 45 6789, or as nine bare digits after "SSN" or "social security".
// Numbers the SSA never issues are excluded: area 000, 666 and 900-999,
// group 00, serial 0000, and the two numbers known from advertising.
func findSSNs(v *view, out []span) []span {
	forNumbers(v, func(i int) int {
		g := readGroups(v.s, i, "- ")
		if g.nonNum || g.n > 3 {
			return g.end
		}
		d := g.digits()
		dashed := g.n == 3 && g.size[0] == 3 && g.size[1] == 2 && g.size[2] == 4
		bare := g.n == 1 && g.nd == 9 && hasWord(around(v.lower, i, i, 40, 0), ssnContext)
		if (dashed || bare) && validSSN(d) {
			out = append(out, span{i, g.end})
		}
		return g.end
	})
	return out
}

func validSSN(d []byte) bool {
	area, group, serial := atoi(d[:3]), atoi(d[3:5]), atoi(d[5:9])
	switch s := string(d); {
	case area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0:
		return false
	case s == "078051120" || s == "219099999":
		return false
	}
	return true
}

// ninoBadFirst and ninoBadSecond are the letters a UK National Insurance
// number never has in the first and second position; ninoBadPrefix the
// prefixes never issued.
const (
	ninoBadFirst  = "DFIQUV"
	ninoBadSecond = "DFIOQUV"
)

var ninoBadPrefix = []string{"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}

// findNINOs finds UK National Insurance numbers: two prefix letters, six
// digits (optionally in spaced pairs) and a suffix A-D, in either case.
func findNINOs(v *view, out []span) []span {
	s := v.s
	for _, t := range v.tokens() {
		i := t.start
		if i+9 > len(s) || !isAlpha(s[i]) || !isAlpha(s[i+1]) {
			continue
		}
		if !isDigit(s[i+2]) && (s[i+2] != ' ' || !isDigit(s[i+3])) {
			continue
		}
		if end, ok := ninoAt(s, i); ok {
			out = append(out, span{i, end})
		}
	}
	return out
}

// ninoAt reads a NINO at s[i].
func ninoAt(s string, i int) (int, bool) {
	p := string([]byte{upper(s[i]), upper(s[i+1])})
	if strings.IndexByte(ninoBadFirst, p[0]) >= 0 || strings.IndexByte(ninoBadSecond, p[1]) >= 0 {
		return 0, false
	}
	for _, bad := range ninoBadPrefix {
		if p == bad {
			return 0, false
		}
	}
	j := i + 2
	spaced := j < len(s) && s[j] == ' '
	for k := 0; k < 3; k++ {
		if spaced {
			if j >= len(s) || s[j] != ' ' {
				return 0, false
			}
			j++
		}
		if j+2 > len(s) || !isDigit(s[j]) || !isDigit(s[j+1]) {
			return 0, false
		}
		j += 2
	}
	if spaced && j < len(s) && s[j] == ' ' {
		j++
	}
	if j >= len(s) || !strings.ContainsRune("ABCDabcd", rune(s[j])) || !boundaryAfter(s, j+1) {
		return 0, false
	}
	return j + 1, true
}

// findINSEE finds French social security (INSEE) numbers: 15 digits,
// contiguous or grouped 1 23 45 67 890 123 45, with a plausible sex digit
// and month and a valid key (97 minus the first 13 digits modulo 97).
// Corsican department codes (2A, 2B) are not recognised.
func findINSEE(v *view, out []span) []span {
	forNumbers(v, func(i int) int {
		g := readGroups(v.s, i, " ")
		if g.nonNum || g.nd != 15 || (g.n != 1 && !inseeGroups(&g)) {
			return g.end
		}
		if validINSEE(g.digits()) {
			out = append(out, span{i, g.end})
		}
		return g.end
	})
	return out
}

func inseeGroups(g *numGroups) bool {
	want := [...]int{1, 2, 2, 2, 3, 3, 2}
	if g.n != len(want) {
		return false
	}
	for k, n := range want {
		if g.size[k] != n {
			return false
		}
	}
	return true
}

func validINSEE(d []byte) bool {
	if d[0] != '1' && d[0] != '2' {
		return false
	}
	if m := atoi(d[3:5]); m == 0 || (m > 12 && m < 20) || (m > 42 && m < 50) {
		return false
	}
	rem := 0
	for _, c := range d[:13] {
		rem = (rem*10 + int(c-'0')) % 97
	}
	return 97-rem == atoi(d[13:15])
}
