package node

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
)

// EtcdOptions point the node at an external etcd cluster. Without
// endpoints the node starts an embedded etcd in <data-dir>/etcd.
type EtcdOptions struct {
	Endpoints []string
	TLS       *tls.Config
	Prefix    string // key prefix, default "/maso/"
}

// controlPlane is the node's part of the cluster: etcd, its session, the
// PACE controller, the token cache and the agent publisher.
type controlPlane struct {
	embedded *registry.Embedded
	reg      *registry.Registry
	session  *registry.NodeSession
	ctl      *supervisor.Controller
	tokens   *registry.TokenCache
	cancel   context.CancelFunc
	pub      *publisher
}

// startControlPlane connects etcd (embedded by default), feeds the trust
// bundle, the revocation set and the token cache from watches, registers the
// node and its agents, and starts the PACE controller, which applies the
// current phase before it returns.
func (n *Node) startControlPlane(ctx context.Context, o Options) error {
	cp := &controlPlane{}
	n.cp = cp
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	cp.cancel = cancel
	endpoints := o.Etcd.Endpoints
	if len(endpoints) == 0 {
		e, err := registry.StartEmbedded(ctx, filepath.Join(n.dataDir, "etcd"), n.log.With("component", "etcd"))
		if err != nil {
			return fmt.Errorf("node: embedded etcd: %w", err)
		}
		cp.embedded, endpoints = e, e.Endpoints()
	}
	reg, err := registry.Connect(ctx, registry.Config{Endpoints: endpoints, TLS: o.Etcd.TLS, Prefix: o.Etcd.Prefix,
		Logger: n.log.With("component", "registry"), Clock: o.Clock})
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	cp.reg = reg
	if err := n.feedFromRegistry(ctx, wctx); err != nil {
		return err
	}
	if cp.session, err = reg.RegisterNode(ctx, n.cfg.Node, 0); err != nil {
		return fmt.Errorf("node: register node: %w", err)
	}
	cp.pub = newPublisher(wctx, n)
	cp.pub.all()
	if src, ok := n.issuer.(identity.BundleSource); ok && n.CA == nil {
		go n.refreshAnchors(wctx, src, o.AnchorRefresh)
	}
	return n.startController(ctx, o)
}

// refreshAnchors re-reads the issuer's CA chain (Vault may rotate its CA)
// and publishes new anchors, so certificates from the new CA are trusted on
// every node once the issuer has them.
func (n *Node) refreshAnchors(ctx context.Context, src identity.BundleSource, every time.Duration) {
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		anchors, err := src.TrustAnchors(ctx)
		if err != nil {
			continue // the issuer is down; existing anchors stay (IA-2.2 outage behaviour)
		}
		for _, a := range anchors {
			n.bundle.Add(a)
			if err := n.cp.reg.PutTrustAnchor(ctx, a); err != nil {
				n.log.Warn("publishing a trust anchor failed", "err", err)
			}
		}
	}
}

// feedFromRegistry publishes this node's CA and bootstrap token, then keeps
// the trust bundle, revocations and tokens current from watches.
func (n *Node) feedFromRegistry(ctx, wctx context.Context) error {
	reg := n.cp.reg
	for _, a := range n.anchors {
		if err := reg.PutTrustAnchor(ctx, a); err != nil {
			return fmt.Errorf("node: publish trust anchor: %w", err)
		}
	}
	if err := reg.WatchTrustBundle(wctx, n.bundle); err != nil {
		return fmt.Errorf("node: watch trust bundle: %w", err)
	}
	if err := reg.WatchRevocations(wctx, n.revocations); err != nil {
		return fmt.Errorf("node: watch revocations: %w", err)
	}
	if _, ok, err := reg.LookupToken(ctx, n.token); err != nil {
		return fmt.Errorf("node: look up the admin token: %w", err)
	} else if !ok {
		rec := registry.TokenRecord{Role: supervisor.CISO.String(), Name: "bootstrap (" + TokenFile + ")", CreatedAt: time.Now().UTC(), CreatedBy: n.cfg.Node}
		if err := reg.PutTokenHash(ctx, n.token, rec); err != nil {
			return fmt.Errorf("node: store the admin token: %w", err)
		}
	}
	tokens, err := reg.WatchTokens(wctx)
	if err != nil {
		return fmt.Errorf("node: watch tokens: %w", err)
	}
	n.cp.tokens = tokens
	n.approver.SetRegistry(reg)
	return nil
}

func (n *Node) startController(ctx context.Context, o Options) error {
	ctl, err := supervisor.New(supervisor.Config{Registry: n.cp.reg, System: n.Sys, Recorder: n.recorder,
		Issuer: n.issuer, Node: n.cfg.Node, DataDir: n.dataDir, PACE: n.cfg.PACE, Clock: o.PACEClock, Tick: o.PACETick,
		Logger: n.log})
	if err != nil {
		return err
	}
	for name, fn := range o.Compensations {
		ctl.RegisterCompensation(name, fn)
	}
	n.cp.ctl = ctl
	return ctl.Start(ctx)
}

// stop closes the control plane in reverse order.
func (cp *controlPlane) stop(ctx context.Context) error {
	var errs []error
	if cp.ctl != nil {
		cp.ctl.Stop()
	}
	if cp.cancel != nil {
		cp.cancel()
	}
	if cp.pub != nil {
		cp.pub.wait()
	}
	if cp.session != nil {
		errs = append(errs, cp.session.Close(ctx))
	}
	if cp.reg != nil {
		errs = append(errs, cp.reg.Close())
	}
	if cp.embedded != nil {
		errs = append(errs, cp.embedded.Close())
	}
	return errors.Join(errs...)
}

// publisher keeps the registry's agent records current. State changes happen
// on agent goroutines; the publisher coalesces them and writes from its own.
type publisher struct {
	n     *Node
	mu    sync.Mutex
	dirty map[string]bool
	kick  chan struct{}
	done  chan struct{}
}

func newPublisher(ctx context.Context, n *Node) *publisher {
	p := &publisher{n: n, dirty: map[string]bool{}, kick: make(chan struct{}, 1), done: make(chan struct{})}
	go p.loop(ctx)
	return p
}

func (p *publisher) mark(agent string) {
	p.mu.Lock()
	p.dirty[agent] = true
	p.mu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

func (p *publisher) all() {
	for _, a := range p.n.Sys.Agents() {
		p.mark(a.Name)
	}
}

func (p *publisher) wait() { <-p.done }

func (p *publisher) loop(ctx context.Context) {
	defer close(p.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.kick:
		}
		p.mu.Lock()
		names := p.dirty
		p.dirty = map[string]bool{}
		p.mu.Unlock()
		for _, a := range p.n.Sys.Agents() {
			if names[a.Name] {
				p.put(ctx, a)
			}
		}
	}
}

func (p *publisher) put(ctx context.Context, a actors.AgentInfo) {
	rec := registry.AgentRecord{Name: a.Name, Role: a.Role, Node: p.n.cfg.Node, State: registry.AgentState(a.State),
		CertSerial: a.CertSerial, CertNotAfter: a.CertNotAfter, UpdatedAt: time.Now().UTC(), Reason: a.Reason}
	if err := p.n.cp.session.PutAgent(ctx, rec); err != nil && ctx.Err() == nil {
		p.n.log.Warn("publishing agent state failed; retried on the next change", "agent", a.Name, "err", err)
	}
}
