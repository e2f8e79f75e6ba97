package admin

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/maso-runtime/maso/supervisor"
)

// reqInfo is what the request log learns from the inner handlers.
type reqInfo struct {
	role Role
}

type reqInfoKey struct{}

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request: method, path, status, duration
// and the caller's role. Neither the token nor the query string is logged.
func (a *api) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &reqInfo{}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, info)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Duration("duration", time.Since(start)),
			slog.String("remote", r.RemoteAddr)}
		if info.role != 0 {
			attrs = append(attrs, slog.String("role", info.role.String()))
		}
		a.log.LogAttrs(r.Context(), level, "admin request", attrs...)
	})
}

// recoverPanics turns a panicking handler into a logged 500.
func (a *api) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw, _ := w.(*statusWriter)
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			a.log.Error("admin handler panicked", "method", r.Method, "path", r.URL.Path,
				"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if sw == nil || sw.status == 0 {
				writeError(w, http.StatusInternalServerError, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// authorize admits requests whose bearer token maps to min or a higher
// role, and hands the caller (and the route's action) to the handler.
func (a *api) authorize(min Role, action string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		role, ok := a.authenticate(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeError(w, http.StatusUnauthorized, "missing or invalid bearer token")
			return
		}
		if info, _ := r.Context().Value(reqInfoKey{}).(*reqInfo); info != nil {
			info.role = role
		}
		if role < min {
			writeJSON(w, http.StatusForbidden, errorBody{
				Error:        fmt.Sprintf("role %s may not %s %s", role, r.Method, r.URL.Path),
				RequiredRole: min.String(),
			})
			return
		}
		c := caller{actor: supervisor.Actor{Name: actorName(role), Role: role}, min: min, action: action}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	})
}

// caller is who makes an authorised request, with the least role and the
// action of its route.
type caller struct {
	actor  supervisor.Actor
	min    Role
	action string
}

type callerKey struct{}

// callerOf returns the caller that authorize admitted.
func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}

// actorName names a caller in phase records, approvals and the decision
// log. Authenticators map a token to a role only, so the name is the
// role's; the token itself is never used.
func actorName(role Role) string { return "token:" + role.String() }

// authenticate reads "Authorization: Bearer <token>" and asks the
// Authenticator; without one, no one is authenticated.
func (a *api) authenticate(r *http.Request) (Role, bool) {
	if a.auth == nil {
		return 0, false
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return 0, false
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return 0, false
	}
	return a.auth.Authenticate(token)
}
