package identity_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log"
	"math/big"
	"os"
	"time"

	"github.com/maso-runtime/maso/identity"
)

// Issue an agent its own credential from the built-in CA, sign a message
// with it, and verify the sender on the receiving side, before and after
// revocation.
func Example() {
	dir, err := os.MkdirTemp("", "maso-ca-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	ca, err := identity.LoadOrCreateCA(dir, "example.org", identity.CAOptions{})
	if err != nil {
		log.Fatal(err)
	}
	cred, err := identity.NewCredential(ctx, ca, identity.AgentID("example.org", "intake"), time.Hour)
	if err != nil {
		log.Fatal(err)
	}
	msg := []byte("claim: the invoice total is 42")
	sig := cred.Sign(msg)

	revocations := identity.NewMemoryRevocations()
	v := &identity.Verifier{
		Bundle:      identity.NewMemoryBundle(ca.Certificate()),
		Revocations: revocations,
		TrustDomain: "example.org",
	}
	peer, err := v.Verify(cred.CertDER, time.Now())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sender:", peer.ID)
	fmt.Println("signature ok:", ed25519.Verify(peer.PublicKey, msg, sig))

	revocations.Revoke(cred.Serial)
	_, err = v.Verify(cred.CertDER, time.Now())
	fmt.Println("revoked:", errors.Is(err, identity.ErrRevoked))
	// Output:
	// sender: spiffe://example.org/agent/intake
	// signature ok: true
	// revoked: true
}

func ExampleParseID() {
	id, err := identity.ParseID("spiffe://example.org/system/judge")
	fmt.Println(id.Kind, id.Name, err)

	_, err = identity.ParseID("spiffe://example.org/agent/Intake")
	fmt.Println(errors.Is(err, identity.ErrInvalidID))
	// Output:
	// system judge <nil>
	// true
}

func ExampleSerialString() {
	fmt.Println(identity.SerialString(bigInt(0x3a0fc2)))
	// Output: 3a:0f:c2
}

func bigInt(n int64) *big.Int { return big.NewInt(n) }
