package supervisor_test

import (
	"context"
	"errors"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
)

// load keeps a node saturated: workers submit tasks back to back, each
// waiting for its task to end, until stopped or the node refuses tasks.
type load struct {
	stop      chan struct{}
	wg        sync.WaitGroup
	mu        sync.Mutex
	submitted int
	refused   int
}

func startLoad(e *paceEnv, workers int) *load {
	l := &load{stop: make(chan struct{})}
	for i := 0; i < workers; i++ {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for {
				select {
				case <-l.stop:
					return
				default:
				}
				id, err := e.submit("flow", `{"claim":1}`)
				l.mu.Lock()
				if err != nil {
					l.refused++
				} else {
					l.submitted++
				}
				l.mu.Unlock()
				if errors.Is(err, actors.ErrSuspended) {
					time.Sleep(time.Millisecond)
					continue
				}
				if done := e.n.Tasks.Done(id); done != nil {
					select {
					case <-done:
					case <-time.After(2 * time.Second):
					case <-l.stop:
						return
					}
				}
			}
		}()
	}
	return l
}

func (l *load) end() {
	close(l.stop)
	l.wg.Wait()
}

// TestKillSwitchUnderLoad: with the node saturated, the kill switch stops
// every agent, answers only after the last one stopped, and after that
// answer no message is delivered to any behaviour.
func TestKillSwitchUnderLoad(t *testing.T) {
	e := startPACE(t)
	l := startLoad(e, 16)
	waitFor(t, "the load to get going", func() bool { l.mu.Lock(); defer l.mu.Unlock(); return l.submitted >= 100 })
	res, err := e.n.KillSwitch(context.Background(), "load drill", ciso)
	if err != nil {
		t.Fatal(err)
	}
	acked, _ := e.n.Audit.Head()
	time.Sleep(200 * time.Millisecond) // the load keeps trying
	l.end()
	if l.submitted < 50 {
		t.Fatalf("only %d tasks before the kill: the node was not under load", l.submitted)
	}
	if res.StoppedAgents != 2 || !res.Recorded || res.ElapsedMS <= 0 {
		t.Fatalf("kill switch result %+v", res)
	}
	for _, a := range e.n.Agents() {
		if a.State != string(actors.StateStopped) {
			t.Fatalf("agent %s is %s", a.Name, a.State)
		}
	}
	late := 0
	err = audit.Read(filepath.Join(e.dir, "audit"), func(en audit.Entry) error {
		if en.Seq > acked && en.Event.Type == "message.delivered" {
			late++
			t.Errorf("delivered after the kill was acknowledged: %+v", en.Event)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d tasks before the kill, %d refused after; %d agents stopped in %.2f ms", l.submitted, l.refused, res.StoppedAgents, res.ElapsedMS)
}

// BenchmarkKillSwitch measures the time from the kill switch request to the
// last agent stopped, on one node under full load, and reports p50 and p99.
// Each iteration recovers to Primary and reloads before the next kill.
func BenchmarkKillSwitch(b *testing.B) {
	e := startPACE(b)
	var lat []float64
	review := registry.Review{RootCause: "bench", Remediation: "bench", BaselinesUpdated: true, Approver: "bench"}
	for i := 0; i < b.N; i++ {
		l := startLoad(e, 16)
		time.Sleep(100 * time.Millisecond)
		res, err := e.n.KillSwitch(context.Background(), "bench", ciso)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, res.ElapsedMS)
		l.end()
		if _, err := e.n.Recover(context.Background(), review, ciso); err != nil {
			b.Fatal(err)
		}
		for e.n.Control().Current().Phase != supervisor.Primary || !e.n.Sys.Running() {
			time.Sleep(time.Millisecond)
		}
	}
	sort.Float64s(lat)
	b.ReportMetric(lat[len(lat)/2], "p50-ms")
	b.ReportMetric(lat[(len(lat)*99)/100], "p99-ms")
	b.ReportMetric(lat[len(lat)-1], "max-ms")
}
