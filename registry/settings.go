package registry

import (
	"context"
	"encoding/json"
	"fmt"
)

// PutSetting stores v, encoded as JSON, as runtime setting name (for
// example "drift_threshold_factor").
func (r *Registry) PutSetting(ctx context.Context, name string, v any) error {
	if err := checkSegment("setting name", name); err != nil {
		return err
	}
	val, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%w: setting %s: %w", ErrInvalid, name, err)
	}
	return r.put(ctx, "store setting "+name+" refused", r.key(dirSettings, name), val)
}

// Setting decodes setting name into v and reports whether it was set.
// When it is not, v is left alone.
func (r *Registry) Setting(ctx context.Context, name string, v any) (bool, error) {
	if err := checkSegment("setting name", name); err != nil {
		return false, err
	}
	kv, _, err := r.getOne(ctx, "read setting "+name, r.key(dirSettings, name))
	if err != nil || kv == nil {
		return false, err
	}
	if err := decodeJSON(kv.key, kv.value, v); err != nil {
		return false, err
	}
	return true, nil
}
