package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/registry"
)

// Config configures a Controller.
type Config struct {
	Registry *registry.Registry
	System   *actors.System
	Recorder actors.Recorder // decision-log events
	Issuer   identity.Issuer // revocations go to it too when it is an identity.Revoker
	Node     string
	DataDir  string // snapshots go to <DataDir>/snapshots
	PACE     config.PACE
	Clock    func() time.Time
	// Tick is how often the controller checks the 48-hour rule and the
	// control plane's health; default 1s.
	Tick       time.Duration
	HTTPClient *http.Client // for the security webhook
	Logger     *slog.Logger
}

// Controller runs PACE on one node: it makes transitions (checked against
// the caller's authority, committed by compare-and-swap in etcd) and, on
// every node, applies each phase it sees through the watch.
type Controller struct {
	cfg     Config
	log     *slog.Logger
	cur     atomic.Pointer[registry.PhaseState]
	applyMu sync.Mutex
	applied uint64 // epoch whose actions ran on this node
	comps   compensations
	pending atomic.Pointer[pendingKill]
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// New returns a controller; Start begins watching.
func New(c Config) (*Controller, error) {
	if c.Registry == nil || c.System == nil || c.Recorder == nil {
		return nil, errors.New("supervisor: controller needs a registry, a system and a recorder")
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Tick <= 0 {
		c.Tick = time.Second
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.PACE.AlternateTimeout.Duration <= 0 {
		c.PACE.AlternateTimeout.Duration = config.DefaultAlternateTimeout
	}
	ctl := &Controller{cfg: c, log: c.Logger.With("component", "pace")}
	initial := registry.PhaseState{Phase: Primary}
	ctl.cur.Store(&initial)
	return ctl, nil
}

// Start applies the current phase, then follows every change from the watch.
func (c *Controller) Start(ctx context.Context) error {
	ctx, c.cancel = context.WithCancel(context.WithoutCancel(ctx))
	first := make(chan struct{})
	var once sync.Once
	err := c.cfg.Registry.WatchPhase(ctx, func(ps registry.PhaseState) {
		c.observe(ctx, ps)
		once.Do(func() { close(first) })
	})
	if err != nil {
		c.cancel()
		return fmt.Errorf("supervisor: watch phase: %w", err)
	}
	select {
	case <-first:
	case <-time.After(10 * time.Second):
		c.cancel()
		return errors.New("supervisor: no phase from the registry within 10s")
	}
	c.wg.Add(1)
	go c.tickLoop(ctx)
	return nil
}

// Stop ends the watch and the ticker.
func (c *Controller) Stop() {
	if c.cancel != nil {
		c.cancel()
	}
	c.wg.Wait()
}

// Current is the last phase this node saw; it keeps answering when etcd is
// unreachable (reads are served, changes are refused).
func (c *Controller) Current() registry.PhaseState { return *c.cur.Load() }

// History returns the phase history from the registry.
func (c *Controller) History(ctx context.Context) ([]registry.PhaseState, error) {
	return c.cfg.Registry.PhaseHistory(ctx)
}

// observe records a phase seen on the watch and applies its actions once.
func (c *Controller) observe(ctx context.Context, ps registry.PhaseState) {
	if cur := c.cur.Load(); ps.Epoch < cur.Epoch {
		return
	}
	c.cur.Store(&ps)
	c.apply(ctx, ps)
}

// Request is a phase change someone asks for.
type Request struct {
	To     registry.Phase
	Reason string
	Agent  string           // the anomalous agent, for Alternate
	Review *registry.Review // the post-incident review, for Emergency → Primary
}

// Transition moves the cluster to req.To, after checking the actor's
// authority (and the review, for E→P). The change is a compare-and-swap on
// the phase's epoch: a concurrent change makes it fail with ErrConflict.
func (c *Controller) Transition(ctx context.Context, req Request, a Actor) (registry.PhaseState, error) {
	to, reason, review := req.To, req.Reason, req.Review
	cur, err := c.cfg.Registry.Phase(ctx)
	if err != nil {
		return c.Current(), fmt.Errorf("supervisor: phase change to %s refused: %w", to, err)
	}
	if !to.Valid() {
		return cur, fmt.Errorf("%w: unknown phase %q", ErrBadTransition, to)
	}
	if err := Authorize(cur.Phase, to, a); err != nil {
		c.refused(ctx, cur.Phase, to, a, err)
		return cur, err
	}
	if cur.Phase == Emergency && to == Primary {
		if err := CheckReview(review); err != nil {
			c.refused(ctx, cur.Phase, to, a, err)
			return cur, err
		}
	}
	next := registry.PhaseState{Phase: to, Epoch: cur.Epoch + 1, Since: c.cfg.Clock().UTC(), Reason: reason,
		Who: a.Name, Auto: a.Auto}
	if !a.Auto {
		next.Role = a.Role.String()
	}
	if to == Alternate {
		next.Agent = req.Agent
	}
	return c.commit(ctx, cur, next, review)
}

// commit writes the transition (and the review), then applies it here at
// once rather than waiting for the watch.
func (c *Controller) commit(ctx context.Context, cur, next registry.PhaseState, review *registry.Review) (registry.PhaseState, error) {
	if review != nil {
		r := *review
		r.RecordedAt, r.RecordedBy = c.cfg.Clock().UTC(), next.Who
		if err := c.cfg.Registry.PutReview(ctx, next.Epoch, r); err != nil {
			return cur, err
		}
	}
	if err := c.cfg.Registry.CASPhase(ctx, cur, next); err != nil {
		return cur, fmt.Errorf("supervisor: phase change %s→%s refused: %w", cur.Phase, next.Phase, err)
	}
	c.event(ctx, audit.Event{Type: "pace.transition", Verdict: "pass", Controls: controlsFor(next.Phase),
		Reason: next.Reason, Agent: next.Agent, Phase: string(next.Phase),
		Attrs: map[string]string{"from": string(cur.Phase), "to": string(next.Phase), "epoch": fmt.Sprint(next.Epoch), "who": next.Who, "role": next.Role}})
	c.afterCommit(ctx, cur, next)
	c.observe(ctx, next)
	return next, nil
}

func (c *Controller) refused(ctx context.Context, from, to registry.Phase, a Actor, err error) {
	c.event(ctx, audit.Event{Type: "pace.refused", Verdict: "block", Controls: controlsFor(to), Reason: err.Error(),
		Phase: string(from), Attrs: map[string]string{"from": string(from), "to": string(to), "who": a.Name, "role": a.Role.String()}})
}

// controlsFor names the MASO controls behind a phase.
func controlsFor(p registry.Phase) []string {
	switch p {
	case Alternate:
		return []string{"EC-2.4", "EC-3.2"}
	case Contingency:
		return []string{"EC-3.2"}
	case Emergency:
		return []string{"PA-2.6", "OB-3.3"}
	}
	return []string{"EC-3.2"}
}

func (c *Controller) event(ctx context.Context, ev audit.Event) {
	ev.Node = c.cfg.Node
	if err := c.cfg.Recorder.Event(ctx, ev); err != nil {
		c.log.Error("decision log append failed", "err", err)
	}
}
