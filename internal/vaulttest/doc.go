// Package vaulttest runs a real Vault dev server for tests.
//
// # Overview
//
// Start runs the vault binary built from tools/vaultdev (Vault v1.21.0,
// see scripts/build-vault.sh) as `vault server -dev` on 127.0.0.1 with an
// OS-picked port and a random root token. The server runs in its own
// process group, is killed with it at cleanup (and, on Linux, when the
// test binary dies), and writes its output to a file in t.TempDir() whose
// tail is printed, secrets redacted, when the test failed.
//
// Start builds nothing. It looks for the binary in $MASO_VAULT_BIN, else
// in bin/vault of the module root, and fails the test with "run make vault
// (scripts/build-vault.sh)" when it is missing.
//
// SetupPKI mounts a PKI secrets engine with an internal root CA and roles
// that sign our CSRs; SetupAppRole adds an AppRole login with a narrow
// policy on that mount. Stop and Restart simulate an outage. A dev server
// keeps everything in memory, so a restarted server is empty: set it up
// again.
//
// A dev server listens on plain HTTP and stores nothing: right for tests,
// never for production.
//
// # Usage
//
//	srv := vaulttest.Start(t)
//	srv.SetupPKI(t, "pki", "claims.maso.local", map[string]time.Duration{"agent": 24 * time.Hour})
//	iss, err := vault.New(ctx, vault.Config{Address: srv.Addr, Token: srv.Token, Mount: "pki", Role: "agent"})
//	...
//	srv.Stop()    // Vault unreachable
//	srv.Restart() // an empty Vault on the same address
//	srv.SetupPKI(t, "pki", "claims.maso.local", map[string]time.Duration{"agent": 24 * time.Hour})
package vaulttest
