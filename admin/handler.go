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
	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
)

// DefaultMaxBodyBytes is the request body limit when Config.MaxBodyBytes is 0.
const DefaultMaxBodyBytes = 2 << 20

// Runtime is what the API needs from a node (*node.Node implements it).
type Runtime interface {
	// Status and work.
	Health() node.Health
	Agents() []node.AgentInfo
	Agent(name string) (node.AgentInfo, bool)
	Submit(ctx context.Context, to string, payload json.RawMessage) (string, error)
	Task(id string) (actors.TaskView, bool)
	VerifyAudit() (audit.Report, error)

	// PACE: the phase, its changes, the kill switch and recovery. The
	// supervisor checks each transition's own authority.
	Phase(ctx context.Context) node.PhaseView
	SetPhase(ctx context.Context, to registry.Phase, reason, agent string, a supervisor.Actor) (registry.PhaseState, error)
	KillSwitch(ctx context.Context, reason string, a supervisor.Actor) (supervisor.KillResult, error)
	Recover(ctx context.Context, review registry.Review, a supervisor.Actor) (registry.PhaseState, error)

	// Human approvals of escalated actions (EC-1.1).
	Approvals(ctx context.Context, state registry.ApprovalState) ([]registry.Approval, error)
	Decide(ctx context.Context, id string, approve bool, reason string, a supervisor.Actor) (registry.Approval, error)

	// Per-agent actions and admin tokens.
	Isolate(ctx context.Context, agent, reason string, a supervisor.Actor) error
	Resume(ctx context.Context, agent, reason string, a supervisor.Actor) error
	Revoke(ctx context.Context, agent, reason string, a supervisor.Actor) error
	CreateToken(ctx context.Context, role supervisor.Role, name string, a supervisor.Actor) (string, error)

	// Scan is the guardrails' dry run (no side effects).
	Scan(text, channel, classification string) (node.ScanResult, error)
}

var _ Runtime = (*node.Node)(nil)

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

// route is one endpoint, the least role it needs and, for a change, what
// it does (for the messages of refused changes).
type route struct {
	method  string
	pattern string
	min     Role
	action  string
	serve   func(*api, http.ResponseWriter, *http.Request)
}

var routes = []route{
	{http.MethodGet, "/v1/health", Viewer, "", (*api).health},
	{http.MethodGet, "/v1/agents", Viewer, "", (*api).agents},
	{http.MethodGet, "/v1/agents/{name}", Viewer, "", (*api).agent},
	{http.MethodPost, "/v1/agents/{name}/isolate", supervisor.RoleIsolate, "isolation", agentAction(Runtime.Isolate)},
	{http.MethodPost, "/v1/agents/{name}/resume", supervisor.RoleResume, "resumption", agentAction(Runtime.Resume)},
	{http.MethodPost, "/v1/agents/{name}/revoke", supervisor.RoleRevoke, "revocation", agentAction(Runtime.Revoke)},
	{http.MethodPost, "/v1/tasks", Operator, "task submission", (*api).submit},
	{http.MethodGet, "/v1/tasks/{id}", Viewer, "", (*api).task},
	{http.MethodGet, "/v1/audit/verify", Viewer, "", (*api).verifyAudit},
	{http.MethodGet, "/v1/phase", Viewer, "", (*api).phase},
	{http.MethodPost, "/v1/phase", Operator, "phase change", (*api).setPhase},
	{http.MethodPost, "/v1/killswitch", CISO, "kill switch", (*api).killSwitch},
	{http.MethodPost, "/v1/recover", CISO, "recovery", (*api).recover},
	{http.MethodGet, "/v1/approvals", Viewer, "", (*api).approvals},
	{http.MethodPost, "/v1/approvals/{id}", Operator, "decision", (*api).decide},
	{http.MethodPost, "/v1/tokens", CISO, "token creation", (*api).createToken},
	{http.MethodPost, "/v1/scan", Viewer, "", (*api).scan},
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
		mux.Handle(rt.method+" "+rt.pattern, a.authorize(rt.min, rt.action, a.bind(rt.serve)))
		allowed[rt.pattern] = append(allowed[rt.pattern], rt.method)
	}
	for pattern, methods := range allowed {
		mux.Handle(pattern, a.authorize(Viewer, "", methodNotAllowed(methods)))
	}
	mux.Handle("/", a.authorize(Viewer, "", http.HandlerFunc(notFound)))
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
