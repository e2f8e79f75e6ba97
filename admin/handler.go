package admin

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"path"
	"strings"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/node"
)

// DefaultMaxBodyBytes is the request body limit when Config.MaxBodyBytes is 0.
const DefaultMaxBodyBytes = 2 << 20

// Runtime is what the API needs from a node (*node.Node implements it).
type Runtime interface {
	Health() node.Health
	Agents() []node.AgentInfo
	Agent(name string) (node.AgentInfo, bool)
	Submit(ctx context.Context, to string, payload json.RawMessage) (string, error)
	Task(id string) (actors.TaskView, bool)
	VerifyAudit() (audit.Report, error)
}

// Config configures the admin API handler.
type Config struct {
	// Runtime is the node the API serves. Required: without it every
	// request gets 503.
	Runtime Runtime
	// Auth maps bearer tokens to roles. Required: without it every
	// request gets 401.
	Auth Authenticator
	// Logger receives one line per request and handler failures;
	// default slog.Default().
	Logger *slog.Logger
	// MaxBodyBytes caps request bodies; default DefaultMaxBodyBytes (2 MiB).
	MaxBodyBytes int64
}

// api holds the handlers' dependencies.
type api struct {
	rt      Runtime
	auth    Authenticator
	log     *slog.Logger
	maxBody int64
}

// route is one endpoint and the least role it needs.
type route struct {
	method  string
	pattern string
	min     Role
	serve   func(*api, http.ResponseWriter, *http.Request)
}

var routes = []route{
	{http.MethodGet, "/v1/health", Viewer, (*api).health},
	{http.MethodGet, "/v1/agents", Viewer, (*api).agents},
	{http.MethodGet, "/v1/agents/{name}", Viewer, (*api).agent},
	{http.MethodPost, "/v1/tasks", Operator, (*api).submit},
	{http.MethodGet, "/v1/tasks/{id}", Viewer, (*api).task},
	{http.MethodGet, "/v1/audit/verify", Viewer, (*api).verifyAudit},
}

// NewHandler returns the admin API handler.
func NewHandler(c Config) http.Handler {
	a := &api{rt: c.Runtime, auth: c.Auth, log: c.Logger, maxBody: c.MaxBodyBytes}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.maxBody <= 0 {
		a.maxBody = DefaultMaxBodyBytes
	}
	mux := http.NewServeMux()
	allowed := map[string][]string{}
	for _, rt := range routes {
		mux.Handle(rt.method+" "+rt.pattern, a.authorize(rt.min, a.bind(rt.serve)))
		allowed[rt.pattern] = append(allowed[rt.pattern], rt.method)
	}
	for pattern, methods := range allowed {
		mux.Handle(pattern, a.authorize(Viewer, methodNotAllowed(methods)))
	}
	mux.Handle("/", a.authorize(Viewer, http.HandlerFunc(notFound)))
	return a.logRequests(a.recoverPanics(cleanPaths(mux)))
}

// bind turns a route's method expression into a handler; without a
// runtime it answers 503.
func (a *api) bind(f func(*api, http.ResponseWriter, *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.rt == nil {
			writeError(w, http.StatusServiceUnavailable, "admin API has no runtime configured")
			return
		}
		f(a, w, r)
	})
}

// methodNotAllowed answers 405 naming the methods the path accepts.
func methodNotAllowed(methods []string) http.Handler {
	allow := strings.Join(methods, ", ")
	if strings.Contains(allow, http.MethodGet) {
		allow += ", " + http.MethodHead
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed on "+r.URL.Path+" (allowed: "+allow+")")
	})
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
}

// cleanPaths answers 404 for paths ServeMux would redirect (such as
// "/v1//health"), so that no response is ever an HTML redirect.
func cleanPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		clean := path.Clean(p)
		if strings.HasSuffix(p, "/") && clean != "/" {
			clean += "/"
		}
		if p == "" || clean != p {
			notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
