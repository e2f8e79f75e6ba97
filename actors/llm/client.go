package llm

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
)

// ChatMessage is one message of a chat: Role is "system", "user" or
// "assistant".
type ChatMessage struct {
	Role    string
	Content string
}

// ChatRequest is one chat-completions call. MaxTokens 0 leaves the limit to
// the server (max_tokens is omitted).
type ChatRequest struct {
	Model       string
	Messages    []ChatMessage
	Temperature float64
	MaxTokens   int
}

// ChatResponse is the first choice of a chat-completions answer. Model is
// the model the server reports, or the requested one when it reports none.
type ChatResponse struct {
	Content          string
	Model            string
	FinishReason     string
	PromptTokens     int
	CompletionTokens int
}

// Client calls an OpenAI-compatible chat-completions endpoint. It is safe
// for concurrent use. It keeps no conversation: every Chat call stands
// alone. The API key is sent only in the Authorization header and never
// appears in an error or in the client's printed form.
type Client struct {
	url    string
	shown  string // url with any password masked
	apiKey string
	http   *http.Client
}

// NewClient returns a client for the API base URL endpoint (such as
// http://127.0.0.1:8080/v1); requests go to <endpoint>/chat/completions.
// An empty apiKey sends no Authorization header. A nil httpClient means a
// client without its own timeout: bound each call with its context.
func NewClient(endpoint, apiKey string, httpClient *http.Client) (*Client, error) {
	u, err := chatURL(endpoint)
	if err != nil {
		return nil, err
	}
	key, err := cleanAPIKey(apiKey)
	if err != nil {
		return nil, err
	}
	if httpClient == nil {
		httpClient = &http.Client{}
	}
	return &Client{url: u.String(), shown: u.Redacted(), apiKey: key, http: httpClient}, nil
}

// Chat sends req and returns the first choice. A non-2xx answer is a
// *StatusError (ErrHTTPStatus); an answer that is not chat-completions JSON
// is ErrMalformedResponse; one without content is ErrEmptyResponse. When ctx
// ends first, the error wraps ctx's error (context.DeadlineExceeded or
// context.Canceled).
func (c *Client) Chat(ctx context.Context, req ChatRequest) (ChatResponse, error) {
	resp, err := c.chat(ctx, req)
	if err != nil {
		return ChatResponse{}, c.scrubError(err)
	}
	return c.scrubResponse(resp), nil
}

// chat makes the call; Chat scrubs what it returns.
func (c *Client) chat(ctx context.Context, req ChatRequest) (ChatResponse, error) {
	if len(req.Messages) == 0 || req.MaxTokens < 0 {
		return ChatResponse{}, fmt.Errorf("%w: need at least one message and MaxTokens >= 0", ErrInvalidRequest)
	}
	body, err := encodeRequest(req)
	if err != nil {
		return ChatResponse{}, err
	}
	resp, err := c.post(ctx, body)
	if err != nil {
		return ChatResponse{}, err
	}
	defer closeBody(resp.Body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return ChatResponse{}, statusError(resp.StatusCode, resp.Body, c.apiKey)
	}
	return decodeResponse(resp.Body, req.Model)
}

// post sends the encoded request. Transport errors name the URL (without
// any password) but never the headers.
func (c *Client) post(ctx context.Context, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("llm: build chat request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("llm: chat request: %w", err)
	}
	return resp, nil
}

// closeBody drains a little of what is left so the connection can be
// reused, then closes the body.
func closeBody(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

// String describes the client by its URL only, with any password masked.
func (c *Client) String() string { return "llm.Client(" + c.shown + ")" }

// Format prints the client as String does, whatever the verb, so that
// printing a Client never shows its API key (IA-2.6).
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }
