package registry

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// tokenBytes is the entropy of a generated token.
const tokenBytes = 32

// TokenRecord describes an admin API bearer token. The registry stores
// it under the token's SHA-256, never the token itself.
type TokenRecord struct {
	Role      string    `json:"role"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
}

// tokenHash returns the hex SHA-256 of token, the key it is stored under.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken generates a token (32 random bytes, hex) for role, stores
// only its hash with a TokenRecord, and returns the token. The caller
// must hand it over now: it cannot be recovered.
func (r *Registry) CreateToken(ctx context.Context, role, name, by string) (string, error) {
	var raw [tokenBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("registry: token: %w", err)
	}
	token := hex.EncodeToString(raw[:])
	rec := TokenRecord{Role: role, Name: name, CreatedAt: r.now(), CreatedBy: by}
	if err := checkToken(token, rec); err != nil {
		return "", err
	}
	val, err := encodeJSON(rec)
	if err != nil {
		return "", err
	}
	key := r.key(dirTokens, tokenHash(token))
	ok, err := r.txn(ctx, "create token refused", []clientv3.Cmp{absent(key)}, clientv3.OpPut(key, string(val)))
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("%w: token hash collision", ErrConflict)
	}
	r.log.Info("token created", "role", role, "name", name, "by", by)
	return token, nil
}

// PutTokenHash stores rec under token's hash, replacing any record there.
// It is meant for importing an existing token (the bootstrap admin
// token); a zero CreatedAt is set from the clock.
func (r *Registry) PutTokenHash(ctx context.Context, token string, rec TokenRecord) error {
	if err := checkToken(token, rec); err != nil {
		return err
	}
	if rec.CreatedAt.IsZero() {
		rec.CreatedAt = r.now()
	}
	val, err := encodeJSON(rec)
	if err != nil {
		return err
	}
	return r.put(ctx, "store token refused", r.key(dirTokens, tokenHash(token)), val)
}

func checkToken(token string, rec TokenRecord) error {
	if len(token) < 16 {
		return fmt.Errorf("%w: token shorter than 16 characters", ErrInvalid)
	}
	if strings.TrimSpace(rec.Role) == "" {
		return fmt.Errorf("%w: token role is required", ErrInvalid)
	}
	return nil
}

// LookupToken returns the record of token, if it exists.
func (r *Registry) LookupToken(ctx context.Context, token string) (TokenRecord, bool, error) {
	if token == "" {
		return TokenRecord{}, false, nil
	}
	kv, _, err := r.getOne(ctx, "look up token", r.key(dirTokens, tokenHash(token)))
	if err != nil || kv == nil {
		return TokenRecord{}, false, err
	}
	var rec TokenRecord
	if err := decodeJSON(kv.key, kv.value, &rec); err != nil {
		return TokenRecord{}, false, err
	}
	return rec, true, nil
}

// DeleteToken removes token; a TokenCache drops it on the next event.
func (r *Registry) DeleteToken(ctx context.Context, token string) error {
	octx, cancel := r.opCtx(ctx)
	defer cancel()
	if _, err := r.cli.Delete(octx, r.key(dirTokens, tokenHash(token))); err != nil {
		return r.fail(ctx, octx, "delete token refused", err)
	}
	return nil
}
