package dlp

import "strings"

// findCards finds payment card numbers: 13 to 19 digits, contiguous or in
// up to five groups (the first of at least four digits) separated by
// single spaces or dashes, with a known issuer prefix for their length and
// a valid Luhn check digit. Numbers in a list ("4111... 5500...") are
// each found. Signed numbers are skipped, and contiguous numbers of more
// than 16 digits need a word such as "card" or "visa" in the 40 bytes
// before them.
func findCards(v *view, out []span) []span {
	toks := v.tokens()
	for k := 0; k < len(toks); k++ {
		i := toks[k].start
		if !isDigit(v.s[i]) || !numberStart(v.s, i) || (i > 0 && (v.s[i-1] == '-' || v.s[i-1] == '+')) {
			continue
		}
		if end, next, ok := cardAt(v, toks, k); ok {
			out = append(out, span{i, end})
			k = next - 1
		}
	}
	return out
}

// cardAt returns the first card number made of the tokens k, k+1, ...
// joined by one separator, the same throughout, and the index of the
// token after it.
func cardAt(v *view, toks []span, k int) (end, next int, ok bool) {
	s := v.s
	var d [19]byte
	nd, sep := 0, byte(0)
	for j := k; j < len(toks) && j-k < 5; j++ {
		t := toks[j]
		if j > k {
			c := s[t.start-1]
			if t.start != toks[j-1].end+1 || (c != ' ' && c != '-') || (sep != 0 && c != sep) || toks[k].end-toks[k].start < 4 {
				return 0, 0, false
			}
			sep = c
		}
		if !allDigits(s[t.start:t.end]) || nd+t.end-t.start > len(d) {
			return 0, 0, false
		}
		nd += copy(d[nd:], s[t.start:t.end])
		if nd >= 13 && isCard(v, d[:nd], j == k, toks[k].start) && !decimalAfter(s, t.end) {
			return t.end, j + 1, true
		}
	}
	return 0, 0, false
}

// isCard checks issuer prefix and Luhn digit; long contiguous numbers also
// need card context.
func isCard(v *view, d []byte, contiguous bool, at int) bool {
	if contiguous && len(d) > 16 && !hasWord(around(v.lower, at, at, 40, 0), cardContext) {
		return false // long bare integers are usually not cards
	}
	return knownIIN(d) && luhn(d)
}

// cardContext are words that make a bare 17 to 19 digit number a card
// number.
var cardContext = []string{"card", "visa", "mastercard", "maestro", "unionpay", "pan", "credit", "debit"}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// decimalAfter reports a decimal part continuing a number ending at j.
func decimalAfter(s string, j int) bool {
	return j+1 < len(s) && (s[j] == '.' || s[j] == ',') && isDigit(s[j+1])
}

// luhn reports whether d passes the Luhn (mod 10) check.
func luhn(d []byte) bool {
	sum := 0
	for k := range d {
		n := int(d[len(d)-1-k] - '0')
		if k%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// knownIIN reports whether d starts with the issuer prefix of a card
// scheme that issues numbers of its length: Visa, Mastercard, American
// Express, Discover, JCB, Diners Club, UnionPay and Maestro.
func knownIIN(d []byte) bool {
	n := len(d)
	p2, p3, p4 := atoi(d[:2]), atoi(d[:3]), atoi(d[:4])
	switch {
	case d[0] == '4':
		return n == 13 || n == 16 || n == 19
	case (p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720):
		return n == 16
	case p2 == 34 || p2 == 37:
		return n == 15
	case p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65:
		return n >= 16
	case p4 >= 3528 && p4 <= 3589:
		return n >= 16
	case (p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39:
		return n >= 14
	case p2 == 62:
		return n >= 16
	case p2 == 50 || (p2 >= 56 && p2 <= 69):
		return n >= 13
	}
	return false
}

// ibanLengths gives the IBAN length of every country in the SWIFT IBAN
// registry.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
	"BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
	"DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
	"GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
	"IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
	"LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
	"MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
	"PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
	"SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
	"TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// findIBANs finds IBANs: a country code, two check digits and the
// country's BBAN length of letters and digits, contiguous or in groups
// separated by single spaces, passing the ISO 7064 mod-97 check.
func findIBANs(v *view, out []span) []span {
	s := v.s
	for _, t := range v.tokens() {
		i := t.start
		if i+15 > len(s) || !isAlpha(s[i]) || !isAlpha(s[i+1]) || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
			continue
		}
		cc := [2]byte{upper(s[i]), upper(s[i+1])}
		n, ok := ibanLengths[string(cc[:])]
		if !ok {
			continue
		}
		if chars, end, ok := readIBAN(s, i, n); ok && mod97(chars) == 1 {
			out = append(out, span{i, end})
		}
	}
	return out
}

// readIBAN collects n letters and digits from s[i], skipping single
// spaces between them, and checks that the IBAN ends there.
func readIBAN(s string, i, n int) ([]byte, int, bool) {
	chars := make([]byte, 0, n)
	j := i
	for j < len(s) && len(chars) < n {
		switch {
		case isAlnum(s[j]):
			chars = append(chars, upper(s[j]))
			j++
		case s[j] == ' ' && j+1 < len(s) && isAlnum(s[j+1]) && len(chars) >= 4:
			j++
		default:
			return nil, 0, false
		}
	}
	if len(chars) < n || !boundaryAfter(s, j) {
		return nil, 0, false
	}
	return chars, j, true
}

// mod97 computes the IBAN check: the first four characters moved to the
// end, letters as 10..35, the whole read as a number modulo 97.
func mod97(iban []byte) int {
	rem := 0
	for _, c := range append(append([]byte{}, iban[4:]...), iban[:4]...) {
		if isDigit(c) {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			rem = (rem*100 + int(c-'A'+10)) % 97
		}
	}
	return rem
}

// accountWords precede account numbers, routingWords routing numbers and
// sort codes, moneyWords amounts of personal finances.
var (
	accountWords = newKeywords("account number", "account no", "acct", "account #", "a/c", "bank account")
	routingWords = newKeywords("routing number", "routing no", "routing #", "aba", "sort code", "routing")
	moneyWords   = newKeywords("balance", "salary", "salaries", "income", "wage", "wages", "net worth", "earnings", "payslip", "overdraft")
)

// findFinancial finds personal financial data by context: an account
// number (6 to 17 digits) right after "account number" or similar (only
// separators and a word such as "is" or "no" between them), an ABA routing number (9 digits, valid checksum) or UK sort
// code (12-34-56) after "routing number" or "sort code", and an amount
// with a currency within 40 bytes after "balance", "salary" or "income".
func findFinancial(v *view, out []span) []span {
	accountWords.each(v, func(i int, w string) { out = appendNumberAfter(out, v, i+len(w), 24, accountNumber) })
	routingWords.each(v, func(i int, w string) { out = appendNumberAfter(out, v, i+len(w), 24, routingNumber) })
	moneyWords.each(v, func(i int, w string) {
		if boundaryAfter(v.lower, i+len(w)) {
			out = appendAmountAfter(out, v, i+len(w), 40)
		}
	})
	return out
}

// appendNumberAfter appends the first number within limit bytes after at
// that ok accepts.
func appendNumberAfter(out []span, v *view, at, limit int, ok func(g *numGroups) bool) []span {
	if at < len(v.s) && isAlnum(v.s[at]) {
		return out
	}
	i := gapEnd(v.lower, at, min(len(v.s), at+limit))
	if i >= len(v.s) || !isDigit(v.s[i]) || !numberStart(v.s, i) {
		return out
	}
	if g := readGroups(v.s, i, "- "); !g.nonNum && ok(&g) {
		out = append(out, span{i, g.end})
	}
	return out
}

// gapWords may stand between a financial keyword and its number.
var gapWords = []string{"is", "no", "nr", "num", "number", "of"}

// gapEnd skips, from at up to limit, separators (spaces, ":#.=-") and
// at most one of gapWords: "account number: 123", "acct no. 123".
func gapEnd(lower string, at, limit int) int {
	i := skipAny(lower, at, " \t:#.=-")
	if j := runEnd(lower, i, isLower); j > i && j < limit {
		for _, w := range gapWords {
			if lower[i:j] == w {
				i = skipAny(lower, j, " \t:#.=-")
				break
			}
		}
	}
	return min(i, limit)
}

func accountNumber(g *numGroups) bool { return g.nd >= 6 && g.nd <= 17 && g.n <= 3 }

func routingNumber(g *numGroups) bool {
	d := g.digits()
	if g.nd == 6 && g.n == 3 && g.sep == '-' {
		return true
	}
	if g.nd != 9 || g.n != 1 {
		return false
	}
	w := [3]int{3, 7, 1}
	sum := 0
	for k, c := range d {
		sum += w[k%3] * int(c-'0')
	}
	return sum%10 == 0
}

// currency marks that make a number an amount.
var currencies = []string{"$", "£", "€", "¥", "usd", "gbp", "eur", "chf", "jpy", "cad", "aud"}

// appendAmountAfter appends an amount (currency mark next to a number of
// three or more digits) within limit bytes after at.
func appendAmountAfter(out []span, v *view, at, limit int) []span {
	win := v.lower[at:min(len(v.lower), at+limit)]
	for k := 0; k < len(win); k++ {
		for _, c := range currencies {
			if !strings.HasPrefix(win[k:], c) {
				continue
			}
			if a, b, ok := amountAround(v.lower, at+k, at+k+len(c)); ok {
				return append(out, span{a, b})
			}
		}
	}
	return out
}

// amountAround finds a number of at least three digits right after or
// right before the currency mark at [a, b).
func amountAround(s string, a, b int) (int, int, bool) {
	j := b
	for j < len(s) && s[j] == ' ' {
		j++
	}
	if e := amountEnd(s, j); e-j >= 3 {
		return a, e, true
	}
	i := a
	for i > 0 && s[i-1] == ' ' {
		i--
	}
	k := i
	for k > 0 && (isDigit(s[k-1]) || s[k-1] == ',' || s[k-1] == '.') {
		k--
	}
	if i-k >= 3 && isDigit(s[k]) {
		return k, b, true
	}
	return 0, 0, false
}

// amountEnd returns the end of digits with thousands separators and
// decimals starting at s[j].
func amountEnd(s string, j int) int {
	e := j
	for e < len(s) && (isDigit(s[e]) || ((s[e] == ',' || s[e] == '.') && e+1 < len(s) && isDigit(s[e+1]))) {
		e++
	}
	if e > j && !isDigit(s[j]) {
		return j
	}
	return e
}
