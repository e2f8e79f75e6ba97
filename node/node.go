package node

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/actors/llm"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/supervisor"
	"github.com/maso-runtime/maso/telemetry"
	"github.com/maso-runtime/maso/tools/mcp"
)

// Options configure a node.
type Options struct {
	Config     *config.Config
	DataDir    string                             // default ./maso-data
	Behaviours map[string]actors.BehaviourFactory // "llm" is added when absent
	Tools      map[string]actors.ToolFunc
	Logger     *slog.Logger
	Telemetry  io.Writer // where stdout exporters write; default os.Stdout
	Remote     *RemoteOptions
	Guards     []actors.Guard
	Clock      func() time.Time
	// Etcd points at an external etcd; empty means an embedded one in
	// <data-dir>/etcd. Config's etcd section is used when this is empty.
	Etcd EtcdOptions
	// Compensations run in Emergency (see supervisor.RegisterCompensation).
	Compensations map[string]supervisor.Compensation
	// PACETick is how often the PACE controller checks the 48-hour rule and
	// etcd's health; default 1s.
	PACETick time.Duration
	// Issuer issues every agent's certificate; nil means the built-in CA in
	// <data-dir>/ca. An issuer that is an identity.BundleSource (Vault) also
	// supplies the trust anchors.
	Issuer identity.Issuer
	// AnchorRefresh is how often trust anchors are re-read from an issuer
	// that supplies them (Vault: a rotated CA); default 1m.
	AnchorRefresh time.Duration
	// PACEClock is the PACE controller's clock (the 48-hour rule); default
	// Clock. Tests move it forward without touching message timestamps.
	PACEClock func() time.Time
}

// RemoteOptions make the node reachable by other nodes (mutual TLS with a
// node certificate from the node's issuer).
type RemoteOptions struct {
	Listen string // host:port, e.g. 127.0.0.1:0
}

// Node is one running maso node: the actor system with its agents, the
// built-in CA, the decision log and telemetry.
type Node struct {
	Sys       *actors.System
	Audit     *audit.Log
	CA        *identity.BuiltinCA // nil when an external issuer is used
	Telemetry *telemetry.Providers
	Tasks     *actors.TaskStore

	cfg         *config.Config
	dataDir     string
	cp          *controlPlane
	issuer      identity.Issuer
	mcp         *mcp.Registry
	anchors     []*x509.Certificate
	bundle      *identity.MemoryBundle
	revocations *identity.MemoryRevocations
	approver    *supervisor.Approver
	recorder    *actors.LogRecorder
	token       string
	started     time.Time
	log         *slog.Logger
}

// Start brings a node up: data directory, CA, decision log, telemetry, then
// the actor system. On error everything already started is stopped again.
func Start(ctx context.Context, o Options) (*Node, error) {
	if o.Config == nil {
		return nil, errors.New("node: no config")
	}
	fillDefaults(&o)
	n := &Node{cfg: o.Config, dataDir: o.DataDir, started: time.Now(), log: o.Logger}
	if err := n.start(ctx, o); err != nil {
		_ = n.Stop(context.WithoutCancel(ctx))
		return nil, err
	}
	n.log.Info("node started", "node", o.Config.Node, "agents", len(o.Config.Agents), "data_dir", o.DataDir, "address", n.Sys.Address())
	return n, nil
}

func (n *Node) start(ctx context.Context, o Options) (err error) {
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return fmt.Errorf("node: data directory: %w", err)
	}
	if n.token, err = LoadOrCreateToken(filepath.Join(o.DataDir, TokenFile)); err != nil {
		return err
	}
	if err := n.setupIssuer(ctx, o); err != nil {
		return err
	}
	if n.Audit, err = audit.Open(filepath.Join(o.DataDir, "audit"), audit.Options{}); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	if n.Telemetry, err = telemetry.Setup(o.Config.Telemetry, o.Telemetry); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	deps, err := n.deps(ctx, o)
	if err != nil {
		return err
	}
	if n.Sys, err = actors.New(o.Config, deps); err != nil {
		return err
	}
	// protoactor remote starts before etcd: remote.Start replaces gRPC's
	// global logger, which must not race an embedded etcd's gRPC goroutines.
	if err := n.Sys.Start(ctx); err != nil {
		return err
	}
	return n.startControlPlane(ctx, o)
}

func fillDefaults(o *Options) {
	if o.DataDir == "" {
		o.DataDir = "maso-data"
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Telemetry == nil {
		o.Telemetry = os.Stdout
	}
	b := map[string]actors.BehaviourFactory{"llm": llm.Factory}
	for k, v := range o.Behaviours {
		b[k] = v
	}
	o.Behaviours = b
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.PACEClock == nil {
		o.PACEClock = o.Clock
	}
	if len(o.Etcd.Endpoints) == 0 && len(o.Config.Etcd.Endpoints) > 0 {
		o.Etcd.Endpoints = o.Config.Etcd.Endpoints
	}
}

// setupIssuer picks the issuer (the built-in CA unless one is given) and
// its trust anchors.
func (n *Node) setupIssuer(ctx context.Context, o Options) error {
	if o.Issuer == nil {
		ca, err := identity.LoadOrCreateCA(filepath.Join(o.DataDir, "ca"), o.Config.TrustDomain, identity.CAOptions{})
		if err != nil {
			return fmt.Errorf("node: %w", err)
		}
		n.CA, n.issuer, n.anchors = ca, ca, []*x509.Certificate{ca.Certificate()}
		return nil
	}
	n.issuer = o.Issuer
	src, ok := o.Issuer.(identity.BundleSource)
	if !ok {
		return errors.New("node: the issuer does not supply trust anchors (identity.BundleSource)")
	}
	anchors, err := src.TrustAnchors(ctx)
	if err != nil {
		return fmt.Errorf("node: trust anchors from the issuer: %w", err)
	}
	if len(anchors) == 0 {
		return errors.New("node: the issuer supplied no trust anchors")
	}
	n.anchors = anchors
	return nil
}

// Issuer is the node's certificate issuer.
func (n *Node) Issuer() identity.Issuer { return n.issuer }

// onTrip proposes PACE P→A when an agent's circuit breaker trips.
func (n *Node) onTrip(agent, reason string) {
	if n.cp != nil && n.cp.ctl != nil {
		n.cp.ctl.ProposeAlternate(agent, reason)
	}
}

// onState republishes an agent whose state changed.
func (n *Node) onState(agent string, _ actors.AgentState, _ string) {
	if n.cp != nil && n.cp.pub != nil {
		n.cp.pub.mark(agent)
	}
}

func (n *Node) deps(ctx context.Context, o Options) (actors.Deps, error) {
	verdicts, err := telemetry.NewVerdicts(n.Telemetry.Meter)
	if err != nil {
		return actors.Deps{}, fmt.Errorf("node: %w", err)
	}
	n.Tasks = actors.NewTaskStore(0)
	n.bundle = identity.NewMemoryBundle(n.anchors...)
	n.revocations = identity.NewMemoryRevocations()
	n.recorder = &actors.LogRecorder{Log: n.Audit, Counter: verdicts, Tasks: n.Tasks, Node: o.Config.Node, Clock: o.Clock}
	n.approver = &supervisor.Approver{Timeout: o.Config.PACE.ApprovalTimeout.Duration, Recorder: n.recorder, Node: o.Config.Node, Clock: o.Clock}
	pace := o.Config.PACE
	d := actors.Deps{
		Issuer:       n.issuer,
		Bundle:       n.bundle,
		Meter:        n.Telemetry.Meter,
		Revocations:  n.revocations,
		Recorder:     n.recorder,
		Approver:     n.approver,
		Breaker:      actors.NewWindowBreaker(pace.BreakerThreshold, pace.BreakerWindow.Duration),
		OnTrip:       n.onTrip,
		OnState:      n.onState,
		Behaviours:   o.Behaviours,
		Tools:        o.Tools,
		Tasks:        n.Tasks,
		Tracer:       n.Telemetry.Tracer,
		Logger:       o.Logger,
		Clock:        o.Clock,
		Guards:       o.Guards,
		KnowledgeDir: filepath.Join(o.DataDir, "knowledge"), KnowledgeVerify: o.Config.Guardrails.KnowledgeVerify.Duration,
	}
	jd, err := n.newJudge(o.Config, os.Getenv)
	if err != nil {
		return actors.Deps{}, err
	}
	if jd != nil {
		d.Judge = jd
	}
	if len(o.Config.MCPServers) > 0 {
		servers := make([]mcp.Server, 0, len(o.Config.MCPServers))
		for _, s := range o.Config.MCPServers {
			servers = append(servers, mcp.Server{Name: s.Name, Command: s.Command, URL: s.URL})
		}
		reg, err := mcp.NewRegistry(servers, o.Logger.With("component", "mcp"))
		if err != nil {
			return actors.Deps{}, fmt.Errorf("node: %w", err)
		}
		n.mcp, d.MCP = reg, reg
	}
	if o.Remote != nil {
		rc, err := n.remoteConfig(ctx, o.Remote)
		if err != nil {
			return actors.Deps{}, err
		}
		d.Remote = rc
	}
	return d, nil
}

// Stop stops the actor system, then flushes the decision log and telemetry.
func (n *Node) Stop(ctx context.Context) error {
	var errs []error
	if n.cp != nil {
		errs = append(errs, n.cp.stop(ctx))
	}
	if n.Sys != nil {
		errs = append(errs, n.Sys.Stop(ctx))
	}
	if n.mcp != nil {
		errs = append(errs, n.mcp.Close())
	}
	if n.Audit != nil {
		errs = append(errs, n.Audit.Close())
	}
	if n.Telemetry != nil {
		errs = append(errs, n.Telemetry.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

// Token is the admin bearer token of the node (highest role).
func (n *Node) Token() string { return n.token }

// DataDir is the node's data directory.
func (n *Node) DataDir() string { return n.dataDir }

// Config is the config the node runs.
func (n *Node) Config() *config.Config { return n.cfg }

// Submit accepts a task (see actors.System.Submit).
func (n *Node) Submit(ctx context.Context, to string, payload json.RawMessage) (string, error) {
	return n.Sys.Submit(ctx, to, payload)
}

// Task returns a task's state and trail.
func (n *Node) Task(id string) (actors.TaskView, bool) { return n.Tasks.Get(id) }

// VerifyAudit verifies the whole decision log.
func (n *Node) VerifyAudit() (audit.Report, error) { return n.Audit.Verify() }
