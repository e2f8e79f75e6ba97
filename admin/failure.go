package admin

import (
	"errors"
	"net/http"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
)

// errorStatuses maps the control plane's errors to statuses, first match
// wins.
var errorStatuses = []struct {
	err    error
	status int
}{
	{supervisor.ErrBadTransition, http.StatusBadRequest},
	{supervisor.ErrReviewRequired, http.StatusBadRequest},
	{registry.ErrInvalid, http.StatusBadRequest},
	{registry.ErrNotFound, http.StatusNotFound},
	{actors.ErrUnknownRecipient, http.StatusNotFound},
	{registry.ErrConflict, http.StatusConflict},
	{registry.ErrAlreadyDecided, http.StatusConflict},
	{registry.ErrExpired, http.StatusConflict},
	{node.ErrNoControlPlane, http.StatusServiceUnavailable},
}

// unavailable explains a change etcd could not confirm: it was refused.
func unavailable(action string, err error) string {
	if action == "" {
		return "etcd quorum unavailable: " + err.Error()
	}
	return action + " refused, etcd quorum unavailable: " + err.Error()
}

// controlFailed answers an error of a control-plane call. A refusal for
// lack of authority is 403 naming the role needed: the one the supervisor
// names, else the route's. Work refused by the PACE phase is 409 naming the
// phase; a change etcd could not confirm is 503 saying it was refused.
// Anything not mapped is a logged 500.
func (a *api) controlFailed(w http.ResponseWriter, r *http.Request, err error) {
	var ae *supervisor.AuthorityError
	switch {
	case errors.As(err, &ae):
		writeJSON(w, http.StatusForbidden, errorBody{Error: err.Error(), RequiredRole: ae.Required.String()})
		return
	case errors.Is(err, supervisor.ErrForbidden):
		writeJSON(w, http.StatusForbidden, errorBody{Error: err.Error(), RequiredRole: callerOf(r).min.String()})
		return
	case errors.Is(err, actors.ErrSuspended):
		writeJSON(w, http.StatusConflict, errorBody{Error: err.Error(), Phase: a.rt.Health().Phase})
		return
	case errors.Is(err, registry.ErrUnavailable):
		writeError(w, http.StatusServiceUnavailable, unavailable(callerOf(r).action, err))
		return
	}
	for _, m := range errorStatuses {
		if errors.Is(err, m.err) {
			writeError(w, m.status, err.Error())
			return
		}
	}
	a.log.Error("admin action failed", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, err.Error())
}
