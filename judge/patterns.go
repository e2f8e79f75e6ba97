package judge

import "regexp"

// pattern is one weighted phrase of a heuristic signal. Every match adds
// weight to the signal's score.
type pattern struct {
	re     *regexp.Regexp
	weight float64
	label  string
}

func pat(expr string, weight float64, label string) pattern {
	return pattern{regexp.MustCompile(`(?i)` + expr), weight, label}
}

// injectionPatterns mark embedded instructions and injection attempts in
// agent output (PG-2.1). Weight 0.9 marks a pattern that on its own blocks.
var injectionPatterns = []pattern{
	pat(`\b(ignore|disregard|forget|overrule)\b[^.!?\n]{0,30}\b(previous|prior|above|earlier|preceding|original|all|any|your)\b[^.!?\n]{0,20}\b(instructions?|guidance|rules|directions|prompts?|messages|tasks?|guidelines|context)\b`, 0.9, "instruction override"),
	pat(`\bignore (all |everything |the )*(above|previous|prior|preceding)\b`, 0.9, "instruction override"),
	pat(`\b(your|the) new (task|instructions?|role|objective|goal)\b|\bnew system instructions?\b`, 0.9, "replacement instructions"),
	pat(`\bnew instructions?\b`, 0.6, "new instructions"),
	pat(`\b(update|change)s? (to|of) your instructions\b|\byour instructions (have|has) (been )?(changed|updated)`, 0.9, "instruction change"),
	pat(`\bsystem prompt\b|\b(reveal|print|show|repeat|output|disclose|leak)\b[^.!?\n]{0,30}\b(your instructions|instructions you|prompt|api keys?|credentials|secrets?|passwords?)\b`, 0.9, "prompt or secret extraction"),
	pat(`\byou are now\b|\bfrom now on,? you\b|\bdeveloper mode\b|\bdo anything now\b|\bjailbr(eak|oken)\b|\b(no|without (any )?)restrictions\b`, 0.9, "role or mode reassignment"),
	pat(`<\|?im_(start|end)\|?>|\[\s*(system|inst|admin)\s*\]|(^|\s)#{2,}\s*(instruction|system)|\bsystem override\b|\bend of (document|file|input|data)\b|\bhidden instructions?\b`, 0.9, "fake control markup"),
	pat(`\|\s*(sh|bash|zsh)\b|\bcurl\s+-|\bwget\s+https?://|\brm\s+-rf\b`, 0.9, "shell payload"),
	pat(`\bpretend (you are|to be|you're)\b`, 0.9, "impersonation"),
	pat(`\byour (real|true|actual|hidden|primary) (objective|goal|task|purpose|instructions?)\b`, 0.9, "goal substitution"),
	pat(`\byou (are|have been|were) (now )?(authori[sz]ed|permitted|allowed|cleared|empowered)\b`, 0.5, "grants the agent authority"),
	pat(`\bact as\b|\brole-?play\b`, 0.5, "role reassignment"),
	pat(`\b(without|bypass(ing)?|skip(ping)?|avoid(ing)?|circumvent)\b[^.!?\n]{0,25}\b(review|approval|supervisor|human|oversight|checks?|escalation|verification|gate)\b|\bnot escalate\b`, 0.5, "oversight bypass"),
	pat(`\b(do not|don't|never|without) (tell|telling|mention|mentioning|inform|informing|notify|notifying|alert|alerting)\b`, 0.5, "concealment"),
	pat(`\b(note|message|attention) to (the )?(ai|assistant|agent|model|llm|bot)\b|\bto the (automated|ai) \w+|\b(agent|assistant|ai|model) (reading|processing) this\b|\b(any|all|every) agents?\b[^.!?\n]{0,40}\b(must|should|shall)\b|\bagents (must|should|shall)\b`, 0.5, "addresses the agents"),
	pat(`\b(send|forward|email|upload|post|transfer|export|copy|share)\s[^\n]{0,80}(https?://|\b[\w.+-]+@[\w-]+\.[a-z]{2,})`, 0.6, "exfiltration target"),
	pat(`\b(call|invoke|execute|run|trigger)\b[^.!?\n]{0,25}\b(tool|function|api|command|script)\b`, 0.5, "tool invocation"),
}

// urgencyPatterns mark manufactured urgency, threats and emotional
// pressure aimed at a person (PG-1.5).
var urgencyPatterns = []pattern{
	pat(`\bfinal notice\b|\blast chance\b|\bact now\b|\baction required\b|\btime is running out\b|\bbefore it('s| is) too late\b|\bor else\b`, 0.5, "manufactured urgency"),
	pat(`\byour (account|policy|claim|coverage|cover) will be (closed|cancell?ed|suspended|terminated|denied|voided|rejected)\b|\bclaim will be (closed|denied|rejected)\b`, 0.5, "threat of loss"),
	pat(`\blegal action\b|\bwe will be forced\b|\bface (penalties|a penalty|legal|prosecution|consequences)\b|\byou (will|may) lose\b|\blos(e|ing) your (home|house|coverage|cover|policy|claim|discount)\b`, 0.5, "threat"),
	pat(`\burgent(ly)?\b|\bimmediately\b|\bwithin \d{1,2} hours?\b|\b(by|before) (tomorrow|tonight|midnight|end of (the )?day)\b|\bdo(n'?t| not) delay\b|\bexpires? (today|tonight|soon)\b`, 0.3, "time pressure"),
	pat(`\bfailure to (respond|reply|comply|pay|sign|act|confirm)\b|\bunless you (pay|sign|confirm|accept|act|respond)\b|\bonly customers who\b`, 0.35, "conditional threat"),
	pat(`\bthink (of|about) your (family|children|kids|future)\b|\bdisappointed\b`, 0.35, "emotional pressure"),
	pat(`\btoday\b|\bright away\b|\bquickly\b|\bmost people\b`, 0.1, "pressure wording"),
}

// redirectPatterns mark an attempt to move an agent off its task (PG-2.2).
var redirectPatterns = []pattern{
	pat(`\bstop (working on|processing|what you|your)\b|\bnew (priority|objective|goal|mission)\b|\bchange of plans?\b|\bno longer (need|needed|required|necessary)\b|\b(abandon|drop|forget about|put aside) (the|this|your) (claim|task|assessment|work|objective)\b`, 0.5, "redirects the task"),
	pat(`\bregardless of\b`, 0.4, "overrides a condition"),
	pat(`\binstead\b|\brather than\b`, 0.3, "contrasts with the task"),
}

// turnAway finds "instead of X", "rather than X", "stop X", "no longer X"
// with the words that follow, to test them against the objective.
var turnAway = regexp.MustCompile(`(?i)\b(?:instead of|rather than|stop|no longer)\s+((?:[\w'-]+\s+){0,3}[\w'-]+)`)

// Certainty and uncertainty wording, for confidence inflation stated in
// text (PG-2.7, PG-2.5).
var (
	certaintyPattern   = pat(`\bdefinitely\b|\bcertain(ly)?\b|\bbeyond (any )?doubt\b|\bno doubt\b|\bguaranteed\b|\b100 ?% (certain|sure|confirmed)\b|\b(established|confirmed|proven) fact\b|\bwithout (any )?question\b|\bundeniabl[ey]\b|\bverified and correct\b|\bno further (checks?|verification|review)\b`, 0.3, "certainty")
	uncertaintyPattern = pat(`\bunverified\b|\bnot (yet )?(been )?(verified|checked|confirmed)\b|\bguess(ed)?\b|\bmight\b|\bpossibly\b|\bprobably\b|\bpending\b|\bunconfirmed\b|\bassum(ed|ption)\b|\buncertain\b|\bestimated?\b|\bpreliminary\b`, 0, "uncertainty")
	secondPerson       = regexp.MustCompile(`(?i)\b(you|your|yours)\b`)
)
