package judge

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
)

// signal is one heuristic score in 0..1 with what raised it.
type signal struct {
	name      string
	score     float64
	controls  []string
	detail    []string
	blockable bool // a score at or above blockScore blocks on its own
}

// add folds one more piece of evidence of weight w into the score
// (noisy-or: 1 - (1-a)(1-b)).
func (s *signal) add(w float64, detail string) {
	s.score = orScores(s.score, w)
	if detail != "" && !slices.Contains(s.detail, detail) {
		s.detail = append(s.detail, detail)
	}
}

func orScores(a, b float64) float64 { return 1 - (1-a)*(1-b) }

// match adds the weight of every match of every pattern.
func (s *signal) match(text string, patterns ...pattern) {
	for _, p := range patterns {
		for range p.re.FindAllStringIndex(text, -1) {
			s.add(p.weight, p.label)
		}
	}
}

// injectionSignal scores injection markers (PG-2.1).
func injectionSignal(text string) signal {
	s := signal{name: "injection markers", controls: []string{"PG-2.1", "PG-1.1"}, blockable: true}
	s.match(text, injectionPatterns...)
	return s
}

// urgencySignal scores manufactured urgency and coercion (PG-1.5). It is
// halved for text that does not address a reader ("you", "your").
func urgencySignal(text string) signal {
	s := signal{name: "urgency and coercion", controls: []string{"PG-1.5"}, blockable: true}
	s.match(text, urgencyPatterns...)
	for range min(strings.Count(text, "!"), 3) {
		s.add(0.15, "exclamation marks")
	}
	for range min(shoutedWords(text), 3) {
		s.add(0.15, "capitals")
	}
	if !secondPerson.MatchString(text) {
		s.score /= 2
	}
	return s
}

// shoutedWords counts words of four or more letters written in capitals.
func shoutedWords(text string) int {
	n := 0
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) >= 4 && strings.ToUpper(w) == w {
			n++
		}
	}
	return n
}

// driftSignal scores how far an instruction or delegation moves away from
// the task objective (PG-2.2): redirection wording anywhere, and for text
// checked against an objective, low topic overlap and turns away from the
// objective's own terms.
func driftSignal(r Request) signal {
	s := signal{name: "goal drift", controls: []string{"PG-2.2"}}
	s.match(r.Text, redirectPatterns...)
	if strings.TrimSpace(r.TaskObjective) == "" {
		return s
	}
	goal := topicStems(r.TaskObjective)
	for _, m := range turnAway.FindAllStringSubmatch(r.Text, -1) {
		for w := range topicStems(m[1]) {
			if goal[w] {
				s.add(0.6, "turns away from the objective")
				break
			}
		}
	}
	text := topicStems(r.Text)
	if len(text) < 3 {
		return s
	}
	shared := 0
	for w := range text {
		if goal[w] {
			shared++
		}
	}
	if overlap := float64(shared) / float64(len(text)); overlap < 0.3 {
		s.add(0.9*(1-overlap/0.3), fmt.Sprintf("%.0f%% of its terms are in the objective", overlap*100))
	}
	return s
}

// imperativeSignal scores orders given to the recipient by a message that
// is not an instruction (a claim, a result): each override verb adds 0.6,
// each action verb 0.5. In instructions and delegations only override
// verbs count.
func imperativeSignal(r Request) signal {
	s := signal{name: "imperatives aimed at the recipient", controls: []string{"PG-1.4", "PG-2.1"}}
	instruction := isInstructionKind(r.Kind)
	verbs, _ := imperatives(r.Text)
	for _, v := range verbs {
		switch {
		case overrideVerbs[v]:
			s.add(0.6, v)
		case !instruction:
			s.add(0.5, v)
		}
	}
	return s
}

// confidenceSignal scores confidence inflation stated in the text itself
// (PG-2.7): a later figure above an earlier one, or certainty wording over
// an input described as uncertain.
func confidenceSignal(text string) signal {
	s := signal{name: "confidence inflation", controls: []string{"PG-2.7", "PG-2.5"}}
	if figs := confidences(text); len(figs) > 1 && slices.Max(figs[1:]) > figs[0]+1e-9 {
		s.add(0.8, fmt.Sprintf("confidence raised from %.2f to %.2f", figs[0], slices.Max(figs[1:])))
	}
	certain := len(certaintyPattern.re.FindAllStringIndex(text, -1))
	if certain == 0 {
		return s
	}
	if uncertaintyPattern.re.MatchString(text) {
		s.add(0.6, "certainty claimed over an uncertain input")
	}
	for range certain {
		s.add(certaintyPattern.weight, "unqualified certainty")
	}
	return s
}

// amountSignal scores an amount that deviates by more than 20 % from the
// nearest amount stated in the objective (the MASO claims example): the
// largest amount of the text, or the action's Amount.
func amountSignal(r Request, text string) signal {
	s := signal{name: "amount deviation", controls: []string{"EC-2.5"}}
	goal := amounts(r.TaskObjective)
	stated := amounts(text)
	if r.Amount > 0 {
		stated = append(stated, r.Amount)
	}
	if len(goal) == 0 || len(stated) == 0 {
		return s
	}
	got := slices.Max(stated)
	near := goal[0]
	for _, g := range goal[1:] {
		if math.Abs(g-got) < math.Abs(near-got) {
			near = g
		}
	}
	if near > 0 && math.Abs(got-near)/near > 0.2 {
		s.add(0.7, fmt.Sprintf("%.2f is %+.0f%% from the %.2f in the objective", got, (got-near)/near*100, near))
	}
	return s
}

// isInstructionKind reports whether kind carries orders by design.
func isInstructionKind(kind string) bool {
	k := strings.ToLower(kind)
	return k == "instruction" || k == "delegation"
}
