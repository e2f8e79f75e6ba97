package mcp

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"sync"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// maxStderrLine bounds one logged line of a stdio server's stderr.
const maxStderrLine = 1024

// transport returns a fresh SDK transport for s.
func (r *Registry) transport(s Server) sdk.Transport {
	if s.URL != "" {
		return &sdk.StreamableClientTransport{Endpoint: s.URL, HTTPClient: r.http}
	}
	// Not CommandContext: the child lives as long as the session, not as
	// long as the call that happened to start it.
	cmd := exec.Command(s.Command[0], s.Command[1:]...)
	cmd.Env = []string{}
	if p, ok := os.LookupEnv("PATH"); ok {
		cmd.Env = append(cmd.Env, "PATH="+p)
	}
	cmd.Stderr = &stderrLog{log: r.log, server: s.Name}
	return &sdk.CommandTransport{Command: cmd}
}

// newHTTPClient returns the client used for every streamable-HTTP server:
// its own connection pool, and no redirect away from the allow-listed
// origin (SC-2.3).
func newHTTPClient() *http.Client {
	tr, ok := http.DefaultTransport.(*http.Transport)
	if ok {
		tr = tr.Clone()
	} else {
		tr = &http.Transport{Proxy: http.ProxyFromEnvironment}
	}
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if !sameOrigin(req.URL, via[0].URL) {
				return fmt.Errorf("%w: redirect from %s to %s", ErrNotAllowed, via[0].URL.Redacted(), req.URL.Redacted())
			}
			if len(via) >= 5 {
				return fmt.Errorf("%w: too many redirects from %s", ErrUnavailable, via[0].URL.Redacted())
			}
			return nil
		},
	}
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Host == b.Host
}

// stderrLog writes a stdio server's stderr to the log, one record per
// line, each cut to maxStderrLine bytes.
type stderrLog struct {
	log    *slog.Logger
	server string
	mu     sync.Mutex
	buf    []byte
}

func (w *stderrLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.emit(w.buf[:i])
		w.buf = w.buf[i+1:]
	}
	if len(w.buf) > maxStderrLine {
		w.emit(w.buf)
		w.buf = w.buf[:0]
	}
	return len(p), nil
}

func (w *stderrLog) emit(line []byte) {
	if len(line) > maxStderrLine {
		line = line[:maxStderrLine]
	}
	w.log.LogAttrs(context.Background(), slog.LevelDebug, "mcp: server stderr",
		slog.String("server", w.server), slog.String("line", string(line)))
}
