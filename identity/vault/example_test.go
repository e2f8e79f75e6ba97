package vault_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/identity/vault"
)

// A node logs in with an AppRole, issues a read-only agent its credential
// and a write agent a shorter one, and builds its trust bundle from
// Vault. (Compiled, not run: it needs a Vault at VAULT_ADDR.)
func ExampleNew() {
	ctx := context.Background()
	iss, err := vault.New(ctx, vault.Config{
		AppRole:     &vault.AppRole{RoleID: os.Getenv("MASO_VAULT_ROLE_ID"), SecretID: os.Getenv("MASO_VAULT_SECRET_ID")},
		Mount:       "pki",
		Role:        "agent-read",
		Roles:       map[string]string{"write": "agent-write"},
		TrustDomain: "claims.maso.local",
	})
	if err != nil {
		log.Fatal(err)
	}
	intake, err := identity.NewCredential(ctx, iss, identity.AgentID("claims.maso.local", "intake"), 24*time.Hour)
	if err != nil {
		log.Fatal(err)
	}
	writer, err := iss.ForClass("write")
	if err != nil {
		log.Fatal(err)
	}
	payer, err := identity.NewCredential(ctx, writer, identity.AgentID("claims.maso.local", "payer"), time.Hour)
	if errors.Is(err, vault.ErrUnavailable) {
		log.Print("vault unavailable; retry later")
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	anchors, err := iss.TrustAnchors(ctx)
	if err != nil {
		log.Fatal(err)
	}
	bundle := identity.NewMemoryBundle(anchors...)
	fmt.Println(intake.ID, payer.ID, bundle.Version())
}
