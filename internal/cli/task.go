package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/maso-runtime/maso/actors"
)

// maxPayloadRead bounds a payload read from a file or standard input.
const maxPayloadRead = 16 << 20

// submitFlags are the flags of "task submit".
type submitFlags struct {
	to          string
	payload     string
	file        string
	wait        bool
	waitTimeout time.Duration
}

func (a *app) taskSubmit(fs *flag.FlagSet) action {
	var f submitFlags
	fs.StringVar(&f.to, "to", "", "the workflow or entry `agent` the task is for (required)")
	fs.StringVar(&f.payload, "payload", "", "the task payload, a JSON object")
	fs.StringVar(&f.file, "file", "", "read the payload from `file` (- for standard input; a lone - argument does the same)")
	fs.BoolVar(&f.wait, "wait", false, "wait for the task to finish and show its trail and result; exit 1 unless it completed")
	fs.DurationVar(&f.waitTimeout, "wait-timeout", time.Minute, "how long --wait waits")
	return func(ctx context.Context, args []string) error {
		payload, err := a.readPayload(f, args)
		if err != nil {
			return err
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		id, raw, err := c.submit(ctx, f.to, payload)
		if err != nil {
			return err
		}
		if !f.wait {
			if a.g.json {
				a.printRaw(raw)
			} else {
				fmt.Fprintln(a.stdout, id)
			}
			return nil
		}
		if !a.g.json {
			fmt.Fprintf(a.stdout, "submitted task %s\n", id)
		}
		return a.watch(ctx, c, id, f.waitTimeout)
	}
}

// submit posts a task and returns its id and the raw response.
func (c *client) submit(ctx context.Context, to string, payload json.RawMessage) (string, []byte, error) {
	body, err := json.Marshal(struct {
		To      string          `json:"to"`
		Payload json.RawMessage `json:"payload"`
	}{to, payload})
	if err != nil {
		return "", nil, fmt.Errorf("masoctl: %w", err)
	}
	raw, err := c.do(ctx, http.MethodPost, "/v1/tasks", body)
	if err != nil {
		return "", nil, err
	}
	var out struct {
		TaskID string `json:"task_id"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.TaskID == "" {
		return "", nil, fmt.Errorf("masoctl: the API accepted the task but named no task id: %s", raw)
	}
	return out.TaskID, raw, nil
}

// readPayload takes the payload from exactly one of --payload, --file or
// a lone "-" argument, and checks it is JSON.
func (a *app) readPayload(f submitFlags, args []string) (json.RawMessage, error) {
	if f.to == "" {
		return nil, usageError("task submit needs --to AGENT (the workflow or its entry agent, e.g. intake)")
	}
	if f.waitTimeout <= 0 {
		return nil, usageError("--wait-timeout must be greater than 0, got %v", f.waitTimeout)
	}
	data, err := a.payloadBytes(f, args)
	if err != nil {
		return nil, err
	}
	if err := checkJSON(data); err != nil {
		return nil, usageError("the payload is not valid JSON: %v", err)
	}
	return bytes.TrimSpace(data), nil
}

// payloadBytes reads the payload from its one source.
func (a *app) payloadBytes(f submitFlags, args []string) ([]byte, error) {
	file := f.file
	sources := 0
	if len(args) == 1 && args[0] == "-" {
		args, file = nil, "-"
		sources++
	}
	if err := wantArgs(args); err != nil {
		return nil, err
	}
	if f.payload != "" {
		sources++
	}
	if f.file != "" {
		sources++
	}
	if sources != 1 {
		return nil, usageError("give the payload with exactly one of --payload JSON, --file FILE or - (standard input)")
	}
	var data []byte
	var err error
	switch {
	case f.payload != "":
		data = []byte(f.payload)
	case file == "-":
		data, err = io.ReadAll(io.LimitReader(a.stdin, maxPayloadRead))
	default:
		data, err = readLimited(file)
	}
	if err != nil {
		return nil, fmt.Errorf("masoctl: read payload: %w", err)
	}
	return data, nil
}

// checkJSON checks that data is exactly one JSON value, naming the byte
// offset of a problem.
func checkJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v json.RawMessage
	err := dec.Decode(&v)
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return errors.New("it is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("it ends early, at byte offset %d", len(data))
	case errors.As(err, &syn):
		return fmt.Errorf("%v at byte offset %d", err, syn.Offset)
	case err != nil:
		return err
	}
	if rest := bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return fmt.Errorf("unexpected data after the value at byte offset %d", len(data)-len(rest))
	}
	return nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxPayloadRead))
}

func (a *app) taskGet(fs *flag.FlagSet) action {
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args, "task ID"); err != nil {
			return err
		}
		var v actors.TaskView
		if printed, err := a.show(ctx, taskPath(args[0]), &v); printed || err != nil {
			return err
		}
		a.printTask(v)
		return nil
	}
}

func (a *app) taskWatch(fs *flag.FlagSet) action {
	timeout := fs.Duration("wait-timeout", time.Minute, "how long to wait")
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args, "task ID"); err != nil {
			return err
		}
		if *timeout <= 0 {
			return usageError("--wait-timeout must be greater than 0, got %v", *timeout)
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		return a.watch(ctx, c, args[0], *timeout)
	}
}

// watch waits for the task to finish and prints it; the error is
// ErrFailed unless it completed.
func (a *app) watch(ctx context.Context, c *client, id string, timeout time.Duration) error {
	v, raw, err := waitTask(ctx, c, id, timeout)
	if err != nil {
		return err
	}
	if a.g.json {
		a.printRaw(raw)
	} else {
		a.printTask(v)
	}
	if v.State != actors.TaskCompleted {
		return fmt.Errorf("%w: task %s %s", ErrFailed, id, v.State)
	}
	return nil
}

// waitTask polls the task until it reaches a final state or timeout
// passes, backing off from 50ms to 1s between polls.
func waitTask(ctx context.Context, c *client, id string, timeout time.Duration) (actors.TaskView, []byte, error) {
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	interval := 50 * time.Millisecond
	var v actors.TaskView
	for {
		raw, err := c.getJSON(wctx, taskPath(id), &v)
		switch {
		case err == nil && v.State.Terminal():
			return v, raw, nil
		case err != nil && wctx.Err() == nil:
			return v, nil, err
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return v, nil, fmt.Errorf("masoctl: waiting for task %s: %w", id, ctx.Err())
			}
			return v, nil, fmt.Errorf("masoctl: task %s is still %s after %v; run 'masoctl task watch %s' to keep waiting",
				id, orUnknown(v.State), timeout, id)
		case <-time.After(interval):
		}
		interval = min(2*interval, time.Second)
	}
}

func orUnknown(s actors.TaskState) actors.TaskState {
	if s == "" {
		return "unknown"
	}
	return s
}

func taskPath(id string) string { return "/v1/tasks/" + url.PathEscape(id) }
