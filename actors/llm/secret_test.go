package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
)

// keyLeaks reports whether s holds any six consecutive characters of the
// distinctive part of the test key.
func keyLeaks(s string) bool {
	secret := strings.TrimPrefix(testKey, "sk-test-")
	for i := 0; i+6 <= len(secret); i++ {
		if strings.Contains(s, secret[i:i+6]) {
			return true
		}
	}
	return false
}

// echoAuth answers with status code and a body that repeats the request's
// Authorization header, as some proxies do.
func echoAuth(code int, prefix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(code)
		_, _ = fmt.Fprintf(w, "%s{\"error\":\"bad header %s\"}", prefix, r.Header.Get("Authorization"))
	}
}

func TestAPIKeyNeverInErrors(t *testing.T) {
	closed := newFakeLLM(t, nil)
	closedURL := closed.endpoint()
	closed.srv.Close()
	cases := map[string]struct {
		endpoint func() string
		ctx      func() (context.Context, context.CancelFunc)
		want     error
	}{
		"echoed in 401 body": {
			endpoint: newFakeLLM(t, echoAuth(http.StatusUnauthorized, "")).endpoint,
			want:     ErrHTTPStatus,
		},
		"straddling the 512-byte cut": {
			// The key starts at byte 494 of the body: 467 + len(`{"error":"bad header Bearer `).
			endpoint: newFakeLLM(t, echoAuth(http.StatusForbidden, strings.Repeat("x", 467))).endpoint,
			want:     ErrHTTPStatus,
		},
		"echoed in a malformed body": {
			endpoint: newFakeLLM(t, echoAuth(http.StatusOK, "oops ")).endpoint,
			want:     ErrMalformedResponse,
		},
		"echoed as finish reason": {
			endpoint: newFakeLLM(t, func(w http.ResponseWriter, r *http.Request) {
				_, _ = fmt.Fprintf(w, `{"choices":[{"message":{"content":""},"finish_reason":%q}]}`, r.Header.Get("Authorization"))
			}).endpoint,
			want: ErrEmptyResponse,
		},
		"connection refused": {endpoint: func() string { return closedURL }},
		"timeout": {
			endpoint: newFakeLLM(t, slowHandler).endpoint,
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(t.Context(), 50*time.Millisecond)
			},
			want: context.DeadlineExceeded,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := t.Context(), context.CancelFunc(func() {})
			if tc.ctx != nil {
				ctx, cancel = tc.ctx()
			}
			defer cancel()
			_, err := newTestClient(t, tc.endpoint(), testKey).Chat(ctx, hello())
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if keyLeaks(err.Error()) || keyLeaks(fmt.Sprintf("%+v %#v", err, err)) {
				t.Errorf("error leaks the API key: %v", err)
			}
		})
	}
}

func TestStatusErrorBodyIsRedacted(t *testing.T) {
	f := newFakeLLM(t, echoAuth(http.StatusUnauthorized, ""))
	_, err := newTestClient(t, f.endpoint(), testKey).Chat(t.Context(), hello())
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusUnauthorized {
		t.Fatalf("err = %v, want a 401 *StatusError", err)
	}
	if want := `{"error":"bad header Bearer [redacted]"}`; se.Body != want {
		t.Errorf("body = %q, want %q", se.Body, want)
	}
}

func TestAnswerEchoingKeyIsRedacted(t *testing.T) {
	f := newFakeLLM(t, func(w http.ResponseWriter, r *http.Request) {
		writeCompletion(w, r.Header.Get("Authorization"), "your header was "+r.Header.Get("Authorization"))
	})
	resp, err := newTestClient(t, f.endpoint(), testKey).Chat(t.Context(), hello())
	if err != nil {
		t.Fatal(err)
	}
	if keyLeaks(fmt.Sprint(resp)) || resp.Content != "your header was Bearer [redacted]" {
		t.Errorf("response = %+v, want the key redacted", resp)
	}
}

func TestRedactDropsCutKey(t *testing.T) {
	for _, tc := range []struct {
		in   string
		cut  bool
		want string
	}{
		{"a " + testKey + " b", false, "a [redacted] b"},
		{"a " + testKey[:6], true, "a "},
		{"a " + testKey[:6], false, "a " + testKey[:6]},
		{testKey[:3], true, ""},
		{"plain", true, "plain"},
	} {
		if got := redact(tc.in, testKey, tc.cut); got != tc.want {
			t.Errorf("redact(%q, cut=%v) = %q, want %q", tc.in, tc.cut, got, tc.want)
		}
	}
}

func TestClientPrintsWithoutKey(t *testing.T) {
	c := newTestClient(t, "http://user:secret-pw@127.0.0.1:1/v1", testKey)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		s := fmt.Sprintf(verb, c)
		if keyLeaks(s) || strings.Contains(s, "secret-pw") {
			t.Errorf("Sprintf(%s, client) = %q leaks a secret", verb, s)
		}
	}
}

func TestBehaviourLogsAndErrorsWithoutKey(t *testing.T) {
	ok := newFakeLLM(t, nil)
	failing := newFakeLLM(t, echoAuth(http.StatusUnauthorized, ""))
	ctx := newFakeContext(t)
	ctx.task = actors.Task{ID: "t-1"}
	msg := message(t, actors.KindInstruction, "orchestrator", "summarise")
	good := newTestBehaviour(t, ok, actors.LLMSpec{APIKey: testKey}, nil)
	if err := good.Receive(ctx, msg); err != nil {
		t.Fatalf("Receive: %v", err)
	}
	bad := newTestBehaviour(t, failing, actors.LLMSpec{APIKey: testKey}, nil)
	err := bad.Receive(ctx, msg)
	if !errors.Is(err, ErrHTTPStatus) || keyLeaks(err.Error()) {
		t.Errorf("err = %v, want ErrHTTPStatus without the key", err)
	}
	if ctx.logs.Len() == 0 {
		t.Fatal("nothing was logged; the check below would prove nothing")
	}
	if keyLeaks(ctx.logs.String()) || keyLeaks(fmt.Sprintf("%+v", good)) {
		t.Errorf("logs or printed behaviour leak the key:\n%s", ctx.logs)
	}
}
