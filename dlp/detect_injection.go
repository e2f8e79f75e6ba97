package dlp

import (
	"regexp"
	"strings"
)

// ruleWindow bounds the text a rule's pattern may match after its trigger.
const ruleWindow = 320

// rule is one injection pattern. The pattern is anchored and runs on the
// lowercased text from each occurrence of a trigger word (or literal), so
// that a text without triggers costs only the keyword lookup.
type rule struct {
	words    *keywords          // trigger words, found through the word index
	literals []string           // triggers that start with punctuation
	re       *regexp.Regexp     // anchored pattern, run from the trigger
	then     *marker            // optional second part, later in the sentence
	sentence bool               // the match ends with the trigger's sentence
	tail     func(s string) int // optional continuation after re: its length, or -1
	notAfter []string           // words that make the trigger a noun ("a list of")
}

// rules is a detector made of rules.
type rules []rule

func (rs rules) find(v *view, out []span) []span {
	for k := range rs {
		r := &rs[k]
		if r.words != nil {
			r.words.each(v, func(i int, _ string) { out = r.try(v, i, out) })
		}
		for _, lit := range r.literals {
			indexes(v.lower, lit, func(i int) { out = r.try(v, i, out) })
		}
	}
	return out
}

// try runs the rule's pattern from the trigger at i.
func (r *rule) try(v *view, i int, out []span) []span {
	if r.notAfter != nil && precededBy(v.lower, i, r.notAfter) {
		return out
	}
	end := min(len(v.lower), i+ruleWindow)
	if r.sentence {
		end = sentenceEnd(v.lower, i, end)
	}
	w := v.lower[i:end]
	loc := r.re.FindStringIndex(w)
	if loc == nil {
		return out
	}
	if r.tail != nil {
		n := r.tail(w[loc[1]:])
		if n < 0 {
			return out
		}
		loc[1] += n
	}
	if r.then == nil {
		return append(out, span{i, i + loc[1]})
	}
	if e, ok := r.then.after(v, i+loc[1], end); ok {
		return append(out, span{i, e})
	}
	return out
}

// marker is the second part of a two-part rule: one of its words, then
// its anchored pattern, between the first part and the end of the
// sentence. Splitting a rule this way keeps each pattern small.
type marker struct {
	words *keywords
	re    *regexp.Regexp
}

// after returns the end of the first marker match starting in [from, end).
func (m *marker) after(v *view, from, end int) (int, bool) {
	for _, h := range v.hits() {
		if h.list != m.words.id || h.pos < from || h.pos >= end {
			continue
		}
		if loc := m.re.FindStringIndex(v.lower[h.pos:end]); loc != nil {
			return h.pos + loc[1], true
		}
	}
	return 0, false
}

// sentenceEnd returns the end of the sentence starting before i, at most
// limit.
func sentenceEnd(s string, i, limit int) int {
	for j := i; j < limit; j++ {
		switch s[j] {
		case '.', ';', '!', '?', '\n':
			return j
		}
	}
	return limit
}

// precededBy reports whether the word before s[i] is one of words.
func precededBy(s string, i int, words []string) bool {
	j := i
	for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\n') {
		j--
	}
	k := j
	for k > 0 && isAlpha(s[k-1]) {
		k--
	}
	for _, w := range words {
		if s[k:j] == w {
			return true
		}
	}
	return false
}

// phrase matches filler words followed by a target word, with at least
// one qualifier among the fillers: "all previous instructions" after
// "ignore". Qualifiers tell "ignore all previous rules" from "ignore the
// rules of thumb".
type phrase struct {
	fillers    map[string]bool
	qualifiers map[string]bool
	targets    map[string]bool
	maxFill    int
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// match returns the length of the phrase at the start of s, or -1.
func (p *phrase) match(s string) int {
	qualified := false
	for i, n := 0, 0; i < len(s) && n <= p.maxFill; n++ {
		j := runEnd(s, i, func(c byte) bool { return isLower(c) || c == '\'' })
		w := s[i:j]
		switch {
		case p.targets[w] && boundaryAfter(s, j):
			if qualified {
				return j
			}
			return -1
		case p.qualifiers[w]:
			qualified = true
		case !p.fillers[w]:
			return -1
		}
		i = skipAny(s, j, " \t\n")
		if i == j {
			return -1
		}
	}
	return -1
}

var overrideTail = &phrase{
	maxFill: 6,
	qualifiers: set("all", "any", "every", "previous", "prior", "above", "earlier", "preceding", "foregoing",
		"former", "original", "initial", "your", "my", "system", "safety", "developer"),
	fillers: set("each", "the", "of", "these", "those", "existing", "current", "given", "old", "that", "you",
		"were", "have", "been", "about", "what", "are", "is"),
	targets: set("instruction", "instructions", "prompt", "prompts", "direction", "directions", "rules", "guidelines",
		"guardrails", "policy", "policies", "constraints", "restrictions", "commands", "programming", "context",
		"messages", "orders", "directives", "training"),
}

// instructionOverride: "ignore all previous instructions", "disregard your
// guidelines", "forget your rules", "new instructions:", "system prompt:"
// and chat-template role markers injected into content.
var instructionOverride = rules{
	{
		words:    newKeywords("ignore", "disregard", "forget", "override", "bypass", "skip", "do not follow", "don't follow", "stop following"),
		sentence: true,
		re:       regexp.MustCompile(`^(?:ignore|disregard|forget|override|bypass|skip|do\s+not\s+follow|don't\s+follow|stop\s+following)\s+`),
		tail:     overrideTail.match,
	},
	{
		words: newKeywords("forget"),
		re:    regexp.MustCompile(`^forget\s+(?:about\s+)?(?:everything|all)\s+(?:you\s+(?:were|have\s+been|'ve\s+been)\s+told|above|before|previously|so\s+far)`),
	},
	{
		words: newKeywords("new", "updated", "revised", "real", "actual", "true", "additional", "override", "important"),
		re:    regexp.MustCompile(`^(?:new|updated|revised|real|actual|true|additional|override|important)\s+(?:system\s+)?(?:instructions?|directives?|orders)\s*:`),
	},
	{
		words: newKeywords("system"),
		re:    regexp.MustCompile(`^system\s+(?:prompt|message|instructions?|override)\s*:`),
	},
	{
		literals: []string{"<|im_start|>", "<<sys>>", "[system]", "[inst]", "### system", "### instruction"},
		re:       regexp.MustCompile(`^(?:<\|im_start\|>\s*system|<<sys>>|\[system\]|\[inst\]|###\s*(?:system|instructions?)\b)`),
	},
}

// rolePlay: "you are now ...", "pretend to be ...", "act as ..." followed
// in the same sentence by a release from restrictions.
var rolePlay = rules{{
	sentence: true,
	words: newKeywords("you are now", "you're now", "you will now", "pretend", "pretending", "act as", "acting as",
		"roleplay", "roleplaying", "role-play", "role play", "imagine you are", "from now on", "simulate"),
	re: regexp.MustCompile(`^(?:you\s+are\s+now|you're\s+now|you\s+will\s+now|pretend(?:ing)?\s+(?:to\s+be|you\s+are|you're|that\s+you)|act(?:ing)?\s+as|role-?\s?play(?:ing)?\s+as|imagine\s+you\s+are|from\s+now\s+on|simulate)\b`),
	then: &marker{
		words: newKeywords("no", "without", "zero", "free", "ignore", "ignores", "ignoring", "unbound", "not", "beyond", "outside",
			"unrestricted", "unfiltered", "uncensored", "unlimited", "jailbroken", "unchained", "amoral", "unethical", "evil"),
		re: regexp.MustCompile(`^(?:(?:no|without|zero|free\s+(?:of|from)|ignor(?:e|es|ing)|unbound\s+by|not\s+bound\s+by|not\s+restricted\s+by|beyond|outside)\s+(?:(?:any|all|the|your|its|of|ethical|moral|content|safety)\s+)*` +
			`(?:restrictions?|limits?|limitations|rules|filters?|guidelines|boundaries|ethics|morals|morality|censorship|polic(?:y|ies)|constraints|safeguards|guardrails)` +
			`|(?:unrestricted|unfiltered|uncensored|unlimited|jailbroken|unchained|amoral|unethical|evil)\b` +
			`|no\s+longer\s+(?:an?\s+)?(?:ai|assistant|language\s+model|bound|restricted|limited))`),
	},
}}

// danStyle: "do anything now", "jailbreak", "developer mode enabled".
// The capitalised name DAN itself is matched by findDAN.
var danStyle = rules{
	{words: newKeywords("do anything now"), re: regexp.MustCompile(`^do\s+anything\s+now\b`)},
	{words: newKeywords("jailbreak", "jailbreaks", "jailbreaking", "jailbroken"), re: regexp.MustCompile(`^jailbr(?:eak|oken)`)},
	{
		words:    newKeywords("developer mode"),
		sentence: true,
		re:       regexp.MustCompile(`^developer\s+mode\b`),
		then: &marker{
			words: newKeywords("enabled", "activated", "unlocked", "output", "response", "no", "ignore", "ignores", "ignoring",
				"policy", "policies", "uncensored", "you", "generate"),
			re: regexp.MustCompile(`^(?:enabled|activated|unlocked|output|response|no\s+restrictions|ignor(?:e|es|ing)|polic(?:y|ies)|uncensored|you\s+will|you\s+must|generate)\b`),
		},
	},
}

// danName matches DAN as a persona name, in the original case: "you are
// DAN", "act as DAN", "DAN mode", "DAN:".
var danName = regexp.MustCompile(`(?:\b(?i:as|are|be|am|called|named|become|now)\s+DAN\b|\bDAN(?:\s+(?i:mode|prompt|persona|jailbreak)\b|\s*:|\s*\(|,\s+(?i:which|who)\b))`)

func findDAN(v *view, out []span) []span {
	out = danStyle.find(v, out)
	for at := 0; at < len(v.s); {
		k := strings.Index(v.s[at:], "DAN")
		if k < 0 {
			break
		}
		i := at + k
		at = i + 3
		if !boundaryBefore(v.s, i) || !boundaryAfter(v.s, i+3) {
			continue
		}
		lo, hi := max(0, i-12), min(len(v.s), i+24)
		if loc := danName.FindStringIndex(v.s[lo:hi]); loc != nil && lo+loc[0] <= i && lo+loc[1] >= i+3 {
			out = append(out, span{lo + loc[0], lo + loc[1]})
		}
	}
	return out
}

// toolEnumeration: requests to list or call every tool.
var toolEnumeration = rules{
	{
		words: newKeywords("list", "enumerate", "show", "print", "dump", "reveal", "output", "describe", "tell me", "give me", "name"),
		re: regexp.MustCompile(`^(?:list|enumerate|show|print|dump|reveal|output|describe|tell\s+me|give\s+me|name)\s+(?:(?:me|us)\s+)?(?:(?:all|every|each)\s+)?(?:of\s+)?` +
			`your\s+(?:\w+\s+)?(?:tools|functions|function\s+calls|apis|plugins|capabilities|commands|actions|endpoints)\b`),
	},
	{
		words: newKeywords("list", "enumerate", "show", "print", "dump", "reveal", "output", "describe", "tell me", "give me", "name"),
		re: regexp.MustCompile(`^(?:list|enumerate|show|print|dump|reveal|output|describe|tell\s+me|give\s+me|name)\s+(?:(?:me|us)\s+)?(?:(?:all|every|each)\s+)?(?:of\s+)?` +
			`(?:the\s+)?available\s+(?:\w+\s+)?(?:tools|functions|function\s+calls|apis|plugins|capabilities|commands|actions|endpoints)\b`),
		notAfter: []string{"a", "an", "the", "this", "that", "full", "short", "to"},
	},
	{
		words: newKeywords("what", "which"),
		re:    regexp.MustCompile(`^(?:what|which)\s+(?:tools|functions|plugins|apis|capabilities)\s+(?:do\s+you\s+have|can\s+you\s+(?:call|use|access|invoke|run)|are\s+(?:available|you\s+(?:able|allowed))|do\s+you\s+(?:have\s+access\s+to|support))`),
	},
	{
		words: newKeywords("call", "invoke", "execute", "run", "trigger"),
		re:    regexp.MustCompile(`^(?:call|invoke|execute|run|trigger)\s+(?:every|all|each)\s+(?:(?:of\s+)?(?:your|the|available)\s+)?(?:tools?|functions?|apis?|plugins?)\b`),
	},
}

// promptExtraction (PG-1.2): requests to reveal a system prompt or the
// instructions an agent was given.
var promptExtraction = rules{
	{
		words: newKeywords("reveal", "print", "show", "repeat", "output", "tell me", "what is", "what are", "what's", "display", "share", "dump", "leak", "give me", "copy", "recite", "write out"),
		re: regexp.MustCompile(`^(?:reveal|print|show|repeat|output|tell\s+me|what\s+(?:is|are|was|were)|what's|display|share|dump|leak|give\s+me|copy|recite|write\s+out)\s+` +
			`(?:(?:me|us|all|the|your|its|their|exact|full|entire|complete|initial|original|hidden|secret|verbatim|agent's|other|peer|of)\s+)*` +
			`(?:system\s+(?:prompts?|messages?|instructions)|(?:initial|original|hidden|secret)\s+(?:prompts?|instructions)|instructions\s+you\s+(?:were|have\s+been)\s+given|prompt\s+(?:above|verbatim))`),
	},
	{
		words: newKeywords("repeat"),
		re:    regexp.MustCompile(`^repeat\s+(?:the\s+)?(?:words|text|everything)\s+above\b`),
	},
}
