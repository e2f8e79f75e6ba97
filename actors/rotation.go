package actors

import (
	"context"
	"math/rand/v2"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/maso-runtime/maso/audit"
)

// Rotation defaults (IA-2.2): renew at two thirds of a certificate's life,
// retry failures with capped exponential backoff.
const (
	DefaultRenewAt      = 2.0 / 3.0
	DefaultRetryInitial = time.Second
	DefaultRetryMax     = time.Minute
)

// rotator renews one principal's certificate before it expires. The old
// certificate stays valid until its own expiry, so messages signed with it
// and still in flight are accepted: that is the overlap. A certificate that
// could not be renewed in time stops working (the sending side and every
// receiver refuse it) and the agent is paused until a fresh one arrives.
type rotator struct {
	sys *System
	p   *principal
}

// startRotation runs one rotator per principal until the system stops.
func (s *System) startRotation() {
	for _, p := range s.principals {
		r := &rotator{sys: s, p: p}
		s.rotWG.Add(1)
		go func() {
			defer s.rotWG.Done()
			r.run(s.ctx)
		}()
	}
}

func (r *rotator) run(ctx context.Context) {
	backoff := r.sys.deps.RetryInitial
	for {
		wait := r.untilRenewal()
		if left := r.untilExpiry(); left > 0 && left < wait {
			wait = left
		}
		switch r.wait(ctx, wait) {
		case stopped:
			return
		case replaced:
			continue // a new credential arrived: plan again
		}
		r.expireIfDue(ctx)
		if r.sys.StateOf(r.p.name) == StateStopped {
			// Stopped (emergency, revoked): no new credential until someone
			// resumes it; look again in a while.
			if !r.sleep(ctx, r.sys.deps.RetryMax) {
				return
			}
			continue
		}
		if err := r.renew(ctx); err != nil {
			r.sys.log.Warn("certificate renewal failed; retrying", "principal", r.p.name, "retry_in", backoff, "err", err)
			r.sys.countRenewal(ctx, r.p.name, "failure")
			wait := jitter(backoff)
			if left := r.untilExpiry(); left > 0 && left < wait {
				wait = left // wake at expiry to pause the agent on time
			}
			// Another principal's renewal succeeding means the issuer is
			// back: that wakes this one early (see kickOthers).
			if r.wait(ctx, wait) == stopped {
				return
			}
			r.expireIfDue(ctx)
			backoff = min(backoff*2, r.sys.deps.RetryMax)
			continue
		}
		backoff = r.sys.deps.RetryInitial
	}
}

// untilRenewal is the time left before the current certificate should be
// renewed (zero when it is already due).
func (r *rotator) untilRenewal() time.Duration {
	c := r.p.cred.Load()
	if c == nil {
		return 0
	}
	// Issuers back-date NotBefore for clock skew; the life that counts starts
	// when the certificate arrived.
	start := time.Unix(0, r.p.since.Load())
	if c.Cert.NotBefore.After(start) {
		start = c.Cert.NotBefore
	}
	at := start.Add(time.Duration(float64(c.Cert.NotAfter.Sub(start)) * r.sys.deps.RenewAt))
	return max(at.Sub(r.sys.clock()), 0)
}

func (r *rotator) untilExpiry() time.Duration {
	if c := r.p.cred.Load(); c != nil {
		return c.NotAfter().Sub(r.sys.clock())
	}
	return 0
}

type wakeReason int

const (
	due wakeReason = iota
	replaced
	stopped
)

// wait sleeps until d passes, a new credential arrives, or ctx ends.
func (r *rotator) wait(ctx context.Context, d time.Duration) wakeReason {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return stopped
	case <-r.p.fresh:
		return replaced
	case <-t.C:
		return due
	}
}

func (r *rotator) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// renew issues a fresh certificate and swaps it in; an agent paused because
// its certificate had expired resumes.
func (r *rotator) renew(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := r.sys.reissue(ctx, r.p.name); err != nil {
		return err
	}
	r.sys.countRenewal(ctx, r.p.name, "success")
	r.sys.kickOthers(r.p)
	c := r.p.cred.Load()
	_ = r.sys.rec.Event(ctx, audit.Event{Type: "credential.renewed", Verdict: "pass", Controls: []string{"IA-2.2"},
		Agent: r.p.name, Node: r.sys.node, Attrs: map[string]string{"serial": c.Serial, "not_after": c.NotAfter().UTC().Format(time.RFC3339)}})
	if st := r.p.state.load(); st.state == StatePaused && st.reason == reasonExpired {
		_ = r.sys.SetState(ctx, r.p.name, StateActive, "fresh certificate", "rotation", "IA-2.2")
	}
	return nil
}

const reasonExpired = "certificate expired before it was renewed (IA-2.2)"

// expireIfDue pauses an agent whose certificate has expired: it has lost bus
// and tool access already (every check refuses an expired certificate); the
// pause makes that visible and is undone by the next successful renewal.
func (r *rotator) expireIfDue(ctx context.Context) {
	c := r.p.cred.Load()
	if c == nil || r.sys.clock().Before(c.NotAfter()) || r.sys.graph.IsSystem(r.p.name) {
		return
	}
	if st := r.p.state.load(); st.state.Working() {
		_ = r.sys.SetState(ctx, r.p.name, StatePaused, reasonExpired, "rotation", "IA-2.2")
	}
}

func jitter(d time.Duration) time.Duration {
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// countRenewal meters renewals by outcome (a failure is the alert).
func (s *System) countRenewal(ctx context.Context, principal, outcome string) {
	if s.renewals != nil {
		s.renewals.Add(ctx, 1, metric.WithAttributes(attribute.String("principal", principal), attribute.String("outcome", outcome)))
	}
}

// credentialValid reports whether a principal of this node holds an
// unexpired certificate right now.
func (s *System) credentialValid(name string) bool {
	p, ok := s.principals[name]
	if !ok {
		return false
	}
	c := p.cred.Load()
	return c != nil && s.clock().Before(c.NotAfter())
}

// kickOthers wakes every other principal's rotator whose certificate has
// expired: a successful renewal shows the issuer is reachable again, so
// they retry now instead of at the end of their backoff.
func (s *System) kickOthers(done *principal) {
	now := s.clock()
	for _, p := range s.principals {
		if p == done {
			continue
		}
		if c := p.cred.Load(); c != nil && now.After(c.NotAfter()) {
			select {
			case p.fresh <- struct{}{}:
			default:
			}
		}
	}
}
