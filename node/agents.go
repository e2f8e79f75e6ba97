package node

import (
	"time"

	"github.com/maso-runtime/maso/identity"
)

// AgentInfo is what the admin API shows of an agent.
type AgentInfo struct {
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	State        string    `json:"state"` // active | paused | isolated | backup | stopped
	SPIFFEID     string    `json:"spiffe_id"`
	CertSerial   string    `json:"cert_serial"`
	CertNotAfter time.Time `json:"cert_not_after"`
	Node         string    `json:"node"`
	Behaviour    string    `json:"behaviour"`
	Tools        []string  `json:"tools"`
	Clearance    string    `json:"clearance"`
	BackupOf     string    `json:"backup_of,omitempty"`
	Reason       string    `json:"reason,omitempty"`
}

// Agents lists the node's agents in config order, backups last.
func (n *Node) Agents() []AgentInfo {
	if n.Sys == nil {
		return nil
	}
	list := n.Sys.Agents()
	out := make([]AgentInfo, 0, len(list))
	for _, a := range list {
		out = append(out, AgentInfo{Name: a.Name, Role: a.Role, State: string(a.State), Reason: a.Reason,
			Node: n.cfg.Node, Behaviour: a.Behaviour, Tools: append([]string{}, a.Tools...),
			Clearance: a.Clearance.String(), BackupOf: a.BackupOf,
			SPIFFEID:   identity.AgentID(n.cfg.TrustDomain, a.Name).String(),
			CertSerial: a.CertSerial, CertNotAfter: a.CertNotAfter})
	}
	return out
}

// Agent returns one agent by name.
func (n *Node) Agent(name string) (AgentInfo, bool) {
	for _, a := range n.Agents() {
		if a.Name == name {
			return a, true
		}
	}
	return AgentInfo{}, false
}

// Health is the node's summary for GET /v1/health.
type Health struct {
	Status       string  `json:"status"`
	Phase        string  `json:"phase"`
	Node         string  `json:"node"`
	TrustDomain  string  `json:"trust_domain"`
	Agents       int     `json:"agents"`
	AuditEntries uint64  `json:"audit_entries"`
	AuditHead    string  `json:"audit_head"`
	UptimeSec    float64 `json:"uptime_seconds"`
}

// Health reports the node's status.
func (n *Node) Health() Health {
	entries, head := n.Audit.Head()
	phase := "primary"
	if ctl := n.Control(); ctl != nil {
		phase = string(ctl.Current().Phase)
	}
	return Health{Status: "ok", Phase: phase, Node: n.cfg.Node, TrustDomain: n.cfg.TrustDomain,
		Agents: len(n.cfg.Agents), AuditEntries: entries, AuditHead: head,
		UptimeSec: time.Since(n.started).Seconds()}
}
