package llm

import (
	"fmt"
	"net/url"
	"strings"
)

// chatURL turns an API base URL such as http://127.0.0.1:8080/v1 into the
// chat-completions URL. Query parameters of the base URL are kept. Errors
// never repeat the endpoint text, which may carry credentials.
func chatURL(endpoint string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(endpoint))
	if err != nil {
		return nil, fmt.Errorf("%w: endpoint is not a URL", ErrInvalidConfig)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%w: endpoint scheme %q is not http or https", ErrInvalidConfig, u.Scheme)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%w: endpoint has no host", ErrInvalidConfig)
	}
	u.Fragment, u.RawFragment = "", ""
	return u.JoinPath("chat", "completions"), nil
}

// cleanAPIKey trims surrounding white space (a trailing newline is common in
// key files) and refuses keys that cannot be sent in an HTTP header.
func cleanAPIKey(key string) (string, error) {
	key = strings.TrimSpace(key)
	for i := range len(key) {
		if c := key[i]; c < 0x20 || c == 0x7f {
			return "", fmt.Errorf("%w: API key contains a control character", ErrInvalidConfig)
		}
	}
	return key, nil
}
