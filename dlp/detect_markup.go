package dlp

import (
	"regexp"
	"strings"
)

// instructionWords mark text hidden in markup as an instruction to a
// model rather than an editor's note.
var instructionWords = []string{
	"ignore", "disregard", "instruction", "system prompt", "you must", "you are now", "you should",
	"assistant", "ai model", "language model", "do not tell", "don't tell", "do not mention",
	"do not reveal", "reveal", "exfiltrate", "override", "api key", "password", "secret",
	"credentials", "new task", "tool", "forward all", "send all", "send the", "call the",
}

func instructionish(lower string) bool { return hasWord(lower, instructionWords) }

// findHiddenMarkup finds instructions hidden from human readers in
// markup: HTML comments that read as instructions, <script> elements,
// elements styled invisible (display:none, visibility:hidden,
// font-size:0, opacity:0, white text) that hold text, and markdown link
// or image titles that read as instructions. Text hidden in invisible
// characters is reported by the Scanner itself.
func findHiddenMarkup(v *view, out []span) []span {
	out = findComments(v, out)
	out = findScripts(v, out)
	out = findHiddenStyles(v, out)
	return findMarkdownTitles(v, out)
}

func findComments(v *view, out []span) []span {
	for at := 0; at < len(v.lower); {
		k := strings.Index(v.lower[at:], "<!--")
		if k < 0 {
			break
		}
		i := at + k
		end := len(v.lower)
		if e := strings.Index(v.lower[i+4:], "-->"); e >= 0 {
			end = i + 4 + e + 3
		}
		if instructionish(v.lower[i+4 : end]) {
			out = append(out, span{i, end})
		}
		at = end
	}
	return out
}

func findScripts(v *view, out []span) []span {
	for at := 0; at < len(v.lower); {
		k := strings.Index(v.lower[at:], "<script")
		if k < 0 {
			break
		}
		i := at + k
		at = i + 7
		if at < len(v.lower) && v.lower[at] != '>' && v.lower[at] != ' ' && v.lower[at] != '\t' && v.lower[at] != '\n' {
			continue
		}
		end := len(v.lower)
		if e := strings.Index(v.lower[at:], "</script"); e >= 0 {
			end = at + e + len("</script")
			if c := strings.IndexByte(v.lower[end:], '>'); c >= 0 && c < 8 {
				end += c + 1
			}
		}
		out = append(out, span{i, end})
		at = end
	}
	return out
}

var (
	styleAttr  = regexp.MustCompile(`^style\s*=\s*["']([^"'>]*)["']`)
	hidingCSS  = regexp.MustCompile(`display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|$)|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)`)
	whiteText  = regexp.MustCompile(`(?:^|;)\s*color\s*:\s*(?:#fff(?:fff)?|white|rgb\(\s*255\s*,\s*255\s*,\s*255\s*\))\s*(?:;|$)`)
	background = regexp.MustCompile(`background(?:-color)?\s*:\s*(#fff(?:fff)?|white|rgb\(\s*255\s*,\s*255\s*,\s*255\s*\))?`)
)

// minHiddenLetters is how many letters an invisible element must hold to
// count as hidden text.
const minHiddenLetters = 12

func findHiddenStyles(v *view, out []span) []span {
	indexes(v.lower, "style", func(i int) {
		m := styleAttr.FindStringSubmatchIndex(v.lower[i:min(len(v.lower), i+512)])
		if m == nil || !hiddenStyle(v.lower[i+m[2]:i+m[3]]) {
			return
		}
		tag := strings.LastIndexByte(v.lower[:i], '<')
		gt := strings.IndexByte(v.lower[i+m[1]:], '>')
		if tag < 0 || gt < 0 {
			return
		}
		inner := i + m[1] + gt + 1
		end := inner + strings.IndexByte(v.lower[inner:]+"<", '<')
		if letters(v.lower[inner:end]) >= minHiddenLetters {
			out = append(out, span{tag, end})
		}
	})
	return out
}

// hiddenStyle reports CSS declarations that hide an element's text: not
// displayed, invisible, zero size or opacity, or white text without a
// non-white background.
func hiddenStyle(css string) bool {
	if hidingCSS.MatchString(css) {
		return true
	}
	if !whiteText.MatchString(css) {
		return false
	}
	bg := background.FindStringSubmatch(css)
	return bg == nil || bg[1] != ""
}

func letters(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isAlpha(s[i]) {
			n++
		}
	}
	return n
}

// mdTitle matches the destination and quoted title of a markdown link or
// image, right after its "](".
var mdTitle = regexp.MustCompile(`^\(\s*[^\s)]*\s+(?:"([^"]*)"|'([^']*)')\s*\)`)

func findMarkdownTitles(v *view, out []span) []span {
	for at := 0; at < len(v.lower); {
		k := strings.Index(v.lower[at:], "](")
		if k < 0 {
			break
		}
		i := at + k
		at = i + 2
		m := mdTitle.FindStringSubmatchIndex(v.lower[i+1 : min(len(v.lower), i+1+1024)])
		if m == nil {
			continue
		}
		title := v.lower[i+1+max(m[2], m[4]) : i+1+max(m[3], m[5])]
		if !instructionish(title) {
			continue
		}
		start := i
		if b := strings.LastIndexByte(v.lower[max(0, i-512):i], '['); b >= 0 {
			start = max(0, i-512) + b
			if start > 0 && v.lower[start-1] == '!' {
				start--
			}
		}
		out = append(out, span{start, i + 1 + m[1]})
		at = i + 1 + m[1]
	}
	return out
}
