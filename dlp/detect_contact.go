package dlp

import "strings"

// phoneContext are words that make a bare 10 or 11 digit number a phone
// number.
var phoneContext = []string{"phone", "tel", "telephone", "mobile", "cell", "call", "fax", "whatsapp", "sms", "contact number", "ring"}

// findEmails finds e-mail addresses: a local part of letters, digits and
// ._%+-' (not starting or ending with a dot), "@", and a domain of at
// least two labels whose last is two or more letters.
func findEmails(v *view, out []span) []span {
	s := v.s
	for at := 0; at < len(s); {
		k := strings.IndexByte(s[at:], '@')
		if k < 0 {
			break
		}
		i := at + k
		at = i + 1
		a := i
		for a > 0 && i-a < 64 && isLocalChar(s[a-1]) {
			a--
		}
		for a < i && s[a] == '.' {
			a++
		}
		if a == i || s[i-1] == '.' {
			continue
		}
		b := i + 1
		for b < len(s) && b-i <= 253 && (isAlnum(s[b]) || s[b] == '-' || s[b] == '.') {
			b++
		}
		for b > i+1 && (s[b-1] == '.' || s[b-1] == '-') {
			b--
		}
		if validDomain(s[i+1 : b]) {
			out = append(out, span{a, b})
		}
	}
	return out
}

func isLocalChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("._%+-'", c) >= 0
}

// validDomain checks a host name of two or more labels ending in an
// alphabetic top-level label.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !isAlpha(tld[i]) {
			return false
		}
	}
	return true
}

// phone is a candidate phone number read by readPhone.
type phone struct {
	plus   bool
	dots   bool // a dot separates groups
	mixed  bool // different separators between groups (parentheses aside)
	sep    byte // the first separator between groups
	groups [8]int
	n      int
	dig    [20]byte
	nd     int // digits read; only the first len(dig) are kept
}

func (p *phone) add(c byte) {
	if p.nd < len(p.dig) {
		p.dig[p.nd] = c
	}
	p.nd++
}

// findPhones finds phone numbers of at least 9 digits: E.164 ("+" and 9
// to 15 digits, separators allowed), US formats ((415) 555-0132,
// 415-555-0132, 415.555.0132, 1-800-555-0199), UK and continental
// national formats (a leading 0, 10 or 11 digits in groups: 020 7946
// 0958, 07700 900123, 01 23 45 67 89, dotted only in pairs), contiguous UK
// mobile numbers, and any 10 or 11 digit number after a word such as
// "phone" or "tel". US numbers use one separator throughout.
func findPhones(v *view, out []span) []span {
	s := v.s
	done := 0
	for _, t := range v.tokens() {
		i := t.start
		if i < done || !isDigit(s[i]) {
			continue
		}
		if i > 0 && (s[i-1] == '+' || s[i-1] == '(') {
			i--
		}
		if !phoneStart(s, i) {
			continue
		}
		p, end := readPhone(s, i)
		done = end
		if end > i && boundaryAfter(s, end) && p.valid(v.lower, i) {
			out = append(out, span{i, end})
		}
	}
	return out
}

// phoneStart reports whether a phone number may start at s[i]: it does
// not continue a word, a number, an amount or an identifier.
func phoneStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	p := s[i-1]
	if p == ':' && i >= 2 && isDigit(s[i-2]) {
		return false // a time of day
	}
	return !isAlnum(p) && strings.IndexByte(".-_/@$#%+,&=", p) < 0 && p < 0x80
}

// readPhone reads digit groups with single separators (space, dash, dot),
// an optional leading "+" and an optional parenthesised first group.
func readPhone(s string, i int) (phone, int) {
	var p phone
	j := i
	if s[j] == '+' {
		p.plus = true
		j++
	}
	end := j
	for j < len(s) && p.n < len(p.groups) {
		k, ok := p.group(s, j)
		if !ok {
			break
		}
		j, end = k, k
		paren := s[j-1] == ')'
		if j+1 < len(s) && (s[j] == ' ' || s[j] == '-' || s[j] == '.') && (isDigit(s[j+1]) || s[j+1] == '(') {
			p.noteSep(s[j], paren)
			j++
			continue
		}
		if j >= len(s) || (s[j] != '(' && !(paren && isDigit(s[j]))) {
			break
		}
	}
	return p, end
}

// group reads one digit group at s[j], optionally in parentheses, and
// returns the offset after it.
func (p *phone) group(s string, j int) (int, bool) {
	open := s[j] == '('
	g := j
	if open {
		g++
	}
	e := g
	for e < len(s) && isDigit(s[e]) {
		e++
	}
	if e == g || (open && (e >= len(s) || s[e] != ')')) {
		return 0, false
	}
	for k := g; k < e; k++ {
		p.add(s[k])
	}
	p.groups[p.n] = e - g
	p.n++
	if open {
		e++
	}
	return e, true
}

// noteSep records a separator between groups; the one after a closing
// parenthesis does not count towards mixing.
func (p *phone) noteSep(c byte, afterParen bool) {
	p.dots = p.dots || c == '.'
	if !afterParen {
		p.mixed = p.mixed || (p.sep != 0 && p.sep != c)
		p.sep = c
	}
}

// valid applies the format rules of findPhones.
func (p *phone) valid(lower string, at int) bool {
	d := p.nd
	if d < 9 || d > 17 {
		return false
	}
	digits := p.dig[:d]
	switch {
	case p.plus:
		return d <= 15 && digits[0] != '0'
	case p.n >= 3 && p.usGroups() && !p.mixed:
		return digits[d-10] >= '2' && digits[d-7] >= '2'
	case digits[0] == '0' && p.n >= 2:
		return (d == 10 || d == 11) && digits[1] != '0' && p.minGroup() >= 2 && (!p.dots || p.maxGroup() == 2)
	case p.n == 1 && (d == 10 || d == 11):
		return p.mobile() || hasWord(around(lower, at, at, 40, 0), phoneContext)
	}
	return false
}

// usGroups reports the 3-3-4 grouping, optionally after a leading 1.
func (p *phone) usGroups() bool {
	g := p.groups[:p.n]
	if len(g) == 4 && g[0] == 1 && p.dig[0] == '1' {
		g = g[1:]
	}
	return len(g) == 3 && g[0] == 3 && g[1] == 3 && g[2] == 4
}

// mobile reports contiguous UK mobile numbers (07 and 9 digits).
func (p *phone) mobile() bool {
	return p.nd == 11 && p.dig[0] == '0' && p.dig[1] == '7'
}

func (p *phone) maxGroup() int {
	m := 0
	for _, g := range p.groups[:p.n] {
		m = max(m, g)
	}
	return m
}

func (p *phone) minGroup() int {
	m := 99
	for _, g := range p.groups[:p.n] {
		m = min(m, g)
	}
	return m
}
