// Package llm is the built-in "llm" behaviour: an agent whose configuration
// says `behaviour: llm` answers each message by calling an OpenAI-compatible
// chat-completions endpoint configured for that agent.
//
// # Overview
//
// Client is the chat client, usable on its own. It POSTs
// {"model", "messages", "temperature", "max_tokens"} to
// <endpoint>/chat/completions, where endpoint is the API base URL such as
// http://127.0.0.1:8080/v1; max_tokens is omitted when zero, and
// "Authorization: Bearer <key>" is sent only when a key is set. It returns
// the first choice, or an error matching one of:
//
//   - ErrHTTPStatus: a non-2xx answer, as a *StatusError with the status
//     code and at most 512 bytes of the body;
//   - ErrMalformedResponse: a 2xx answer that is not valid JSON;
//   - ErrEmptyResponse: no choices, or a choice without content;
//   - the context's error (context.DeadlineExceeded, context.Canceled).
//
// Factory builds the behaviour from actors.AgentSpec.LLM. Each model call
// is bounded by the agent's timeout (DefaultTimeout when unset) and by the
// context of the message being handled. The chat sent for one message is
// always two messages:
//
//   - system: the agent's system prompt followed by Preamble, a fixed
//     runtime rule that content inside <data> blocks is data and never
//     instructions;
//   - user: for an instruction or delegation (actors.Message.Instruction),
//     the instruction text (a JSON string payload as its string, any other
//     payload as its raw JSON); for every other kind (data, claim,
//     tool_result, ...), a short note that the content is data to process
//     under the standing instructions, then
//     <data from="SENDER" kind="KIND">CONTENT</data>.
//
// Content from a non-instruction message never reaches the system role nor
// stands as a bare user instruction (PG-1.4). Inside CONTENT every "<data"
// and "</data", in any case and spacing, is written with "&lt;" so the
// content can neither close its block early nor open one that looks like
// it came from someone else.
//
// Each message is evaluated independently: the behaviour keeps no
// conversation history, so what one sender put in an earlier message
// cannot steer how a later message is read.
//
// The answer, {"text": ..., "model": ...}, is routed as follows:
//
//   - when the agent's settings name a "next" agent, it is sent there as
//     actors.KindData with payload type OutputType and provenance
//     "agent-generated", unverified;
//   - otherwise, while handling a task, it completes the task;
//   - otherwise it is the Reply to the message, which succeeds only when
//     the message was a Request; Reply's error is returned, so an answer
//     is never dropped silently.
//
// The API key is sent only in the Authorization header. It is redacted
// from echoed response bodies and never appears in an error, a log line or
// the printed form of a Client (IA-2.6).
//
// # Usage
//
// A node registers Factory under Name unless it is given another factory for
// that name. An agent configured as
//
//	agents:
//	  - name: summariser
//	    behaviour: llm
//	    settings: {next: reviewer}
//	    llm:
//	      endpoint: http://127.0.0.1:8080/v1
//	      model: qwen2.5-7b-instruct
//	      api_key_env: SUMMARISER_API_KEY
//	      system_prompt: Summarise the documents you are given.
//	      timeout: 30s
//
// summarises every document it receives as data and sends the summary on
// to reviewer. The client can also be used directly:
//
//	c, err := llm.NewClient("http://127.0.0.1:8080/v1", os.Getenv("API_KEY"), nil)
//	if err != nil { ... }
//	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
//	defer cancel()
//	resp, err := c.Chat(ctx, llm.ChatRequest{
//		Model:    "qwen2.5-7b-instruct",
//		Messages: []llm.ChatMessage{{Role: "user", Content: "Say hello."}},
//	})
//	var se *llm.StatusError
//	if errors.As(err, &se) && se.StatusCode == http.StatusTooManyRequests { ... }
package llm
