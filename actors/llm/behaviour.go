package llm

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/maso-runtime/maso/actors"
)

// Name is the behaviour name agents give in their configuration.
const Name = "llm"

// DefaultTimeout bounds one model call when the agent sets no timeout.
const DefaultTimeout = 60 * time.Second

// OutputType is the payload type of results sent to the next agent.
const OutputType = "llm.output"

// behaviour is the llm behaviour of one agent.
type behaviour struct {
	client      *Client
	system      string
	model       string
	temperature float64
	maxTokens   int
	timeout     time.Duration
	next        string
}

// Factory is the actors.BehaviourFactory for "llm". It fails when spec.LLM
// is nil, its endpoint is not an http(s) URL or its API key cannot be sent
// in a header.
func Factory(spec actors.AgentSpec) (actors.Behaviour, error) {
	l := spec.LLM
	if l == nil {
		return nil, fmt.Errorf("%w: agent %q has no llm settings", ErrInvalidConfig, spec.Name)
	}
	c, err := NewClient(l.Endpoint, l.APIKey, &http.Client{})
	if err != nil {
		return nil, fmt.Errorf("agent %q: %w", spec.Name, err)
	}
	b := &behaviour{
		client: c, system: withCanary(systemPrompt(l.SystemPrompt), spec.Canary), model: l.Model,
		temperature: l.Temperature, maxTokens: l.MaxTokens,
		timeout: l.Timeout, next: strings.TrimSpace(spec.Settings["next"]),
	}
	if b.timeout <= 0 {
		b.timeout = DefaultTimeout
	}
	return b, nil
}

// Receive asks the model about one message and routes the answer. Each
// message is evaluated on its own: no conversation history is kept.
func (b *behaviour) Receive(ctx actors.Context, msg actors.Message) error {
	messages, err := buildMessages(b.system, msg)
	if err != nil {
		return err
	}
	resp, err := b.chat(ctx, messages)
	if err != nil {
		return err
	}
	ctx.Logger().Debug("llm: model answered", "model", resp.Model, "finish_reason", resp.FinishReason,
		"prompt_tokens", resp.PromptTokens, "completion_tokens", resp.CompletionTokens)
	return b.deliver(ctx, msg, map[string]string{"text": resp.Content, "model": resp.Model})
}

// chat makes one model call bounded by the agent's timeout and ctx.Ctx().
func (b *behaviour) chat(ctx actors.Context, messages []ChatMessage) (ChatResponse, error) {
	cctx, cancel := context.WithTimeout(ctx.Ctx(), b.timeout)
	defer cancel()
	return b.client.Chat(cctx, ChatRequest{
		Model: b.model, Messages: messages, Temperature: b.temperature, MaxTokens: b.maxTokens,
	})
}
