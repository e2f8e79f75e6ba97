package dlp

import "strings"

// secretNames are parts of key names whose values are secrets.
var secretNames = []string{
	"token", "secret", "password", "passwd", "passphrase", "pwd", "api_key", "apikey", "api-key",
	"access_key", "accesskey", "private_key", "credential", "auth",
}

// Thresholds for high_entropy_secret values.
const (
	minSecretLen     = 24
	minSecretEntropy = 4.0
	maxKeyName       = 64
)

// findKeyValueSecrets finds generic secrets: a value of at least 24
// characters, with a digit, and a Shannon entropy of at least 4 bits per
// character, assigned (":", "=", ":=" or "=>") to a key whose name contains
// token, secret, password, api_key or similar ("DB_PASSWORD=...",
// "\"client_secret\": \"...\"", "Authorization: Bearer ...").
func findKeyValueSecrets(v *view, out []span) []span {
	s := v.lower
	for i := 0; i < len(s); i++ {
		if s[i] != ':' && s[i] != '=' {
			continue
		}
		at, ok := assignment(s, i)
		if !ok || !secretKey(keyBefore(s, i)) {
			continue
		}
		if a, b, ok := secretValue(v, at); ok {
			out = append(out, span{a, b})
			i = b - 1
		}
	}
	return out
}

// assignment reports whether s[i] (':' or '=') assigns, and where the
// value may start. "==", "!=", "<=" and ">=" compare; ":=" and "=>"
// assign.
func assignment(s string, i int) (int, bool) {
	if i > 0 && strings.IndexByte("=!<>:", s[i-1]) >= 0 {
		return 0, false
	}
	next := i + 1
	switch {
	case next < len(s) && s[i] == '=' && s[next] == '>', next < len(s) && s[i] == ':' && s[next] == '=':
		next++
	case next < len(s) && s[next] == '=':
		return 0, false
	}
	return next, true
}

// keyBefore returns the key name before the assignment at i, skipping
// quotes and spaces.
func keyBefore(s string, i int) string {
	j := i
	for j > 0 && strings.IndexByte("\"' \t", s[j-1]) >= 0 {
		j--
	}
	k := j
	for k > 0 && j-k < maxKeyName && (isAlnum(s[k-1]) || strings.IndexByte("_-.", s[k-1]) >= 0) {
		k--
	}
	return s[k:j]
}

func secretKey(key string) bool {
	if key == "" {
		return false
	}
	for _, n := range secretNames {
		if strings.Contains(key, n) {
			return true
		}
	}
	return false
}

// secretValue reads the value after an assignment (skipping quotes and an
// auth scheme) and reports whether it is a high-entropy secret.
func secretValue(v *view, j int) (int, int, bool) {
	s := v.lower
	j = skipAny(s, j, "\"'` \t")
	if strings.HasPrefix(s[j:], "bearer ") || strings.HasPrefix(s[j:], "basic ") {
		j = strings.IndexByte(s[j:], ' ') + j + 1
	}
	e := runEnd(v.s, j, isSecretChar)
	for e > j && (v.s[e-1] == '.' || v.s[e-1] == ',') {
		e--
	}
	val := v.s[j:e]
	if len(val) < minSecretLen || entropy(val) < minSecretEntropy || !strings.ContainsAny(val, digitSet) {
		return 0, 0, false
	}
	if e < len(v.s) && v.s[e] == '(' {
		return 0, 0, false // a call in code, not a value
	}
	return j, e, true
}

const digitSet = "0123456789"

func isSecretChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("+/=_-.~!@#$%^&*?", c) >= 0
}

// skipAny skips the bytes of set from s[j].
func skipAny(s string, j int, set string) int {
	for j < len(s) && strings.IndexByte(set, s[j]) >= 0 {
		j++
	}
	return j
}
