package actors

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// benchPayload is a typical inter-agent message (about 300 bytes of JSON).
var benchPayload = []byte(`{"claim_id":"CLM-000042","claimant":"Alice Moreau","policy_number":"POL-100001","type":"auto","severity":"medium","classification":"confidential","amount_claimed":12500,"incident_date":"2025-03-14","description":"Rear-ended at a junction; bumper and tail lights replaced."}`)

// counter is a behaviour that counts deliveries and signals at a target.
type counter struct {
	n      atomic.Int64
	target atomic.Int64
	done   chan struct{}
}

func (c *counter) factory(AgentSpec) (Behaviour, error) {
	return BehaviourFunc(func(Context, Message) error {
		if c.n.Add(1) == c.target.Load() {
			close(c.done)
		}
		return nil
	}), nil
}

func (c *counter) reset(target int) {
	c.n.Store(0)
	c.target.Store(int64(target))
	c.done = make(chan struct{})
}

// BenchmarkBusSigned measures end-to-end throughput of signed messages from
// one agent to another through the full path: sender-side scope checks,
// header, Ed25519 signature, protoactor delivery, and the whole receiver
// pipeline (certificate, signature, header, guards, decision-log append,
// verdict counters) before the behaviour. ns/op is time per message.
func BenchmarkBusSigned(b *testing.B) {
	c := &counter{}
	e := newEnv(b, func(d *Deps) { d.Behaviours = map[string]BehaviourFactory{"recorder": c.factory} })
	defer e.sys.Stop(context.Background())
	from := e.sys.principals["alice"]
	ctx := context.Background()
	c.reset(b.N)
	b.SetBytes(int64(len(benchPayload)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o := &outbound{from: from, to: "bob", kind: KindData, payload: benchPayload}
		if err := e.sys.send(ctx, o, nil); err != nil {
			b.Fatal(err)
		}
	}
	<-c.done
}

// rawMsg is the same shape without signing: the payload in a plain message.
type rawMsg struct{ payload []byte }

// BenchmarkBusRaw is BenchmarkBusSigned's shape on plain protoactor: the same
// payload from the benchmark goroutine to an actor that counts, with no
// signature, no guards and no decision log.
func BenchmarkBusRaw(b *testing.B) {
	as := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quietLogger() }))
	defer as.Shutdown()
	var n atomic.Int64
	done := make(chan struct{})
	target := int64(b.N)
	pid := as.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(*rawMsg); ok && n.Add(1) == target {
			close(done)
		}
	}))
	b.SetBytes(int64(len(benchPayload)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		as.Root.Send(pid, &rawMsg{payload: benchPayload})
	}
	<-done
}

// BenchmarkCryptoOnly signs and verifies the same envelope with no actors:
// the floor the signed bus is measured against.
func BenchmarkCryptoOnly(b *testing.B) {
	e := newEnv(b)
	defer e.sys.Stop(context.Background())
	cred := e.cred("alice")
	pub := cred.Key.Public().(ed25519.PublicKey)
	b.SetBytes(int64(len(benchPayload)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h := e.header("alice", "bob", KindData)
		env := Seal(cred, &h, benchPayload)
		if err := verifySignature(pub, env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGuardPipeline runs the receiver guards (freshness, replay, graph,
// delegation, clearance, agent state, phase, DLP and injection guardrails)
// on an authenticated message, without cryptography, and reports the p50
// and p99 latency of one pass.
func BenchmarkGuardPipeline(b *testing.B) {
	e := newEnv(b)
	defer e.sys.Stop(context.Background())
	p := e.sys.pipe
	peer, err := p.verifier.Verify(e.cred("alice").CertDER, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	base := e.header("alice", "bob", KindData)
	ids := make([][16]byte, b.N)
	for i := range ids {
		ids[i] = newID()
	}
	lat := make([]time.Duration, b.N)
	in := &Inbound{Env: Seal(e.cred("alice"), &base, benchPayload), Header: base, Peer: peer, Recipient: "bob"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in.Header.ID = ids[i]
		start := time.Now()
		in.Now = start
		if v := p.CheckGuards(in); v.Action != Pass {
			b.Fatal(v.Reason)
		}
		lat[i] = time.Since(start)
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}
