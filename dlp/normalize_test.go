package dlp

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"plain ascii", "plain ascii"},
		{"ｆｕｌｌｗｉｄｔｈ １２３", "fullwidth 123"},
		{"𝐛𝐨𝐥𝐝 𝟒𝟐", "bold 42"},
		{"раураl", "paypal"}, // Cyrillic р, а, у
		{"ΑΒΕ ορ", "ABE op"}, // Greek
		{"ɪɢɴᴏʀᴇ", "ignore"}, // Latin small capitals
		{"ïgnörë café", "ignore cafe"},
		{"e\u0301", "e"}, // combining accent
		{"i\u200bg\u200cn\u200do\u2060r\ufeffe", "ignore"},
		{"a\u202eb\u2066c", "abc"}, // bidi controls
		{"٣٤٥ ४२", "345 42"},       // Arabic-Indic and Devanagari digits
		{"“quoted” – dash", `"quoted" - dash`},
		{"ﬁle", "file"},
		{"Привет", "П" + "p" + "ив" + "e" + "т"}, // only look-alikes fold
	}
	for _, c := range cases {
		if got, _ := fold(c.in); got != c.want {
			t.Errorf("fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Every byte of a folded text maps back to the original character it
// came from.
func TestFoldPositions(t *testing.T) {
	t.Parallel()
	in := "x ａ\u200bli\u0441e@ex\u0430mple.com y"
	out, pos := fold(in)
	if out != "x alice@example.com y" {
		t.Fatalf("fold = %q", out)
	}
	l := Layer{Text: out, pos: pos}
	i := strings.Index(out, "alice@example.com")
	a, b := l.span(i, i+len("alice@example.com"))
	if got := in[a:b]; got != "ａ\u200bli\u0441e@ex\u0430mple.com" {
		t.Errorf("span maps to %q", got)
	}
	if a, b := l.span(0, 1); in[a:b] != "x" {
		t.Errorf("span(0,1) maps to %q", in[a:b])
	}
}

func TestNormalizeLayers(t *testing.T) {
	t.Parallel()
	secret := "alice@example.com"
	b64 := base64.StdEncoding.EncodeToString([]byte(secret))
	cases := []struct {
		name, in string
		enc      string // encoding chain of the layer holding secret; "" for none
	}{
		{"base64 std", "x " + b64 + " y", "base64"},
		{"base64 raw url", "x " + base64.RawURLEncoding.EncodeToString([]byte(secret+"??>")) + " y", "base64"},
		{"base64 glued", "x" + b64, "base64"},
		{"hex", "x " + hex.EncodeToString([]byte(secret)) + " y", "hex"},
		{"hex upper", "x " + strings.ToUpper(hex.EncodeToString([]byte(secret))), "hex"},
		{"hex escapes", `x \x61\x6c\x69\x63\x65\x40\x65\x78\x61\x6d\x70\x6c\x65\x2e\x63\x6f\x6d`, "hex"},
		{"url", "x alice%40example%2Ecom y", "url"},
		{"html numeric", "x alice&#64;example&#x2e;com y", "html"},
		{"html named", "x alice&commat;example&period;com y", "html"},
		{"url then html", "x alice%26%2364%3Bexample.com", "url>html"},
		{"url in base64", base64.StdEncoding.EncodeToString([]byte("v=alice%40example.com")), "base64>url"},
		{"base64 in url", "q=" + urlEncode(b64), "url>base64"},
		{"double base64", base64.StdEncoding.EncodeToString([]byte(b64)), "base64>base64"},
		{"short run", "x " + base64.StdEncoding.EncodeToString([]byte("ab@c.de")) + " y", ""},
		{"binary run", "x " + base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 3, 200, 201, 202, 203, 0, 1, 2, 3}) + " y", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := Normalize(c.in, 3)
			got := ""
			for _, l := range n.Layers {
				if strings.Contains(l.Text, secret) && got == "" {
					got = l.Encoding
				}
			}
			if got != c.enc {
				t.Errorf("layer with the secret: %q, want %q (layers %+v)", got, c.enc, n.Layers)
			}
		})
	}
}

// Decoding stops at maxDepth: four base64 wrappings need depth 4.
func TestNormalizeDepth(t *testing.T) {
	t.Parallel()
	s := "alice@example.com"
	for range 4 {
		s = base64.StdEncoding.EncodeToString([]byte(s))
	}
	deepest := func(depth int) bool {
		for _, l := range Normalize(s, depth).Layers {
			if strings.Contains(l.Text, "alice@example.com") {
				return true
			}
		}
		return false
	}
	if deepest(3) {
		t.Error("depth 3 decoded four layers")
	}
	if !deepest(4) {
		t.Error("depth 4 did not decode four layers")
	}
	if n := Normalize(s, 0); len(n.Layers) != 0 {
		t.Errorf("depth 0 gave %d layers", len(n.Layers))
	}
}

// Run layers report the span of their encoded run; URL/HTML layers keep
// exact positions.
func TestLayerSpans(t *testing.T) {
	t.Parallel()
	b64 := base64.StdEncoding.EncodeToString([]byte("hello there, world"))
	in := "pre " + b64 + " post %41%42"
	n := Normalize(in, 1)
	var sawRun, sawURL bool
	for _, l := range n.Layers {
		switch l.Encoding {
		case "base64":
			sawRun = in[l.Start:l.End] == b64
		case "url":
			i := strings.Index(l.Text, "AB")
			a, b := l.span(i, i+2)
			sawURL = in[a:b] == "%41%42"
		}
	}
	if !sawRun || !sawURL {
		t.Errorf("run span ok %v, url span ok %v; layers %+v", sawRun, sawURL, n.Layers)
	}
}

func TestTagCharacters(t *testing.T) {
	t.Parallel()
	hidden := ""
	for _, c := range "secret" {
		hidden += string(rune(0xE0000 + c))
	}
	in := "ok " + hidden + " done"
	n := Normalize(in, 1)
	if n.Text != "ok  done" {
		t.Errorf("Text = %q, tag characters not removed", n.Text)
	}
	if len(n.Layers) != 1 || n.Layers[0].Encoding != "tags" || n.Layers[0].Text != "secret" || in[n.Layers[0].Start:n.Layers[0].End] != hidden {
		t.Errorf("layers %+v, want one tags layer with the hidden text", n.Layers)
	}
}
