package dlp

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// findAWSAccessKeys finds AWS access key IDs: AKIA (long-term) or ASIA
// (temporary) and 16 upper-case letters or digits.
func findAWSAccessKeys(v *view, out []span) []span {
	for _, t := range v.tokens() {
		if t.end-t.start != 20 {
			continue
		}
		tok := v.s[t.start:t.end]
		if (tok[:4] == "AKIA" || tok[:4] == "ASIA") && upperAlnum(tok[4:]) {
			out = append(out, t)
		}
	}
	return out
}

func upperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isUpper(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// awsContext are words that make a 40-character base64 token an AWS
// secret access key.
var awsContext = []string{"aws", "secret"}

// findAWSSecretKeys finds AWS secret access keys: exactly 40 characters
// of [A-Za-z0-9/+] mixing upper case, lower case and digits, starting
// within 80 bytes after "aws" or "secret".
func findAWSSecretKeys(v *view, out []span) []span {
	done := 0
	for _, c := range awsContext {
		indexes(v.lower, c, func(at int) {
			out, done = appendAWSSecrets(out, v, max(at, done), min(len(v.s), at+len(c)+80))
		})
	}
	return out
}

// appendAWSSecrets appends the 40-character keys that start in s[from:to].
func appendAWSSecrets(out []span, v *view, from, to int) ([]span, int) {
	s := v.s
	i := from
	if i > 0 && isKeyChar(s[i-1]) {
		i = runEnd(s, i, isKeyChar) // from is inside a run that started earlier
	}
	for i < to {
		if !isKeyChar(s[i]) {
			i++
			continue
		}
		j := runEnd(s, i, isKeyChar)
		if j-i == 40 && (j == len(s) || s[j] != '=') && mixedClasses(s[i:j]) {
			out = append(out, span{i, j})
		}
		i = j
	}
	return out, i
}

func isKeyChar(c byte) bool { return isAlnum(c) || c == '/' || c == '+' }

// mixedClasses reports upper case, lower case and digits all present.
func mixedClasses(s string) bool {
	var u, l, d bool
	for i := 0; i < len(s); i++ {
		u = u || isUpper(s[i])
		l = l || isLower(s[i])
		d = d || isDigit(s[i])
	}
	return u && l && d
}

// findPrivateKeys finds PEM private key blocks, from the BEGIN line to
// the END line, or to the end of the text when the END line is missing.
func findPrivateKeys(v *view, out []span) []span {
	const begin = "-----begin "
	for at := 0; at < len(v.lower); {
		k := strings.Index(v.lower[at:], begin)
		if k < 0 {
			break
		}
		i := at + k
		at = i + len(begin)
		h := strings.Index(v.lower[at:min(len(v.lower), at+64)], "-----")
		if h < 0 || !strings.Contains(v.lower[at:at+h], "private key") {
			continue
		}
		end := len(v.lower)
		if e := strings.Index(v.lower[at+h:], "-----end "); e >= 0 {
			e += at + h + len("-----end ")
			if t := strings.Index(v.lower[e:], "-----"); t >= 0 {
				end = e + t + len("-----")
			}
		}
		out = append(out, span{i, end})
		at = end
	}
	return out
}

func isB64URL(c byte) bool { return isAlnum(c) || c == '-' || c == '_' }

// findJWTs finds JSON Web Tokens: three base64url parts joined by dots
// (the signature may be empty) whose header decodes to a JSON object with
// an "alg" member.
func findJWTs(v *view, out []span) []span {
	s := v.s
	for _, t := range v.tokens() {
		out = appendJWT(out, s, t.start)
	}
	return out
}

// appendJWT appends the JWT starting at s[i], if there is one.
func appendJWT(out []span, s string, i int) []span {
	if !strings.HasPrefix(s[i:], "eyJ") || (i > 0 && isB64URL(s[i-1])) {
		return out
	}
	var parts [3]int
	j := i
	for p := range 3 {
		j = runEnd(s, j, isB64URL)
		parts[p] = j
		if p == 2 {
			break
		}
		if j == i || j >= len(s) || s[j] != '.' || (p == 1 && j == parts[0]+1) {
			return out
		}
		j++
	}
	if jwtHeader(s[i:parts[0]]) && boundaryAfter(s, j) {
		out = append(out, span{i, j})
	}
	return out
}

// jwtHeader reports whether h is base64url JSON with an "alg" member.
func jwtHeader(h string) bool {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(h, "="))
	if err != nil {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return false
	}
	_, ok := m["alg"]
	return ok
}

// findGitHubTokens finds GitHub tokens: ghp_, gho_, ghu_, ghs_ or ghr_
// and at least 36 letters and digits, or github_pat_ and at least 60
// letters, digits and underscores.
func findGitHubTokens(v *view, out []span) []span {
	s := v.s
	for _, t := range v.tokens() {
		tok := s[t.start:t.end]
		switch {
		case len(tok) == 3 && tok[:2] == "gh" && strings.IndexByte("pousr", tok[2]) >= 0 && t.end < len(s) && s[t.end] == '_':
			if j := runEnd(s, t.end+1, isAlnum); j-t.end-1 >= 36 && boundaryAfter(s, j) {
				out = append(out, span{t.start, j})
			}
		case tok == "github" && strings.HasPrefix(s[t.end:], "_pat_"):
			j := runEnd(s, t.end+5, func(c byte) bool { return isAlnum(c) || c == '_' })
			if j-t.end-5 >= 60 {
				out = append(out, span{t.start, j})
			}
		}
	}
	return out
}

// runEnd returns the end of the run of bytes accepted by ok from s[i].
func runEnd(s string, i int, ok func(byte) bool) int {
	for i < len(s) && ok(s[i]) {
		i++
	}
	return i
}

// findSlackTokens finds Slack tokens: xoxa-, xoxb-, xoxp-, xoxr-, xoxs-
// or xoxo- and at least 20 letters, digits and dashes including digits.
func findSlackTokens(v *view, out []span) []span {
	s := v.s
	for _, t := range v.tokens() {
		tok := s[t.start:t.end]
		if len(tok) != 4 || tok[:3] != "xox" || strings.IndexByte("abposr", tok[3]) < 0 || t.end >= len(s) || s[t.end] != '-' {
			continue
		}
		j := runEnd(s, t.end+1, func(c byte) bool { return isAlnum(c) || c == '-' })
		if j-t.end-1 >= 20 && strings.ContainsAny(s[t.end+1:j], "0123456789") && boundaryAfter(s, j) {
			out = append(out, span{t.start, j})
		}
	}
	return out
}
