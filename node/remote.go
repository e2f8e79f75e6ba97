package node

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/identity"
)

// remoteConfig issues the node's TLS certificate and builds mutual-TLS
// configs: peers must present a node certificate of this trust domain.
func (n *Node) remoteConfig(ctx context.Context, r *RemoteOptions) (*actors.RemoteConfig, error) {
	host, _, err := net.SplitHostPort(r.Listen)
	if err != nil {
		return nil, fmt.Errorf("node: remote listen address %q: %w", r.Listen, err)
	}
	var ips []net.IP
	var dns []string
	if ip := net.ParseIP(host); ip != nil {
		ips = append(ips, ip)
	} else {
		dns = append(dns, host)
	}
	cred, err := identity.NewTLSCredential(ctx, n.issuer, identity.NodeID(n.cfg.TrustDomain, n.cfg.Node), 24*time.Hour, dns, ips)
	if err != nil {
		return nil, fmt.Errorf("node: node TLS certificate: %w", err)
	}
	pool := x509.NewCertPool()
	for _, a := range n.anchors {
		pool.AddCert(a)
	}
	cert := cred.TLSCertificate()
	verify := peerIsNode(n.cfg.TrustDomain)
	return &actors.RemoteConfig{
		Listen: r.Listen,
		ServerTLS: &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{cert},
			ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool, VerifyPeerCertificate: verify},
		ClientTLS: &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{cert},
			RootCAs: pool, VerifyPeerCertificate: verify},
		Logger: n.log.With("component", "remote"),
	}, nil
}

// peerIsNode accepts only a verified chain whose leaf names a node of td.
func peerIsNode(td string) func([][]byte, [][]*x509.Certificate) error {
	return func(_ [][]byte, chains [][]*x509.Certificate) error {
		if len(chains) == 0 || len(chains[0]) == 0 {
			return errors.New("node: peer presented no verified certificate")
		}
		id, err := identity.IDFromCert(chains[0][0])
		if err != nil {
			return fmt.Errorf("node: peer certificate: %w", err)
		}
		if id.TrustDomain != td || id.Kind != "node" {
			return fmt.Errorf("node: peer %s is not a node of %s", id, td)
		}
		return nil
	}
}
