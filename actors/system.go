package actors

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/dlp"
	"github.com/maso-runtime/maso/identity"
)

// Deps are the components a System is built from. Issuer, Bundle and Recorder
// are required; the rest have defaults.
type Deps struct {
	Issuer      identity.Issuer
	Bundle      identity.TrustBundle
	Revocations identity.RevocationSet // default: in memory
	Recorder    Recorder
	Behaviours  map[string]BehaviourFactory // by the name agents give in `behaviour:`; "llm" is added when absent
	Tools       map[string]ToolFunc         // in-process implementations of the configured tools
	Tasks       *TaskStore                  // default: a new store
	Tracer      trace.TracerProvider
	Logger      *slog.Logger
	Clock       func() time.Time
	Remote      *RemoteConfig                                    // nil: this node is not reachable from others
	Guards      []Guard                                          // extra receiver guards after the built-in ones
	Env         func(string) string                              // environment lookup for LLM API keys; default os.Getenv
	Breaker     Breaker                                          // circuit breaker per agent (EC-2.4); nil: none
	OnTrip      func(agent, reason string)                       // a breaker tripped: propose PACE P→A
	OnState     func(agent string, st AgentState, reason string) // an agent's state changed
	Approver    Approver                                         // asks a human when an action escalates; nil: escalations are denied
	// Certificate rotation (IA-2.2): renew at RenewAt of the lifetime
	// (default 2/3), retry failures from RetryInitial doubling to RetryMax.
	RenewAt      float64
	RetryInitial time.Duration
	RetryMax     time.Duration
	Meter        metric.MeterProvider // maso.credential.renewals; nil: not metered
	MCP          MCPCaller            // allow-listed MCP servers; nil: none
	Judge        Judge                // the LLM-as-Judge; nil: none
	// KnowledgeDir holds the agents' knowledge stores ("" = none), verified
	// every KnowledgeVerify (default 24h, DP-2.2).
	KnowledgeDir    string
	KnowledgeVerify time.Duration
}

// System is one node's actor runtime: the protoactor system, the orchestrator,
// the agents it supervises, and the signed bus between them.
type System struct {
	cfg        *config.Config
	deps       Deps
	node       string
	as         *actor.ActorSystem
	dir        *Directory
	graph      *Graph
	pipe       *Pipeline
	rec        Recorder
	tools      *toolGate
	tasks      *TaskStore
	clock      func() time.Time
	ttl        time.Duration
	reqTimeout time.Duration
	tracer     trace.Tracer
	log        *slog.Logger

	defs       []agentDef
	restrict   atomic.Pointer[Restrictions]
	scanner    *dlp.Scanner      // DLP and injection guardrails; nil when disabled
	knowledge  *knowledgeStore   // nil without Deps.KnowledgeDir
	canaries   map[string]string // agent → its canary token
	lifeMu     sync.Mutex        // guards orch across StopAgents/StartAgents
	agentsMu   sync.Mutex
	agentsCtx  context.Context
	agentsStop context.CancelFunc
	rotWG      sync.WaitGroup
	renewals   metric.Int64Counter
	routes     routes
	principals map[string]*principal
	ctx        context.Context
	cancel     context.CancelFunc
	orch       *actor.PID
	remote     *remoteServer
	stopOnce   sync.Once
}

// New builds a System from a validated config. Nothing runs until Start.
func New(cfg *config.Config, deps Deps) (*System, error) {
	if cfg == nil || deps.Issuer == nil || deps.Bundle == nil || deps.Recorder == nil {
		return nil, errors.New("actors: New needs a config, an issuer, a trust bundle and a recorder")
	}
	fillDefaults(&deps)
	defs, err := agentDefs(cfg)
	if err != nil {
		return nil, err
	}
	graph, err := graphFromDefs(defs, cfg)
	if err != nil {
		return nil, err
	}
	s := &System{
		cfg: cfg, deps: deps, node: cfg.Node, dir: NewDirectory(), graph: graph, defs: defs,
		rec: deps.Recorder, tasks: deps.Tasks, clock: deps.Clock,
		ttl: cfg.Bus.MessageTTL.Duration, reqTimeout: cfg.Bus.RequestTimeout.Duration,
		tracer: deps.Tracer.Tracer("github.com/maso-runtime/maso/actors"),
		log:    deps.Logger.With("node", cfg.Node), principals: map[string]*principal{},
	}
	s.canaries = map[string]string{}
	for _, d := range defs {
		s.canaries[d.Name] = newCanary()
	}
	s.scanner = newScanner(cfg, s.canaries)
	s.pipe, err = NewPipeline(PipelineConfig{
		Verifier: &identity.Verifier{Bundle: deps.Bundle, Revocations: deps.Revocations, TrustDomain: cfg.TrustDomain},
		Graph:    graph, MaxPayload: cfg.Bus.MaxPayloadBytes, Skew: cfg.Bus.ClockSkew.Duration,
		MaxTTL:   maxDuration(10*time.Minute, 2*s.ttl),
		Extra:    s.extraGuards(deps.Guards),
		Recorder: deps.Recorder, Clock: deps.Clock, Tracer: s.tracer,
		OnBlock: func(from string, v Verdict) { s.countFailure(from, v.Guard+": "+v.Reason) },
	})
	if err != nil {
		return nil, err
	}
	if s.tools, err = newToolGate(s, cfg, deps.Tools); err != nil {
		return nil, err
	}
	if err := s.checkBehaviours(); err != nil {
		return nil, err
	}
	s.tasks.OnDone(s.tools.blast.EndTask) // per-task cap usage ends with the task
	if deps.KnowledgeDir != "" {
		s.knowledge = &knowledgeStore{sys: s, dir: deps.KnowledgeDir}
	}
	return s, nil
}

// extraGuards are the receiver guards after the built-in ones: agent state,
// PACE phase, DLP and injection guardrails, then the caller's.
func (s *System) extraGuards(more []Guard) []Guard {
	g := []Guard{stateGuard{sys: s}, phaseGuard{sys: s}}
	if s.scanner != nil {
		g = append(g, dlpGuard{sys: s, scanner: s.scanner})
	}
	if s.deps.Judge != nil {
		g = append(g, judgeGuard{sys: s})
	}
	return append(g, more...)
}

func fillDefaults(d *Deps) {
	if d.Revocations == nil {
		d.Revocations = identity.NewMemoryRevocations()
	}
	if d.Tasks == nil {
		d.Tasks = NewTaskStore(0)
	}
	if d.Tracer == nil {
		d.Tracer = noop.NewTracerProvider()
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Clock == nil {
		d.Clock = time.Now
	}
	if d.Behaviours == nil {
		d.Behaviours = map[string]BehaviourFactory{}
	}
	if d.Env == nil {
		d.Env = osGetenv
	}
	if d.RenewAt <= 0 || d.RenewAt >= 1 {
		d.RenewAt = DefaultRenewAt
	}
	if d.RetryInitial <= 0 {
		d.RetryInitial = DefaultRetryInitial
	}
	if d.RetryMax < d.RetryInitial {
		d.RetryMax = max(DefaultRetryMax, d.RetryInitial)
	}
}

func maxDuration(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}

func (s *System) checkBehaviours() error {
	for _, d := range s.defs {
		if _, ok := s.deps.Behaviours[d.Behaviour]; !ok {
			return fmt.Errorf("actors: agent %q uses behaviour %q, which is not registered", d.Name, d.Behaviour)
		}
	}
	return nil
}

// Graph returns the communication graph the node enforces.
func (s *System) Graph() *Graph { return s.graph }

// Pipeline returns the receiver pipeline.
func (s *System) Pipeline() *Pipeline { return s.pipe }

// Directory returns the name → PID directory.
func (s *System) Directory() *Directory { return s.dir }

// Tasks returns the task store.
func (s *System) Tasks() *TaskStore { return s.tasks }

// Config returns the config the system runs.
func (s *System) Config() *config.Config { return s.cfg }

// Start issues every principal's credential, starts remote (if configured),
// the orchestrator and, under it, every agent. It returns once all are running.
func (s *System) Start(ctx context.Context) error {
	s.ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	if err := s.issueAll(ctx); err != nil {
		return err
	}
	s.as = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return s.log.With("component", "protoactor")
	}))
	s.watchDeadLetters()
	if s.deps.Meter != nil {
		s.renewals, _ = s.deps.Meter.Meter("github.com/maso-runtime/maso/actors").Int64Counter("maso.credential.renewals",
			metric.WithDescription("certificate renewals by principal and outcome"))
	}
	s.startRotation()
	if s.knowledge != nil {
		every := s.deps.KnowledgeVerify
		if every <= 0 {
			every = 24 * time.Hour
		}
		go s.verifyKnowledgeLoop(every)
	}
	if s.deps.Remote != nil {
		r, err := startRemote(s.as, s.deps.Remote)
		if err != nil {
			return err
		}
		s.remote = r
	}
	return s.spawnOrchestrator(ctx)
}

// issueAll gives every principal of this node a fresh key and certificate.
func (s *System) issueAll(ctx context.Context) error {
	td := s.cfg.TrustDomain
	for _, name := range []string{Orchestrator, Ingress, JudgeName} {
		c, err := identity.NewCredential(ctx, s.deps.Issuer, identity.SystemID(td, name), s.cfg.Identity.DefaultTTL.Duration)
		if err != nil {
			return fmt.Errorf("actors: credential for %s: %w", name, err)
		}
		s.principals[name] = newPrincipal(name, c)
	}
	for _, d := range s.defs {
		c, err := identity.NewCredential(ctx, s.deps.Issuer, identity.AgentID(td, d.Name), d.CertTTL)
		if err != nil {
			return fmt.Errorf("actors: credential for agent %s: %w", d.Name, err)
		}
		p := newPrincipal(d.Name, c)
		if d.BackupOf != "" {
			p.state.p.Store(&stateInfo{state: StateStopped, reason: "standing by for " + d.BackupOf, since: s.clock().UTC()})
		}
		s.principals[d.Name] = p
	}
	return nil
}

// Credential returns the current credential of a principal of this node.
func (s *System) Credential(name string) (*identity.Credential, bool) {
	p, ok := s.principals[name]
	if !ok {
		return nil, false
	}
	c, err := p.credential()
	return c, err == nil
}

// Address is the remote address of this node ("" when remote is off).
func (s *System) Address() string {
	if s.remote == nil {
		return ""
	}
	return s.as.Address()
}

// Stop stops every agent, the orchestrator and remote, and cancels in-flight work.
func (s *System) Stop(ctx context.Context) error {
	var err error
	s.stopOnce.Do(func() {
		if s.as == nil {
			return
		}
		s.cancelAgents()
		s.lifeMu.Lock()
		if s.orch != nil {
			if e := s.as.Root.StopFuture(s.orch).Wait(); e != nil {
				err = fmt.Errorf("actors: stopping the orchestrator: %w", e)
			}
			s.orch = nil
		}
		s.lifeMu.Unlock()
		if s.remote != nil {
			s.remote.stop()
		}
		s.cancel()
		s.rotWG.Wait()
		s.tasks.Close()
		s.as.Shutdown()
	})
	return err
}
