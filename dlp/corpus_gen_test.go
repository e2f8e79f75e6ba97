package dlp

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

// gen draws the deterministic random values of the corpus.
type gen struct{ r *rand.Rand }

func newGen() *gen { return &gen{r: rand.New(rand.NewPCG(2026, 93))} }

const (
	upperChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lowerChars = "abcdefghijklmnopqrstuvwxyz"
	digitChars = "0123456789"
	alnumChars = upperChars + lowerChars + digitChars
)

func (g *gen) from(set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[g.r.IntN(len(set))]
	}
	return string(b)
}

func (g *gen) digits(n int) string { return g.from(digitChars, n) }

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) name() string {
	first := g.pick("Alice", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Keiko", "Liam")
	last := g.pick("Moreau", "Schmidt", "Okafor", "Rossi", "Nakamura", "Lindqvist", "Garcia", "Novak", "Byrne", "Haddad")
	return first + " " + last
}

// item is one sensitive payload in its message: text = prefix + payload +
// suffix. The evasion techniques transform only the payload.
type item struct {
	id       string
	prefix   string
	payload  string
	suffix   string
	expect   []string
	evasions bool // the item is also used under every evasion technique
}

func (it item) text() string { return it.prefix + it.payload + it.suffix }

// piiItems returns the personal, financial and health data messages (the
// DP-T2.1 set: at least 50).
func piiItems(g *gen) []item {
	var items []item
	add := func(kind string, n int, f func(i int) item) {
		for i := range n {
			it := f(i)
			it.id = fmt.Sprintf("%s-%02d", kind, i)
			it.evasions = i < 2
			items = append(items, it)
		}
	}
	add("email", 8, func(int) item {
		n := g.name()
		email := strings.ToLower(strings.ReplaceAll(n, " ", ".")) + "@" + g.pick("example.com", "example.org", "mail.example.net", "claims.example.co.uk")
		return item{prefix: "Claimant " + n + " can be reached at ", payload: email, suffix: " for the adjuster's questions.", expect: []string{"email"}}
	})
	add("phone", 8, func(i int) item {
		return item{prefix: "Callback requested on ", payload: phoneNumber(g, i), suffix: " after 5pm.", expect: []string{"phone"}}
	})
	add("ssn", 7, func(i int) item {
		ssn := ssnNumber(g)
		if i%3 == 2 {
			return item{prefix: "Policy holder verified, ", payload: "SSN " + strings.ReplaceAll(ssn, "-", ""), suffix: " on file.", expect: []string{"national_id.us_ssn"}}
		}
		return item{prefix: "Tax form lists social security number ", payload: ssn, suffix: " for the claimant.", expect: []string{"national_id.us_ssn"}}
	})
	add("nino", 5, func(i int) item {
		return item{prefix: "National Insurance: ", payload: ninoNumber(g, i%2 == 0), suffix: " (employer copy).", expect: []string{"national_id.uk_nino"}}
	})
	add("insee", 3, func(i int) item {
		return item{prefix: "Numero de securite sociale ", payload: inseeNumber(g, i%2 == 0), suffix: " joint au dossier.", expect: []string{"national_id.fr_insee"}}
	})
	add("card", 8, func(i int) item {
		return item{prefix: "Refund to card ", payload: cardNumber(g, i), suffix: ", expiry 09/27.", expect: []string{"card"}}
	})
	add("iban", 6, func(i int) item {
		return item{prefix: "Settlement will be paid to IBAN ", payload: ibanNumber(g, i), suffix: " within five days.", expect: []string{"iban"}}
	})
	add("health", 6, func(i int) item { return healthItem(g, i) })
	add("financial", 6, func(i int) item { return financialItem(g, i) })
	return items
}

func phoneNumber(g *gen, i int) string {
	switch i % 8 {
	case 0:
		return "+44 20 " + g.digits(4) + " " + g.digits(4)
	case 1:
		return "+1 (" + g.pick("415", "212", "617") + ") 555-" + g.digits(4)
	case 2:
		return "(" + g.pick("303", "512", "702") + ") 555-" + g.digits(4)
	case 3:
		return g.pick("415", "646") + "-555-" + g.digits(4)
	case 4:
		return "07700 " + g.digits(6)
	case 5:
		return "+33 6 " + g.digits(2) + " " + g.digits(2) + " " + g.digits(2) + " " + g.digits(2)
	case 6:
		return "020 7946 " + g.digits(4)
	default:
		return "+49 30 " + g.digits(8)
	}
}

func ssnNumber(g *gen) string {
	area := 1 + g.r.IntN(898)
	if area == 666 {
		area = 667
	}
	return fmt.Sprintf("%03d-%02d-%04d", area, 1+g.r.IntN(99), 1+g.r.IntN(9999))
}

func ninoNumber(g *gen, spaced bool) string {
	p := g.from("ABCEGHJKLMPRSWXY", 1) + g.from("ABCEGHJLMPRSWXY", 1)
	d := g.digits(6)
	s := g.from("ABCD", 1)
	if spaced {
		return p + " " + d[:2] + " " + d[2:4] + " " + d[4:] + " " + s
	}
	return p + d + s
}

func inseeNumber(g *gen, spaced bool) string {
	body := g.pick("1", "2") + g.digits(2) + fmt.Sprintf("%02d", 1+g.r.IntN(12)) + fmt.Sprintf("%02d", 21+g.r.IntN(70)) + g.digits(6)
	rem := 0
	for _, c := range body {
		rem = (rem*10 + int(c-'0')) % 97
	}
	n := body + fmt.Sprintf("%02d", 97-rem)
	if !spaced {
		return n
	}
	return n[:1] + " " + n[1:3] + " " + n[3:5] + " " + n[5:7] + " " + n[7:10] + " " + n[10:13] + " " + n[13:]
}

// cardNumber returns a Luhn-valid number of a real scheme, formatted in
// the scheme's usual grouping, with dashes, or contiguous.
func cardNumber(g *gen, i int) string {
	schemes := []struct {
		prefix string
		n      int
		groups []int
	}{
		{"4", 16, []int{4, 4, 4, 4}}, {"5" + g.pick("1", "3", "5"), 16, []int{4, 4, 4, 4}},
		{"37", 15, []int{4, 6, 5}}, {"6011", 16, []int{4, 4, 4, 4}},
		{"35" + g.pick("28", "40", "89"), 16, []int{4, 4, 4, 4}}, {"2" + g.pick("221", "500", "720"), 16, []int{4, 4, 4, 4}},
		{"36", 14, []int{4, 6, 4}}, {"62", 16, []int{4, 4, 4, 4}},
	}
	sc := schemes[i%len(schemes)]
	d := sc.prefix + g.digits(sc.n-len(sc.prefix)-1)
	d += luhnDigit(d)
	switch i % 3 {
	case 0:
		return groupDigits(d, sc.groups, " ")
	case 1:
		return groupDigits(d, sc.groups, "-")
	}
	return d
}

func luhnDigit(d string) string {
	for c := '0'; c <= '9'; c++ {
		if luhn([]byte(d + string(c))) {
			return string(c)
		}
	}
	return ""
}

func groupDigits(d string, groups []int, sep string) string {
	var parts []string
	for _, n := range groups {
		parts = append(parts, d[:n])
		d = d[n:]
	}
	return strings.Join(parts, sep)
}

// ibanNumber returns a valid IBAN of one of six countries, grouped by
// four or contiguous.
func ibanNumber(g *gen, i int) string {
	var cc, bban string
	switch i % 6 {
	case 0:
		cc, bban = "GB", g.from(upperChars, 4)+g.digits(14)
	case 1:
		cc, bban = "DE", g.digits(18)
	case 2:
		cc, bban = "FR", g.digits(10)+g.from(upperChars+digitChars, 11)+g.digits(2)
	case 3:
		cc, bban = "ES", g.digits(20)
	case 4:
		cc, bban = "NL", g.from(upperChars, 4)+g.digits(10)
	default:
		cc, bban = "IT", g.from(upperChars, 1)+g.digits(10)+g.from(upperChars+digitChars, 12)
	}
	check := 98 - mod97([]byte(cc+"00"+bban))
	iban := fmt.Sprintf("%s%02d%s", cc, check, bban)
	if i%2 == 1 {
		return iban
	}
	var parts []string
	for len(iban) > 4 {
		parts = append(parts, iban[:4])
		iban = iban[4:]
	}
	return strings.Join(append(parts, iban), " ")
}

func healthItem(g *gen, i int) item {
	payloads := []string{
		"diagnosed with type 2 diabetes",
		"started chemotherapy for breast cancer",
		"ICD-10 code " + g.pick("F32.1", "J45.909", "E11.9", "C50.912"),
		"prescribed antiretroviral therapy",
		"treated at the clinic for a fractured wrist",
		"patient has a history of epilepsy",
	}
	return item{prefix: "Medical note for " + g.name() + ": ", payload: payloads[i%len(payloads)], suffix: ", see attached report.", expect: []string{"health"}}
}

func financialItem(g *gen, i int) item {
	payloads := []string{
		"account number " + g.digits(8),
		"routing number 021000021",
		"salary of $" + g.pick("85,000", "62,500", "120,000"),
		"current balance of £" + g.digits(1) + "," + g.digits(3) + "." + g.digits(2),
		"sort code " + g.digits(2) + "-" + g.digits(2) + "-" + g.digits(2),
		"annual income EUR " + g.digits(2) + "," + g.digits(3),
	}
	return item{prefix: "Payout details for " + g.name() + ": ", payload: payloads[i%len(payloads)], suffix: ".", expect: []string{"financial"}}
}

// secretItems returns credential messages (IA-2.6), all used under every
// evasion technique.
func secretItems(g *gen) []item {
	pem := func(kind string) string {
		body := g.from(alnumChars+"+/", 64) + "\n" + g.from(alnumChars+"+/", 64) + "\n" + g.from(alnumChars+"+/", 40) + "=="
		return "-----BEGIN " + kind + "PRIVATE KEY-----\n" + body + "\n-----END " + kind + "PRIVATE KEY-----"
	}
	jwt := func() string {
		h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
		p := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"sub":"%s","name":"%s","iat":%d}`, g.digits(8), g.name(), 1700000000+g.r.IntN(1e7))))
		return h + "." + p + "." + g.from(alnumChars+"-_", 43)
	}
	items := []item{
		{id: "aws-key-00", prefix: "Use ", payload: "AKIA" + g.from(upperChars+"234567", 16), suffix: " for the upload job."},
		{id: "aws-key-01", prefix: "Temporary credentials: ", payload: "ASIA" + g.from(upperChars+"234567", 16), suffix: " (expires in 1h)."},
		{id: "aws-secret-00", prefix: "Deploy config: ", payload: "aws_secret_access_key = " + mixedKey(g, 40), suffix: "\nregion = eu-west-1"},
		{id: "aws-secret-01", prefix: "Rotate this: ", payload: "AWS secret " + mixedKey(g, 40), suffix: " before Friday."},
		{id: "pem-00", prefix: "Key for the SFTP drop:\n", payload: pem("RSA "), suffix: "\nThanks."},
		{id: "pem-01", prefix: "", payload: pem("OPENSSH "), suffix: ""},
		{id: "jwt-00", prefix: "Authorization header was ", payload: jwt(), suffix: " in the failing request."},
		{id: "jwt-01", prefix: "auth_cookie=", payload: jwt(), suffix: "; Path=/"},
		{id: "github-00", prefix: "CI token ", payload: "ghp_" + g.from(alnumChars, 36), suffix: " has repo scope."},
		{id: "github-01", prefix: "Fine-grained token: ", payload: "github_pat_" + g.from(alnumChars, 22) + "_" + g.from(alnumChars, 59), suffix: ""},
		{id: "slack-00", prefix: "Bot token is ", payload: "xoxb-" + g.digits(12) + "-" + g.digits(13) + "-" + g.from(alnumChars, 24), suffix: "."},
		{id: "slack-01", prefix: "Webhook user token ", payload: "xoxp-" + g.digits(12) + "-" + g.digits(12) + "-" + g.digits(13) + "-" + g.from("0123456789abcdef", 32), suffix: ""},
		{id: "secret-00", prefix: "Connection settings: ", payload: "DB_PASSWORD=" + highEntropy(g, 32), suffix: " host=db.internal"},
		{id: "secret-01", prefix: "{\"client_id\": \"claims-app\", ", payload: "\"client_secret\": \"" + highEntropy(g, 40) + "\"", suffix: "}"},
	}
	expect := []string{"aws_access_key", "aws_access_key", "aws_secret_key", "aws_secret_key", "private_key", "private_key",
		"jwt", "jwt", "github_token", "github_token", "slack_token", "slack_token", "high_entropy_secret", "high_entropy_secret"}
	for i := range items {
		items[i].expect = []string{expect[i]}
		items[i].evasions = true
	}
	return items
}

// mixedKey returns an AWS-style secret: n characters with upper case,
// lower case and digits.
func mixedKey(g *gen, n int) string {
	for {
		k := g.from(alnumChars+"/+", n)
		if mixedClasses(k) {
			return k
		}
	}
}

// highEntropy returns a password-like value above the entropy threshold.
func highEntropy(g *gen, n int) string {
	for {
		k := g.from(alnumChars+"!#%*-_", n)
		if entropy(k) >= minSecretEntropy+0.3 {
			return k
		}
	}
}
