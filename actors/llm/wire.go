package llm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// maxResponseBody bounds the size of a chat-completions answer.
const maxResponseBody = 16 << 20

// maxErrorBody is how much of a non-2xx response body a StatusError keeps.
const maxErrorBody = 512

// errorBodyRead is how much of a non-2xx body is read before redaction.
const errorBodyRead = 8 << 10

type wireMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type wireRequest struct {
	Model       string        `json:"model"`
	Messages    []wireMessage `json:"messages"`
	Temperature float64       `json:"temperature"`
	MaxTokens   int           `json:"max_tokens,omitempty"`
}

type wireChoice struct {
	Message struct {
		Content *string `json:"content"`
	} `json:"message"`
	FinishReason string `json:"finish_reason"`
}

type wireResponse struct {
	Model   string       `json:"model"`
	Choices []wireChoice `json:"choices"`
	Usage   struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
}

// encodeRequest renders req as the JSON body of a chat-completions call.
// HTML escaping is off so that <data> blocks travel as written.
func encodeRequest(req ChatRequest) ([]byte, error) {
	w := wireRequest{Model: req.Model, Temperature: req.Temperature, MaxTokens: req.MaxTokens}
	w.Messages = make([]wireMessage, len(req.Messages))
	for i, m := range req.Messages {
		w.Messages[i] = wireMessage(m)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(w); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	return buf.Bytes(), nil
}

// decodeResponse reads a 2xx chat-completions answer.
func decodeResponse(body io.Reader, model string) (ChatResponse, error) {
	var w wireResponse
	if err := json.NewDecoder(io.LimitReader(body, maxResponseBody)).Decode(&w); err != nil {
		return ChatResponse{}, fmt.Errorf("%w: %w", ErrMalformedResponse, err)
	}
	if len(w.Choices) == 0 {
		return ChatResponse{}, fmt.Errorf("%w: no choices", ErrEmptyResponse)
	}
	c := w.Choices[0]
	if c.Message.Content == nil || strings.TrimSpace(*c.Message.Content) == "" {
		return ChatResponse{}, fmt.Errorf("%w: no content (finish reason %q)", ErrEmptyResponse, c.FinishReason)
	}
	if w.Model != "" {
		model = w.Model
	}
	return ChatResponse{
		Content:          *c.Message.Content,
		Model:            model,
		FinishReason:     c.FinishReason,
		PromptTokens:     w.Usage.PromptTokens,
		CompletionTokens: w.Usage.CompletionTokens,
	}, nil
}

// statusError builds the error for a non-2xx answer. The key is redacted
// before the body is cut to maxErrorBody, so a key straddling the cut is
// still found.
func statusError(code int, body io.Reader, apiKey string) error {
	b, _ := io.ReadAll(io.LimitReader(body, errorBodyRead))
	s := redact(string(b), apiKey, len(b) == errorBodyRead)
	if len(s) > maxErrorBody {
		s = s[:maxErrorBody]
	}
	return &StatusError{StatusCode: code, Body: s}
}
