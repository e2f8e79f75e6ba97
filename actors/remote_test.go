package actors

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/protobuf/proto"

	"github.com/maso-runtime/maso/actors/wire"
	"github.com/maso-runtime/maso/identity"
)

// remoteTLS issues a node certificate from ca and builds mutual-TLS configs.
func remoteTLS(t *testing.T, ca *identity.BuiltinCA, node string) *RemoteConfig {
	t.Helper()
	cred, err := identity.NewTLSCredential(context.Background(), ca, identity.NodeID(ca.TrustDomain(), node), time.Hour, nil, []net.IP{net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.Certificate())
	cert := cred.TLSCertificate()
	return &RemoteConfig{
		Listen:    "127.0.0.1:0",
		ServerTLS: &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool},
		ClientTLS: &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{cert}, RootCAs: pool},
		Logger:    quietLogger(),
	}
}

// twoNodes starts two systems sharing one CA, each reachable over mTLS, and
// points node A's directory at node B's bob.
func twoNodes(t *testing.T) (a, b *testEnv) {
	skipUnderRace(t)
	a = newEnv(t)
	caDir := filepath.Join(a.dir, "ca")
	b = newEnv(t, func(d *Deps) {
		ca, err := identity.LoadOrCreateCA(caDir, "test.maso.local", identity.CAOptions{})
		if err != nil {
			t.Fatal(err)
		}
		d.Issuer, d.Bundle = ca, identity.NewMemoryBundle(ca.Certificate())
		d.Remote = remoteTLS(t, ca, "node-b")
	})
	// Restart A with remote on, now that we know the shared CA works.
	_ = a.sys.Stop(context.Background())
	a = newEnv(t, func(d *Deps) {
		ca, err := identity.LoadOrCreateCA(caDir, "test.maso.local", identity.CAOptions{})
		if err != nil {
			t.Fatal(err)
		}
		d.Issuer, d.Bundle = ca, identity.NewMemoryBundle(ca.Certificate())
		d.Remote = remoteTLS(t, ca, "node-a")
	})
	pid, err := b.sys.dir.Lookup("bob")
	if err != nil {
		t.Fatal(err)
	}
	a.sys.dir.Set("bob", actor.NewPID(b.sys.Address(), pid.Id))
	return a, b
}

// TestRemoteSignedOverMTLS: two actor systems joined by protoactor remote over
// loopback with mutual TLS exchange signed messages, and the receiver-side
// checks hold across the wire.
func TestRemoteSignedOverMTLS(t *testing.T) {
	a, b := twoNodes(t)
	if !strings.HasPrefix(b.sys.Address(), "127.0.0.1:") {
		t.Fatalf("remote address %q", b.sys.Address())
	}
	a.box.handle("alice", func(ctx Context, m Message) error {
		return ctx.Send("bob", KindData, map[string]string{"over": "the wire"})
	})
	if _, err := a.sys.Submit(context.Background(), "alice", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	d := b.rec.waitFor(t, func(d *Decision) bool { return d.Recipient == "bob" && d.Verdict.Action == Pass })
	if d.Header.From != "alice" {
		t.Fatalf("from %q", d.Header.From)
	}
	waitUntil(t, func() bool { return len(b.box.got("bob")) == 1 })

	// A tampered envelope sent across the wire is refused on the far side.
	h := a.header("alice", "bob", KindData)
	env := Seal(a.cred("alice"), &h, []byte(`{"n":1}`))
	env.Payload = []byte(`{"n":2}`)
	pid, _ := a.sys.dir.Lookup("bob")
	a.sys.as.Root.Send(pid, env)
	r := b.rejected("bob", func(d *Decision) bool { return true })
	if !contains(r.Verdict.Controls, "IA-2.3") {
		t.Fatalf("verdict %+v", r.Verdict)
	}
	// A replay of a delivered envelope across the wire is refused too.
	h2 := a.header("alice", "bob", KindData)
	env2 := Seal(a.cred("alice"), &h2, []byte(`{"n":3}`))
	a.sys.as.Root.Send(pid, env2)
	a.sys.as.Root.Send(pid, proto.Clone(env2))
	b.rejected("bob", func(d *Decision) bool { return strings.Contains(d.Verdict.Reason, "replayed") })
	if n := len(b.box.got("bob")); n != 2 {
		t.Fatalf("bob got %d messages, want 2", n)
	}
}

// TestRemoteRefusesPeerWithoutClientCert: the endpoint requires mutual TLS.
func TestRemoteRefusesPeerWithoutClientCert(t *testing.T) {
	_, b := twoNodes(t)
	pool := x509.NewCertPool()
	pool.AddCert(b.ca.Certificate())
	conn, err := tls.Dial("tcp", b.sys.Address(), &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS13})
	if err == nil {
		// TLS 1.3 reports a missing client certificate on the first read.
		_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
		_, err = conn.Read(make([]byte, 1))
		conn.Close()
	}
	if err == nil {
		t.Fatal("a peer without a client certificate was accepted")
	}
}

// TestRemoteSurvivesMalformedFrames: a peer (with a valid certificate) sends
// batches with out-of-range indices, an undecodable payload, a system Stop
// message and a garbage envelope; the node stays up, its agents keep running,
// and a good message still arrives afterwards.
func TestRemoteSurvivesMalformedFrames(t *testing.T) {
	a, b := twoNodes(t)
	bobPID, _ := b.sys.dir.Lookup("bob")
	frames := []*remote.MessageBatch{
		{TypeNames: []string{"maso.bus.v1.Signed"}, Targets: []string{bobPID.Id},
			Envelopes: []*remote.MessageEnvelope{{TypeId: 5, Target: 0}}},
		{TypeNames: []string{"maso.bus.v1.Signed"}, Targets: []string{bobPID.Id},
			Envelopes: []*remote.MessageEnvelope{{TypeId: 0, Target: 9}}},
		{TypeNames: []string{"maso.bus.v1.Signed"}, Targets: []string{bobPID.Id},
			Envelopes: []*remote.MessageEnvelope{{TypeId: 0, Target: 0, Sender: -3}}},
		{TypeNames: []string{"maso.bus.v1.Signed"}, Targets: []string{bobPID.Id},
			Envelopes: []*remote.MessageEnvelope{{TypeId: 0, Target: 0, MessageData: []byte{0xff, 0xff, 0xff}}}},
		{TypeNames: []string{"actor.Stop"}, Targets: []string{bobPID.Id},
			Envelopes: []*remote.MessageEnvelope{{TypeId: 0, Target: 0, MessageData: mustMarshal(t, &actor.Stop{})}}},
		{TypeNames: []string{"maso.bus.v1.Signed"}, Targets: []string{bobPID.Id},
			Envelopes: []*remote.MessageEnvelope{{TypeId: 0, Target: 0, MessageData: mustMarshal(t, &wire.Signed{Header: []byte{1, 2, 3}, Payload: []byte("x"), Signature: []byte("sig"), SignerCert: []byte("cert")})}}},
	}
	for i, f := range frames {
		sendRawBatch(t, a, b.sys.Address(), f)
		_ = i
	}
	b.rejected("bob", func(d *Decision) bool { return d.Verdict.Guard == "authenticate" })
	// The node and bob are still alive and still verify.
	h := a.header("alice", "bob", KindData)
	a.inject("bob", Seal(a.cred("alice"), &h, []byte(`{"still":"alive"}`)))
	waitUntil(t, func() bool {
		for _, m := range b.box.got("bob") {
			if string(m.Payload) == `{"still":"alive"}` {
				return true
			}
		}
		return false
	})
}

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sendRawBatch opens its own gRPC stream to addr with node A's client TLS and
// writes one raw batch, as a misbehaving peer would.
func sendRawBatch(t *testing.T, a *testEnv, addr string, batch *remote.MessageBatch) {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(credentials.NewTLS(a.sys.deps.Remote.ClientTLS)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	stream, err := remote.NewRemotingClient(conn).Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_ = stream.Send(&remote.RemoteMessage{MessageType: &remote.RemoteMessage_ConnectRequest{ConnectRequest: &remote.ConnectRequest{
		ConnectionType: &remote.ConnectRequest_ServerConnection{ServerConnection: &remote.ServerConnection{MemberId: "rogue", Address: "127.0.0.1:1"}}}}})
	_ = stream.Send(&remote.RemoteMessage{MessageType: &remote.RemoteMessage_MessageBatch{MessageBatch: batch}})
	_ = stream.CloseSend()
	for {
		if _, err := stream.Recv(); err != nil {
			return
		}
	}
}

// skipUnderRace skips tests that run two protoactor remotes in one process
// under the race detector: remote.Start writes gRPC's global logger while the
// other remote's gRPC goroutines read it (an upstream race, see
// docs/protoactor.md). `make test` runs these tests in a separate pass without
// -race, so they always run.
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("two remotes in one process race inside protoactor/grpc; covered by the non-race pass of make test")
	}
}

// TestStreamGuardRecoversPanics: a panic in the protoactor stream handler
// (for example on a frame our filter did not foresee) closes that stream with
// an error instead of crashing the node.
func TestStreamGuardRecoversPanics(t *testing.T) {
	g := &streamGuard{log: quietLogger()}
	err := g.intercept(nil, nil, &grpc.StreamServerInfo{FullMethod: "/remote.Remoting/Receive"},
		func(any, grpc.ServerStream) error { panic("index out of range [5] with length 1") })
	if err == nil || !strings.Contains(err.Error(), "malformed stream") {
		t.Fatalf("err = %v, want a malformed-stream error", err)
	}
}
