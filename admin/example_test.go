package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/admin"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/node"
)

// oneAgent is a fixed Runtime for the example; a *node.Node is the real
// one. The control-plane methods, which the example does not call, come
// from the embedded (nil) Runtime.
type oneAgent struct{ admin.Runtime }

func (oneAgent) Health() node.Health { return node.Health{Status: "ok", Phase: "primary", Agents: 1} }
func (oneAgent) Agents() []node.AgentInfo {
	return []node.AgentInfo{{Name: "intake", State: "active"}}
}
func (r oneAgent) Agent(name string) (node.AgentInfo, bool) {
	return r.Agents()[0], name == "intake"
}
func (oneAgent) Submit(context.Context, string, json.RawMessage) (string, error) {
	return "", actors.ErrBadTask
}
func (oneAgent) Task(string) (actors.TaskView, bool) { return actors.TaskView{}, false }
func (oneAgent) VerifyAudit() (audit.Report, error)  { return audit.Report{OK: true}, nil }

func ExampleNewHandler() {
	h := admin.NewHandler(admin.Config{Runtime: oneAgent{}, Auth: admin.StaticToken("secret", admin.Viewer)})
	for _, req := range []struct{ method, path, token string }{
		{"GET", "/v1/agents/intake", "secret"},
		{"GET", "/v1/agents/intake", "wrong"},
		{"POST", "/v1/tasks", "secret"},
	} {
		r := httptest.NewRequest(req.method, req.path, nil)
		r.Header.Set("Authorization", "Bearer "+req.token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Print(w.Code, " ", w.Body.String())
	}
	// Output:
	// 200 {"name":"intake","role":"","state":"active","spiffe_id":"","cert_serial":"","cert_not_after":"0001-01-01T00:00:00Z","node":"","behaviour":"","tools":null,"clearance":""}
	// 401 {"error":"missing or invalid bearer token"}
	// 403 {"error":"role viewer may not POST /v1/tasks","required_role":"operator"}
}

func ExampleParseRole() {
	r, err := admin.ParseRole("Security")
	fmt.Println(r, err, r >= admin.Operator, r >= admin.CISO)
	_, err = admin.ParseRole("root")
	fmt.Println(err)
	// Output:
	// security <nil> true false
	// admin: unknown role "root" (want viewer, operator, security or ciso)
}

func ExampleServe() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := admin.NewHandler(admin.Config{Runtime: oneAgent{}, Auth: admin.StaticToken("secret", admin.Viewer)})
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- admin.Serve(ctx, "127.0.0.1:0", h, func(a net.Addr) { ready <- a.String() })
	}()
	res, err := http.Get("http://" + <-ready + "/v1/health")
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Body.Close()
	fmt.Println(res.StatusCode, res.Header.Get("WWW-Authenticate"))
	cancel()
	fmt.Println(<-done)
	// Output:
	// 401 Bearer
	// <nil>
}
