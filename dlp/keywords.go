package dlp

import "sync"

// keywords is a list of lowercase keywords that detectors look up through
// a view's word index instead of searching the text once per keyword.
// The first token (letters and digits) of a keyword must match a whole
// word of the text; the rest of the keyword is compared as a prefix, so
// "account number" also matches "account numbers".
type keywords struct {
	id    int
	words []string
}

// keywordLists are all keyword lists; init numbers them.
var keywordLists = []*keywords{
	healthAlone, healthConditions, accountWords, routingWords, moneyWords,
}

// kwRef names one keyword of one list.
type kwRef struct{ list, idx int }

var (
	kwIndexOnce sync.Once
	kwIndex     map[string][]kwRef // first token -> keywords starting with it
	kwLengths   [128]uint64        // by first byte: bit n set when a first token has length n
)

// register adds rule trigger lists to keywordLists; called from init.
func register(lists ...*keywords) { keywordLists = append(keywordLists, lists...) }

func init() {
	for _, rs := range []rules{instructionOverride, rolePlay, danStyle, toolEnumeration, promptExtraction} {
		for i := range rs {
			if rs[i].words != nil {
				register(rs[i].words)
			}
			if rs[i].then != nil {
				register(rs[i].then.words)
			}
		}
	}
	for i, l := range keywordLists {
		l.id = i
	}
}

// index returns the first-token index of every keyword list.
func index() map[string][]kwRef {
	kwIndexOnce.Do(func() {
		kwIndex = map[string][]kwRef{}
		for _, l := range keywordLists {
			for i, w := range l.words {
				tok := w[:runEnd(w, 0, isAlnum)]
				kwIndex[tok] = append(kwIndex[tok], kwRef{l.id, i})
				kwLengths[tok[0]] |= 1 << min(len(tok), 63)
			}
		}
	})
	return kwIndex
}

// hit is one keyword occurrence in a view.
type hit struct {
	list, idx int
	pos       int
}

// hits returns the keyword occurrences of v, in text order, computing
// them on first use.
func (v *view) hits() []hit {
	if v.kwDone {
		return v.kw
	}
	v.kwDone = true
	idx := index()
	s := v.lower
	for _, t := range v.tokens() {
		if n := t.end - t.start; n > 63 || kwLengths[s[t.start]]&(1<<n) == 0 {
			continue // no keyword starts with a token of this first byte and length
		}
		for _, r := range idx[s[t.start:t.end]] {
			w := keywordLists[r.list].words[r.idx]
			if len(s)-t.start >= len(w) && s[t.start:t.start+len(w)] == w {
				v.kw = append(v.kw, hit{r.list, r.idx, t.start})
			}
		}
	}
	return v.kw
}

// each calls fn with the start of every occurrence of a keyword of l in
// v and the keyword.
func (l *keywords) each(v *view, fn func(i int, w string)) {
	for _, h := range v.hits() {
		if h.list == l.id {
			fn(h.pos, l.words[h.idx])
		}
	}
}

func newKeywords(words ...string) *keywords { return &keywords{words: words} }
