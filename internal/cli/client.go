package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
)

// Defaults of the connection.
const (
	DefaultAddr      = "http://127.0.0.1:7480"
	DefaultTokenFile = "./maso-data/admin.token"
	maxResponseBytes = 64 << 20
)

// client calls the admin API.
type client struct {
	hc          *http.Client
	base        string // scheme://host[:port][/path], no trailing slash
	token       string
	tokenSource string
	a           *app
}

// client returns an API client for the resolved address and token.
func (a *app) client() (*client, error) {
	base, err := resolveAddr(a.g.addr, a.env)
	if err != nil {
		return nil, err
	}
	tok, src, err := a.token()
	if err != nil {
		return nil, err
	}
	if a.hc == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 64
		a.hc = &http.Client{Transport: t}
	}
	return &client{hc: a.hc, base: base, token: tok, tokenSource: src, a: a}, nil
}

// resolveAddr picks the address (flag, else $MASO_ADDR, else the default)
// and turns host:port into a URL.
func resolveAddr(flagValue string, env func(string) string) (string, error) {
	s, from := flagValue, "--addr"
	if s == "" {
		s, from = env("MASO_ADDR"), "MASO_ADDR"
	}
	if s == "" {
		return DefaultAddr, nil
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", usageError("%s %q is not an admin API address (want http://host:port or host:port)", from, s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// token finds the bearer token: --token-file, else $MASO_TOKEN, else the
// default token file if it exists. It also says where it came from.
func (a *app) token() (token, source string, err error) {
	if a.g.tokenFile != "" {
		return readToken(a.g.tokenFile, "--token-file "+a.g.tokenFile)
	}
	if t := strings.TrimSpace(a.env("MASO_TOKEN")); t != "" {
		return t, "MASO_TOKEN", nil
	}
	tok, src, err := readToken(DefaultTokenFile, DefaultTokenFile)
	if errors.Is(err, fs.ErrNotExist) {
		return "", "nowhere (no --token-file, MASO_TOKEN or " + DefaultTokenFile + ")", nil
	}
	return tok, src, err
}

func readToken(path, source string) (string, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("masoctl: read token: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", "", fmt.Errorf("masoctl: token file %s is empty", path)
	}
	return tok, source, nil
}

// do sends one request and returns the body of a 2xx response; any other
// status is an *apiError carrying the API's message.
func (c *client) do(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.a.g.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("masoctl: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, c.transportError(method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, maxResponseBytes))
	if err != nil {
		return nil, fmt.Errorf("masoctl: %s %s: reading the response: %w", method, path, err)
	}
	if res.StatusCode/100 != 2 {
		return nil, c.statusError(res.StatusCode, raw)
	}
	return raw, nil
}

func (c *client) transportError(method, path string, err error) error {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("%w at %s (connection refused): start it with `masod` (or `make run`), or point --addr or MASO_ADDR at a running node",
			ErrUnreachable, c.base)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("masoctl: %s %s%s: no answer within %v (--timeout): %w", method, c.base, path, c.a.g.timeout, err)
	}
	return fmt.Errorf("masoctl: %s %s%s: %w", method, c.base, path, err)
}

func (c *client) statusError(status int, raw []byte) error {
	var body struct {
		Error        string `json:"error"`
		RequiredRole string `json:"required_role"`
	}
	if json.Unmarshal(raw, &body) != nil || body.Error == "" {
		body.Error = strings.TrimSpace(string(raw))
		if body.Error == "" || len(body.Error) > 200 {
			body.Error = "unexpected response"
		}
	}
	return &apiError{status: status, msg: body.Error, requiredRole: body.RequiredRole, tokenSource: c.tokenSource}
}

// getJSON GETs path, decodes the body into v and returns the raw body.
func (c *client) getJSON(ctx context.Context, path string, v any) ([]byte, error) {
	raw, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, fmt.Errorf("masoctl: GET %s: the response is not the expected JSON: %w", path, err)
	}
	return raw, nil
}

// postJSON POSTs v as JSON to path, decodes the answer into out and
// returns the raw answer.
func (c *client) postJSON(ctx context.Context, path string, v, out any) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("masoctl: %w", err)
	}
	raw, err := c.do(ctx, http.MethodPost, path, body)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, fmt.Errorf("masoctl: POST %s: the response is not the expected JSON: %w", path, err)
	}
	return raw, nil
}

// printRaw writes a JSON response as it came, ending in a newline.
// show GETs path and decodes the answer into v. With --json it prints the
// answer as it came and reports printed, so the caller has nothing left
// to do; otherwise the caller formats v.
func (a *app) show(ctx context.Context, path string, v any) (printed bool, err error) {
	c, err := a.client()
	if err != nil {
		return false, err
	}
	raw, err := c.getJSON(ctx, path, v)
	if err != nil {
		return false, err
	}
	if a.g.json {
		a.printRaw(raw)
		return true, nil
	}
	return false, nil
}

func (a *app) printRaw(raw []byte) {
	a.stdout.Write(raw)
	if len(raw) == 0 || raw[len(raw)-1] != '\n' {
		fmt.Fprintln(a.stdout)
	}
}

// writeJSONTo encodes v as one line of JSON.
func writeJSONTo(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("masoctl: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
